"""What ticking "Replace these days of the overlapping changes" does, said before it is
done: :func:`plan_carve_out` plans each overlapping change's fate from the days typed,
writing nothing, and :func:`carve_out` does just that plan (ADR 0006, *Changes inside
changes*)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import lxml.html
import pytest

from pmo.resources.models import CapacityChange
from pmo.resources.services.capacity import Carved, carve_out, plan_carve_out
from pmo.resources.tests.factories import pool

D = dt.date.fromisoformat


def _unsaved(first: str, last: str, fte: str = "0.5") -> CapacityChange:
    return CapacityChange(first=D(first), last=D(last), fte=Decimal(fte))


def test_a_change_inside_the_new_days_is_planned_removed() -> None:
    plan = plan_carve_out(
        [_unsaved("2027-03-02", "2027-03-05", "0")], first=D("2027-03-01"), last=D("2027-03-12")
    )
    assert plan == [Carved("removed", D("2027-03-02"), D("2027-03-05"), Decimal("0"))]
    assert plan[0].plan_sentence() == (
        "Ticking it removes the capacity change 2027-03-02 – 2027-03-05 (0 FTE): the new one "
        "covers all its days."
    )


def test_a_change_partly_inside_is_planned_shortened_at_the_end_it_shares() -> None:
    ends_inside = _unsaved("2027-01-01", "2027-03-05")
    starts_inside = _unsaved("2027-03-10", "2027-06-30")
    plan = plan_carve_out([ends_inside, starts_inside], first=D("2027-03-01"), last=D("2027-03-12"))
    assert [(c.kind, c.pieces) for c in plan] == [
        ("shortened", ((D("2027-01-01"), D("2027-02-28")),)),
        ("shortened", ((D("2027-03-13"), D("2027-06-30")),)),
    ]
    assert plan[0].plan_sentence() == (
        "Ticking it shortens the capacity change 2027-01-01 – 2027-03-05 (0.5 FTE) to "
        "2027-01-01 – 2027-02-28."
    )
    assert (ends_inside.first, ends_inside.last) == (D("2027-01-01"), D("2027-03-05"))  # unwritten


def test_a_change_around_the_new_days_is_planned_split_in_two() -> None:
    plan = plan_carve_out(
        [_unsaved("2027-01-04", "2027-06-30")], first=D("2027-03-01"), last=D("2027-03-14")
    )
    assert plan[0].kind == "split"
    assert plan[0].plan_sentence() == (
        "Ticking it splits the capacity change 2027-01-04 – 2027-06-30 (0.5 FTE) into "
        "2027-01-04 – 2027-02-28 and 2027-03-15 – 2027-06-30."
    )
    with pytest.raises(ValueError):  # one sharing no day is not the plan's to carve
        plan_carve_out(
            [_unsaved("2027-07-01", "2027-07-31")], first=D("2027-03-01"), last=D("2027-03-14")
        )


@pytest.mark.django_db
def test_carve_out_does_what_was_planned_for_several(org: Any) -> None:
    ana = pool(org, code="ana", name="Ana Li", kind="person", fte=1)
    made = [
        CapacityChange.objects.create(resource=ana, first=D(a), last=D(b), fte=Decimal(f))
        for a, b, f in [
            ("2027-01-01", "2027-02-10", "0.5"),  # ends inside: shortened
            ("2027-02-12", "2027-02-14", "0"),  # inside: removed
            ("2027-02-20", "2027-04-30", "0.8"),  # starts inside: shortened
        ]
    ]
    first, last = D("2027-02-01"), D("2027-03-15")
    planned = plan_carve_out(made, first=first, last=last)
    assert [c.kind for c in planned] == ["shortened", "removed", "shortened"]
    assert CapacityChange.objects.count() == 3  # planning wrote nothing
    done = carve_out(actor=None, resource=ana, scenario=None, first=first, last=last)
    assert done == planned
    rows = CapacityChange.objects.filter(resource=ana).order_by("first")
    assert [(c.first, c.last) for c in rows] == [
        (D("2027-01-01"), D("2027-01-31")),
        (D("2027-03-16"), D("2027-04-30")),
    ]


@pytest.mark.django_db
def test_the_refused_page_says_exactly_what_ticking_the_box_does(
    client: Any, org: Any, users: Any
) -> None:
    ana = pool(org, code="ana", name="Ana Li", kind="person", fte=1)
    CapacityChange.objects.create(
        resource=ana, first=D("2027-01-04"), last=D("2027-06-30"), fte=Decimal("0.5")
    )
    client.force_login(users["admin"])
    body = {"first": "2027-03-01", "last": "2027-03-14", "fte": "0", "reason": "leave"}
    refused = client.post(f"/resources/{ana.pk}/capacity/", body)
    assert refused.status_code == 422
    tree = lxml.html.fromstring(refused.content.decode())
    said = tree.xpath("//*[@data-testid='replace-overlap-names']")[0].text_content().strip()
    assert said == (
        "Ticking it splits the capacity change 2027-01-04 – 2027-06-30 (0.5 FTE) into "
        "2027-01-04 – 2027-02-28 and 2027-03-15 – 2027-06-30."
    )
    # the box inline before its label, both in one label of the fieldset
    label = tree.xpath("//fieldset[@data-testid='replace-overlap']/label")[0]
    assert label.xpath("./span/input[@type='checkbox']")
    assert label.text_content().strip() == "Replace these days of the overlapping changes"
