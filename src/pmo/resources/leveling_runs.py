"""Queue, cancel and read leveling runs of a draft scenario (the run itself is
:func:`pmo.resources.leveling.run_leveling`'s; see ADR 0008)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.errors import ConflictError, FieldError, NotFoundError
from pmo.portfolio.models import Project
from pmo.resources.access import require_manage
from pmo.resources.models import (
    LevelingRun,
    LevelingState,
    ProjectShift,
    Scenario,
)
from pmo.resources.services.common import require_draft

__all__ = [
    "BACKENDS",
    "MAX_TIME_LIMIT",
    "NO_WORKER_AFTER",
    "STALE_AFTER",
    "RunUnderWay",
    "active_run",
    "cancel_leveling",
    "get_leveling_run",
    "no_worker_hint",
    "queued_for",
    "refuse_while_leveling",
    "run_url",
    "shown_progress",
    "start_leveling",
]

MAX_TIME_LIMIT = 600
BACKENDS = ("cpsat", "heuristic")
STALE_AFTER = dt.timedelta(minutes=10)  # beyond the time limit: the worker is gone
# a worker polls its queue every second or so: a run still queued after this long has no
# worker taking it (``pmo worker`` is not running)
NO_WORKER_AFTER = dt.timedelta(seconds=30)


def run_url(run_pk: int) -> str:
    """The API address of a run (the 202's ``Location``, the 409's ``run_url``)."""
    return f"/api/v1/leveling-runs/{run_pk}"


class RunUnderWay(ConflictError):
    """409: the scenario has a queued or running leveling run; the answer names it
    (``run_id``, ``run_url``) so a client can follow or cancel it."""

    def __init__(self, message: str, run: LevelingRun) -> None:
        super().__init__(message)
        self.run_id = run.pk

    def payload(self) -> dict[str, Any]:
        body = super().payload()
        body["run_id"] = self.run_id
        body["run_url"] = run_url(self.run_id)
        return body


def refuse_while_leveling(scenario: Scenario) -> None:
    """One rule for every change of a scenario (shifts, allocations, capacity, refresh,
    reset, commit, another run): refused (409, naming the run) while a run is under way,
    because the run fails on any change at its end and the change would cost the run."""
    run = active_run(scenario)
    if run is not None:
        raise RunUnderWay(
            _(
                "leveling run %(run)s of this scenario is under way; wait for it to end or "
                "cancel it, then try again"
            )
            % {"run": run.pk},
            run,
        )


def no_worker_hint(run: LevelingRun, now: dt.datetime | None = None) -> str | None:
    """Said of a run queued longer than a worker takes to pick one up: no worker runs."""
    waited = queued_for(run, now)
    if waited is None or waited < NO_WORKER_AFTER.total_seconds():
        return None
    return _(
        "queued for %(seconds)s seconds and no worker has taken it: is the background worker "
        "(pmo db_worker, or pmo serve without --no-worker) running?"
    ) % {"seconds": waited}


def queued_for(run: LevelingRun, now: dt.datetime | None = None) -> int | None:
    """Seconds a queued run has waited for a worker; ``None`` once a worker has taken it."""
    if run.state != LevelingState.QUEUED:
        return None
    return max(0, int(((now or timezone.now()) - run.created_at).total_seconds()))


def active_run(scenario: Scenario) -> LevelingRun | None:
    """The scenario's queued or running run, unless it is stale (its worker died)."""
    now = timezone.now()
    for run in scenario.runs.filter(state__in=[LevelingState.QUEUED, LevelingState.RUNNING]):
        if run.created_at + dt.timedelta(seconds=run.time_limit) + STALE_AFTER > now:
            return run
    return None


