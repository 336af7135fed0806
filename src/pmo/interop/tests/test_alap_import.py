"""ALAP tasks of an imported plan: placed late within their free slack, never pushing others."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.interop import services

HEAD = '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'


def _task(uid: int, days: int, alap: bool = False, pred: int | None = None) -> str:
    link = (
        f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>1</Type></PredecessorLink>"
        if pred
        else ""
    )
    return (
        f"<Task><UID>{uid}</UID><Name>T{uid}</Name><OutlineLevel>1</OutlineLevel>"
        f"<Duration>PT{8 * days}H0M0S</Duration><ConstraintType>{int(alap)}</ConstraintType>"
        f"{link}</Task>"
    )


def test_alap_tasks_of_an_imported_plan(make_project: Any, users: Any) -> None:
    # From Monday 2 March 2026: A (ALAP 1d) -> B (1d); C (5d) sets the finish (Friday);
    # D (ALAP 1d) alone; E (ALAP 1d) -> F (ALAP 1d).
    content = (
        f"{HEAD}<Name>alap</Name><StartDate>2026-03-02T08:00:00</StartDate><Tasks>"
        + _task(1, 1, alap=True)
        + _task(2, 1, pred=1)
        + _task(3, 5)
        + _task(4, 1, alap=True)
        + _task(5, 1, alap=True)
        + _task(6, 1, alap=True, pred=5)
        + "</Tasks></Project>"
    ).encode()
    plan = services.import_msproject(actor=users["pm"], content=content, project=make_project())
    got = {t.uid: (t.start.replace(tzinfo=None).date(), t.free_float) for t in plan.tasks.all()}
    day = dt.date
    assert got == {
        1: (day(2026, 3, 2), 0),  # moving A would push B: it stays
        2: (day(2026, 3, 3), 1440),
        3: (day(2026, 3, 2), 0),
        4: (day(2026, 3, 6), 0),  # finishes with the project
        5: (day(2026, 3, 5), 0),  # the ALAP chain moves late together
        6: (day(2026, 3, 6), 0),
    }
    exported = services.export_msproject(plan).decode()
    assert exported.count("<ConstraintType>1</ConstraintType>") == 4
