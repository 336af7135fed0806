"""Percent lags (MSPDI LagFormat 19 "%", 20 "e%"): kept as a percentage, rescaled on recompute."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from pmo.interop import services
from pmo.interop.mspdi_read import NS, read_mspdi
from pmo.scheduling import services as plan_services
from pmo.scheduling.models import Link
from pmo.scheduling.planio import LinkData
from pmo.scheduling.selectors import plan_data

HEAD = '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'


def _plan(a_duration: str, kind: int, lag: int, fmt: int) -> bytes:
    """A (``a_duration``) -> B (1 day), link ``kind`` with LinkLag ``lag`` in LagFormat ``fmt``."""
    return (
        f"{HEAD}<Name>p</Name><StartDate>2026-03-02T08:00:00</StartDate>"
        "<MinutesPerDay>480</MinutesPerDay><Tasks>"
        f"<Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
        f"<Duration>{a_duration}</Duration></Task>"
        "<Task><UID>2</UID><Name>B</Name><OutlineLevel>1</OutlineLevel>"
        "<Duration>PT8H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID>"
        f"<Type>{kind}</Type><LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat>"
        "</PredecessorLink></Task></Tasks></Project>"
    ).encode()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # 50 % of 3 days (1,440 working minutes) = 720 working minutes
        (
            _plan("PT24H0M0S", 1, 50, 19),
            LinkData(pred_uid=1, type="FS", lag=720, lag_format=19, lag_percent=50),
        ),
        # 50 e% of 2 days = 1 elapsed day (1,440 elapsed minutes)
        (
            _plan("PT16H0M0S", 1, 50, 20),
            LinkData(pred_uid=1, type="FS", lag=1440, elapsed=True, lag_format=20, lag_percent=50),
        ),
        # a lead: -25 % of 1 day = -2 h
        (
            _plan("PT8H0M0S", 3, -25, 19),
            LinkData(pred_uid=1, type="SS", lag=-120, lag_format=19, lag_percent=-25),
        ),
    ],
)
def test_percent_lags_are_read_with_their_percentage(content: bytes, expected: LinkData) -> None:
    assert read_mspdi(content).tasks[1].predecessors == [expected]


def _dt(value: Any) -> dt.datetime:
    return value.replace(tzinfo=None)


def test_start_when_half_done_and_rescaled_when_the_predecessor_changes(
    make_project: Any, users: Any
) -> None:
    # A: 4 days from Monday 2 March; B starts when A is half done (SS 50 %): Wednesday 08:00
    project = make_project()
    plan = services.import_msproject(
        actor=users["pm"], content=_plan("PT32H0M0S", 3, 50, 19), project=project
    )
    b = plan.tasks.get(uid=2)
    assert _dt(b.start) == dt.datetime(2026, 3, 4, 8)
    # A becomes 6 days: half of it is 3 days, so B now starts Thursday 08:00
    a = plan.tasks.get(uid=1)
    plan_services.update_task(actor=users["pm"], task=a, data={"duration": 6 * 480}, version=None)
    b.refresh_from_db()
    assert _dt(b.start) == dt.datetime(2026, 3, 5, 8)
    link = Link.objects.get(plan=plan)
    assert (link.lag, link.lag_percent, link.lag_format) == (3 * 480, 50, 19)
    assert plan_data(plan).tasks[1].predecessors[0].lag == 3 * 480


def test_elapsed_percent_lag_runs_through_the_weekend(make_project: Any, users: Any) -> None:
    # A: Thursday 5 March, 2 days -> Friday 17:00; B after 50 e% = 24 h -> Saturday 17:00
    # -> Monday 08:00 (a working 50 % lag would start B Tuesday 08:00)
    content = _plan("PT16H0M0S", 1, 50, 20).replace(b"2026-03-02T08:00:00", b"2026-03-05T08:00:00")
    plan = services.import_msproject(actor=users["pm"], content=content, project=make_project())
    assert _dt(plan.tasks.get(uid=2).start) == dt.datetime(2026, 3, 9, 8)


def test_percent_lags_are_exported_in_percent_and_round_trip(make_project: Any, users: Any) -> None:
    project = make_project()
    plan = services.import_msproject(
        actor=users["pm"], content=_plan("PT24H0M0S", 1, 50, 19), project=project
    )
    exported = services.export_msproject(plan)
    link = ET.fromstring(exported).find("p:Tasks/p:Task/p:PredecessorLink", NS)
    assert link is not None
    assert (link.findtext("p:LinkLag", None, NS), link.findtext("p:LagFormat", None, NS)) == (
        "50",
        "19",
    )
    before = plan_data(plan)
    again = services.import_msproject(actor=users["pm"], content=exported, project=project)
    assert plan_data(again) == before


def test_a_lag_entered_in_time_replaces_the_percentage(make_project: Any, users: Any) -> None:
    project = make_project()
    plan = services.import_msproject(
        actor=users["pm"], content=_plan("PT24H0M0S", 1, 50, 19), project=project
    )
    plan_services.update_link(
        actor=users["pm"], plan=plan, pred_uid=1, succ_uid=2, data={"lag": 480}
    )
    link = Link.objects.get(plan=plan)
    assert (link.lag, link.lag_percent, link.lag_format) == (480, None, 7)
    # A: Mon-Wed; 1 day of lag (Thursday); B on Friday
    assert _dt(plan.tasks.get(uid=2).start) == dt.datetime(2026, 3, 6, 8)
