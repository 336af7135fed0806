"""A small hand-checked plan for the tests.

Standard calendar (Mon-Fri 08:00-12:00, 13:00-17:00), start Monday 2026-03-02 08:00:

    1 Build       (summary)
    2   Design    3 days
    3   Code      5 days      FS 2
    4   Docs      2 days      SS 2
    5 Release     milestone   FS 3, FS 4

Critical path 2 -> 3 -> 5: finish Wednesday 2026-03-11 17:00; Docs has 6 days of float.
"""

from __future__ import annotations

import datetime as dt

from pmo.scheduling.planio import CalendarData, LinkData, PlanData, TaskData

DAY = 480
START = dt.datetime(2026, 3, 2, 8)
STANDARD = [[(480, 720), (780, 1020)]] * 5 + [[], []]


def small_plan() -> PlanData:
    return PlanData(
        name="Small plan",
        start=START,
        calendar_uid=1,
        calendars=[CalendarData(uid=1, name="Standard", week=STANDARD)],
        tasks=[
            TaskData(uid=1, name="Build", outline_level=1, wbs="1"),
            TaskData(uid=2, name="Design", outline_level=2, wbs="1.1", duration=3 * DAY),
            TaskData(
                uid=3,
                name="Code",
                outline_level=2,
                wbs="1.2",
                duration=5 * DAY,
                predecessors=[LinkData(pred_uid=2)],
            ),
            TaskData(
                uid=4,
                name="Docs",
                outline_level=2,
                wbs="1.3",
                duration=2 * DAY,
                predecessors=[LinkData(pred_uid=2, type="SS")],
            ),
            TaskData(
                uid=5,
                name="Release",
                outline_level=1,
                wbs="2",
                milestone=True,
                predecessors=[LinkData(pred_uid=3), LinkData(pred_uid=4)],
            ),
        ],
    )
