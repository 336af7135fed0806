import datetime as dt

import pytest

from pmo.core.errors import FieldError
from pmo.portfolio.periods import due_period, parse_period, period_of, previous_period


def test_parse_week_gives_monday_to_sunday():
    period = parse_period("2026-W40")
    assert (period.start, period.end, period.cadence) == (
        dt.date(2026, 9, 28),
        dt.date(2026, 10, 4),
        "weekly",
    )


def test_parse_month_knows_month_lengths():
    assert parse_period("2026-02").end == dt.date(2026, 2, 28)
    assert parse_period("2028-02").end == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    "key",
    # the year bounds: 0001-W01 and 9999-W52 overflowed the date arithmetic (a 500)
    ["2026-W54", "2026-13", "2026/10", "W40", "", "2026-W4", "0001-W01", "9999-W52", "1969-12"],
)
def test_bad_period_names_the_field(key):
    with pytest.raises(FieldError) as info:
        parse_period(key, field="period")
    assert info.value.field == "period"


def test_iso_week_across_the_year_end():
    assert period_of(dt.date(2027, 1, 1), "weekly").key == "2026-W53"
    assert previous_period(parse_period("2027-W01")).key == "2026-W53"


def test_due_period_waits_for_the_grace_days():
    # Week 47 of 2026 ends on Sunday 22 Nov; with 2 grace days it is due after Tuesday 24 Nov.
    assert due_period(dt.date(2026, 11, 24), "weekly", 2).key == "2026-W46"
    assert due_period(dt.date(2026, 11, 25), "weekly", 2).key == "2026-W47"


def test_due_period_monthly():
    assert due_period(dt.date(2026, 11, 2), "monthly", 2).key == "2026-09"
    assert due_period(dt.date(2026, 11, 3), "monthly", 2).key == "2026-10"
