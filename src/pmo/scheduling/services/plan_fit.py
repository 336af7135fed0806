"""Whether an imported plan's dates fit the project's: a warning, never a refusal.

A plan made for another project or another year (an MS Project sample starting in 2003
imported into a project planned from 2026-11-02) is stored as it is, since the file may be
right and the project's dates out of date; but the status center then forecasts 2003, so the
import says so at once (ADR 0003, "Plan dates far from the project's").
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from pmo.scheduling.models import Plan

__all__ = ["EARLY_START_DAYS", "LATE_FINISH_DAYS", "plan_date_warnings"]

# A plan may start a quarter early (preparation, a pre-study planned in the same file);
# earlier is another plan or another year.
EARLY_START_DAYS = 90
# A plan may finish up to a year late (a slipping project); later is another plan.
LATE_FINISH_DAYS = 365


def plan_date_warnings(
    plan: Plan, start: dt.date | None, planned_finish: dt.date | None
) -> list[str]:
    """What is odd about ``plan``'s dates against the project's planned ``start`` and
    ``planned_finish`` (either may be unknown): a start more than :data:`EARLY_START_DAYS`
    before the planned start, a finish more than :data:`LATE_FINISH_DAYS` after the planned
    finish. Sentences in the active language, none when the dates fit."""
    warnings = []
    plan_start = plan.start.date()  # wall-clock times stored as if UTC (pmo.scheduling.walltime)
    if start is not None and plan_start < start - dt.timedelta(days=EARLY_START_DAYS):
        warnings.append(
            _(
                "The plan starts on %(plan)s, more than %(days)s days before the project's "
                "planned start (%(project)s): check that this is the right plan, or correct "
                "the project's dates."
            )
            % {"plan": plan_start.isoformat(), "days": EARLY_START_DAYS, "project": start}
        )
    plan_finish = plan.finish.date() if plan.finish is not None else None
    if (
        planned_finish is not None
        and plan_finish is not None
        and plan_finish > planned_finish + dt.timedelta(days=LATE_FINISH_DAYS)
    ):
        warnings.append(
            _(
                "The plan finishes on %(plan)s, more than a year after the project's planned "
                "finish (%(project)s): check that this is the right plan, or correct the "
                "project's dates."
            )
            % {"plan": plan_finish.isoformat(), "project": planned_finish}
        )
    return warnings