@transaction.atomic
def start_leveling(
    *,
    actor: User,
    scenario: Scenario,
    time_limit: int = 30,
    backend: str = "cpsat",
    pinned: list[str] | None = None,
    version: int | None = None,
) -> LevelingRun:
    """Queue a leveling run of a draft scenario (409 if one is under way or not a draft).

    ``pinned`` (project codes), when given, replaces the scenario's pinned projects;
    ``version``, when given, is the scenario's as read (409 if it changed since, nothing
    pinned or unpinned).
    """
    require_manage(actor)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    require_draft(scenario)  # and no run under way (409 naming it)
    if version is not None and version != scenario.version:
        raise ConflictError(
            _("the scenario was changed (your version %(yours)s, current %(current)s)")
            % {"yours": version, "current": scenario.version},
            current_version=scenario.version,
        )
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise FieldError(
            "time_limit", _("between 1 and %(most)s seconds") % {"most": MAX_TIME_LIMIT}
        )
    if backend not in BACKENDS:
        raise FieldError("backend", _("one of %(choices)s") % {"choices": ", ".join(BACKENDS)})
    if pinned is not None:
        _set_pins(actor, scenario, pinned)
    run = LevelingRun.objects.create(
        scenario=scenario,
        created_by=actor,
        time_limit=time_limit,
        backend=backend,
        scenario_version=scenario.version,
        language=translation.get_language() or "",
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=run,
        scope=f"scenario:{scenario.pk}",
        changes={"time_limit": [None, time_limit], "backend": [None, backend]},
    )
    from pmo.resources.tasks import level_scenario_task

    run_id = run.pk
    transaction.on_commit(lambda: level_scenario_task.enqueue(run_id))
    return run


@transaction.atomic
def cancel_leveling(*, actor: User, run: LevelingRun) -> LevelingRun:
    """Cancel a queued or running run (409 once it has ended); the scenario stays as it is.

    A queued run is never started; a running solver stops within about a second and its
    result is dropped. The scenario is free for another run at once.
    """
    require_manage(actor)
    locked = LevelingRun.objects.select_for_update().get(pk=run.pk)
    if not locked.active:
        raise ConflictError(
            _("leveling run %(run)s is %(state)s; only a queued or running run can be cancelled")
            % {"run": locked.pk, "state": locked.state}
        )
    before = locked.state
    locked.state, locked.phase = LevelingState.CANCELLED, "cancelled"
    locked.finished_at = timezone.now()
    locked.save(update_fields=["state", "phase", "finished_at", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=locked,
        scope=f"scenario:{locked.scenario_id}",
        changes={"state": [before, str(LevelingState.CANCELLED)]},
    )
    return locked


def _set_pins(actor: User, scenario: Scenario, codes: list[str]) -> None:
    wanted = {c.strip() for c in codes if c.strip()}
    in_scenario = dict(
        Project.objects.filter(allocations__scenario=scenario).distinct().values_list("code", "pk")
    )
    unknown = sorted(wanted - set(in_scenario))
    if unknown:
        raise FieldError(
            "pinned", _("not in this scenario: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    changed = {}
    shifts = {s.project_id: s for s in ProjectShift.objects.filter(scenario=scenario)}
    for code, pk in in_scenario.items():
        pin = code in wanted
        shift = shifts.get(pk)
        if shift is None and pin:
            shift = ProjectShift.objects.create(scenario=scenario, project_id=pk, pinned=True)
            changed[f"{code}.pinned"] = [False, True]
        elif shift is not None and shift.pinned != pin:
            changed[f"{code}.pinned"] = [shift.pinned, pin]
            shift.pinned = pin
            shift.save(update_fields=["pinned"])
    if changed:
        scenario.version += 1
        scenario.save(update_fields=["version", "updated_at"])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=scenario,
            scope=f"scenario:{scenario.pk}",
            changes=changed,
        )


def get_leveling_run(pk: int) -> LevelingRun:
    """The run ``pk`` or :class:`NotFoundError`."""
    run = LevelingRun.objects.select_related("scenario").filter(pk=pk).first()
    if run is None:
        raise NotFoundError(_("no leveling run %(run)s") % {"run": pk})
    return run


def shown_progress(run: LevelingRun) -> int:
    """Progress to show: the stored value, interpolated by time while the solver runs."""
    if run.state == LevelingState.RUNNING and run.phase == "solving" and run.started_at:
        elapsed = (timezone.now() - run.started_at).total_seconds()
        return max(run.progress, min(89, 10 + int(80 * elapsed / max(run.time_limit, 1))))
    return run.progress
