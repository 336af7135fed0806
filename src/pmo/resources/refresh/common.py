"""What refreshing a scenario and resetting a project share: their results, the reasons a
change is dropped, the scenario's lock and the copy of a plan row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from pmo.resources.models import Allocation, LevelingRun, LevelingState, Scenario
from pmo.resources.services.common import check_scenario_version, require_draft

__all__ = [
    "COPIED",
    "Dropped",
    "RefreshResult",
    "ResetResult",
    "dropped_message",
]

COPIED = ["resource_id", "project_id", "first", "last", "fte", "status", "source", "note"]


@dataclass(frozen=True)
class Dropped:
    """A change of the scenario that no longer applies to the current plan.

    ``reason``: ``removed_in_plan`` (it changed an allocation the plan no longer has),
    ``changed_in_plan`` (it changed an allocation the plan changed since; the plan's row is
    in the scenario now), ``restored`` (it removed an allocation the plan changed since: the
    plan's row is back), ``capacity_overlap`` (a capacity change it added overlaps one the
    plan has now), ``project_ended`` (the project was closed or cancelled: the row ran past
    its end, or the scenario added it).
    """

    kind: str  # "allocation" or "capacity"
    reason: str
    resource: str  # code
    resource_name: str
    first: dt.date
    last: dt.date
    fte: Decimal
    project: str = ""  # code (allocations)
    # the current plan's row now, as the scenario has it after the refresh (None: no row)
    plan_first: dt.date | None = None
    plan_last: dt.date | None = None
    plan_fte: Decimal | None = None


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did: the scenario's changes kept, the rows taken from the plan, the
    changes dropped, and the leveling runs it made out of date."""

    scenario: Scenario
    kept: int
    from_plan: int
    dropped: list[Dropped] = field(default_factory=list)
    runs_out_of_date: int = 0


@dataclass(frozen=True)
class ResetResult:
    """What resetting a project did."""

    scenario: Scenario
    project: str
    removed: int  # the scenario's rows of the project
    copied: int  # the current plan's rows of the project, copied in
    shift_removed: bool  # it had a move, priority or pin in the scenario
    runs_out_of_date: int = 0


def dropped_message(reason: str) -> str:
    """Why a change was dropped, in the active language."""
    return {
        "removed_in_plan": _("the current plan no longer has this allocation"),
        "changed_in_plan": _(
            "the current plan changed this allocation after the copy; the scenario now has "
            "the plan's version"
        ),
        "restored": _(
            "removed in the scenario, but the current plan changed it after the copy; the "
            "plan's version is back"
        ),
        "capacity_overlap": _("overlaps a capacity change of the current plan"),
        "project_ended": _("the project has ended: it takes no work after its end"),
    }.get(reason, reason)


def _lock_draft(scenario: Scenario, version: int | None) -> Scenario:
    """The scenario locked, if it is a draft at ``version`` with no leveling run under way
    (``require_draft`` refuses both)."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    require_draft(scenario)
    check_scenario_version(scenario, version)
    return scenario


def _outdate_runs(scenario: Scenario, now: dt.datetime) -> int:
    return LevelingRun.objects.filter(
        scenario=scenario, state=LevelingState.DONE, outdated_at=None
    ).update(outdated_at=now)


def _copy(scenario: Scenario, plan: Allocation, days: int) -> Allocation:
    """A scenario row copying the plan's row, moved by ``days``."""
    values = {f: getattr(plan, f) for f in COPIED}
    delta = dt.timedelta(days=days)
    values["first"], values["last"] = plan.first + delta, plan.last + delta
    return Allocation(
        scenario=scenario,
        origin_id=plan.pk,
        origin_version=plan.version,
        task_uid=plan.task_uid,
        external_ref=plan.external_ref,
        **values,
    )


def _free_refs(scenario: Scenario, new: list[Allocation]) -> list[Allocation]:
    """``new`` copies, without an ``external_ref`` a row the scenario keeps has already (a row
    the scenario added under the key the plan has now): the scenario's own row keeps the key,
    unique in its layer."""
    taken = set(
        Allocation.objects.filter(scenario=scenario)
        .exclude(external_ref="")
        .values_list("external_ref", flat=True)
    )
    for row in new:
        if row.external_ref in taken:
            row.external_ref = ""
        elif row.external_ref:
            taken.add(row.external_ref)
    return new
