"""Use-cases of "level the portfolio": start a run on a draft scenario, run it, read it.

A run (:class:`~pmo.resources.models.LevelingRun`) is queued by :func:`start_leveling`
and done by :func:`run_leveling` in a django-tasks task. It reads the scenario's layer
(allocations, capacity changes, priorities and pins from :class:`ProjectShift`), levels it
with the engine (weighted delay against the current dates; see :mod:`.adapters`) and writes
only the scenario's allocations and project shifts, audited; commit and discard stay as
they are. :func:`cancel_leveling` ends a run at once; the solver stops within a second and
nothing is written. See ADR 0008.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.dates import FIRST_DATE, LAST_DATE, date_out_of_range
from pmo.core.errors import ConflictError, FieldError, NotFoundError
from pmo.portfolio.models import ENDED_STATES, Project
from pmo.resources import adapters, calendars
from pmo.resources.access import require_manage
from pmo.resources.models import (
    Allocation,
    AllocationSource,
    CapacityChange,
    LevelingRun,
    LevelingState,
    ProjectShift,
    Resource,
    Scenario,
    ScenarioState,
)

__all__ = [
    "BACKENDS",
    "MAX_TIME_LIMIT",
    "active_run",
    "cancel_leveling",
    "get_leveling_run",
    "run_leveling",
    "shown_progress",
    "start_leveling",
]

logger = logging.getLogger(__name__)

MAX_TIME_LIMIT = 600
BACKENDS = ("cpsat", "heuristic")
STALE_AFTER = dt.timedelta(minutes=10)  # beyond the time limit: the worker is gone
CANCEL_POLL_SECONDS = 1.0  # how often a running solve looks for its cancellation


class _Cancelled(Exception):
    """The run was cancelled while the worker had it: write nothing."""


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
) -> LevelingRun:
    """Queue a leveling run of a draft scenario (409 if one is under way or not a draft).

    ``pinned`` (project codes), when given, replaces the scenario's pinned projects.
    """
    require_manage(actor)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if scenario.state != ScenarioState.DRAFT:
        raise ConflictError(
            _("scenario %(name)s is %(state)s; it cannot change")
            % {"name": repr(scenario.name), "state": scenario.state}
        )
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise FieldError(
            "time_limit", _("between 1 and %(most)s seconds") % {"most": MAX_TIME_LIMIT}
        )
    if backend not in BACKENDS:
        raise FieldError("backend", _("one of %(choices)s") % {"choices": ", ".join(BACKENDS)})
    if active_run(scenario) is not None:
        raise ConflictError(_("a leveling run of this scenario is under way; wait for it"))
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


def _phase(run: LevelingRun, phase: str, progress: int, **fields: Any) -> None:
    LevelingRun.objects.filter(pk=run.pk, state=LevelingState.RUNNING).update(
        phase=phase, progress=progress, **fields
    )


@contextmanager
def _cancel_watch(run_pk: int, stop: threading.Event) -> Iterator[None]:
    """Set ``stop`` when the run is cancelled: a thread reads the run's state meanwhile."""
    done = threading.Event()

    def watch() -> None:
        try:
            while not done.wait(CANCEL_POLL_SECONDS):
                if LevelingRun.objects.filter(pk=run_pk, state=LevelingState.CANCELLED).exists():
                    stop.set()
                    return
        except Exception:  # the solve goes on to its time limit; cancelling still drops it
            logger.warning("leveling run %s: cannot watch for cancellation", run_pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=watch, name=f"leveling-{run_pk}-cancel", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _layer(scenario: Scenario, today: dt.date) -> adapters.LevelingInput:
    resources = [
        adapters.ResourceRow(
            pk=r[0], fte=r[1], available_from=r[2], available_until=r[3], active=r[4], calendar=r[5]
        )
        for r in Resource.objects.values_list(
            "pk", "fte", "available_from", "available_until", "active", "calendar"
        )
    ]
    changes = [
        adapters.ChangeRow(resource_id=c[0], first=c[1], last=c[2], fte=c[3])
        for c in CapacityChange.objects.filter(scenario=scenario).values_list(
            "resource_id", "first", "last", "fte"
        )
    ]
    allocations = [
        adapters.AllocationRow(
            pk=a[0], resource_id=a[1], project_id=a[2], first=a[3], last=a[4], fte=a[5]
        )
        for a in Allocation.objects.filter(scenario=scenario, last__gte=today).values_list(
            "pk", "resource_id", "project_id", "first", "last", "fte"
        )
    ]
    shifts = {
        s[0]: (s[1], s[2])
        for s in ProjectShift.objects.filter(scenario=scenario).values_list(
            "project_id", "priority", "pinned"
        )
    }
    projects = [
        adapters.ProjectRow(
            pk=pk,
            code=code,
            priority=shifts.get(pk, (None, False))[0] or priority or 3,
            pinned=shifts.get(pk, (None, False))[1],
            ended=state in ENDED_STATES,
        )
        for pk, code, priority, state in Project.objects.filter(
            pk__in={a.project_id for a in allocations}
        ).values_list("pk", "code", "priority", "state")
    ]
    return adapters.build_problem(
        resources=resources,
        changes=changes,
        allocations=allocations,
        projects=projects,
        today=today,
        overrides=calendars.load_overrides(),
    )


def run_leveling(run_id: int, *, today: dt.date | None = None) -> LevelingRun:
    """Do a queued run: build the problem, solve, apply to the scenario; never raises.

    A run whose scenario was changed, committed or discarded meanwhile fails and changes
    nothing (level again).
    """
    run = LevelingRun.objects.select_related("scenario", "created_by").get(pk=run_id)
    started = timezone.now()
    claimed = LevelingRun.objects.filter(pk=run.pk, state=LevelingState.QUEUED).update(
        state=LevelingState.RUNNING, started_at=started, phase="building", progress=2
    )
    if not claimed:  # done, failed or taken by another worker
        return run
    run.state, run.started_at = LevelingState.RUNNING, started
    # a worker has no request: the run's texts are written in its starter's language
    starter = run.created_by.language if run.created_by is not None else ""
    with translation.override(run.language or starter or settings.LANGUAGE_CODE):
        _finish(run, today or timezone.localdate())
    run.refresh_from_db()
    return run


def _finish(run: LevelingRun, today: dt.date) -> None:
    """Do the claimed run; any failure ends it as failed with a readable message."""
    try:
        _run(run, today)
    except _Cancelled:
        pass  # cancel_leveling has ended it
    except Exception as exc:  # a run must end, whatever went wrong
        if not isinstance(exc, adapters.EngineError | ConflictError):
            logger.exception("leveling run %s failed", run.pk)
        message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
        if isinstance(exc, adapters.EngineError):
            message = _("no schedule found (%(reason)s); the scenario is unchanged") % {
                "reason": message
            }
        LevelingRun.objects.filter(pk=run.pk, state=LevelingState.RUNNING).update(
            state=LevelingState.FAILED, phase="failed", error=message, finished_at=timezone.now()
        )


def _run(run: LevelingRun, today: dt.date) -> None:
    scenario = run.scenario
    data = _layer(scenario, today)
    movable = sum(1 for f in data.fixed if not f)
    before = adapters.overload(data, data.starts)
    _phase(run, "solving", 10, overload_before=before)
    if movable:
        stop = threading.Event()
        with _cancel_watch(run.pk, stop):
            schedule = adapters.solve_problem(
                data, backend=run.backend, time_limit=run.time_limit, stop=stop
            )
        if stop.is_set():
            raise _Cancelled
        starts = adapters.compact(data, schedule.starts)
        solver: dict[str, Any] = {
            "status": str(schedule.status),
            "objective": schedule.objective,
            "bound": schedule.bound,
            "gap": round(schedule.gap, 4),
            "solver": schedule.solver,
            "seconds": round(schedule.seconds, 2),
        }
        delays = _delays(data, starts)
        moved = adapters.moves(data, starts)
    else:
        starts, delays, moved = list(data.starts), [0] * len(data.projects), []
        solver = {"status": "nothing to move", "objective": 0, "bound": 0, "gap": 0.0}
    after = adapters.overload(data, starts)
    _phase(run, "applying", 90)
    with transaction.atomic():
        # Locked until the result is written: a cancel now waits, then finds the run done.
        if not LevelingRun.objects.select_for_update().filter(
            pk=run.pk, state=LevelingState.RUNNING
        ):
            raise _Cancelled
        result = _apply(run, data, moved, delays, solver)
        LevelingRun.objects.filter(pk=run.pk).update(
            state=LevelingState.DONE,
            phase="done",
            progress=100,
            finished_at=timezone.now(),
            overload_after=after,
            objective=sum(
                adapters.priority_weight(p.priority) * d
                for p, d in zip(data.projects, delays, strict=True)
            ),
            result=result,
        )


def _delays(data: adapters.LevelingInput, starts: list[int]) -> list[int]:
    """Per project: working days its finish is later than now (after compaction)."""
    before = [0] * len(data.projects)
    after = [0] * len(data.projects)
    for a, old, new in zip(data.problem.activities, data.starts, starts, strict=True):
        before[a.project] = max(before[a.project], old + a.duration)
        after[a.project] = max(after[a.project], new + a.duration)
    return [max(0, x - y) for x, y in zip(after, before, strict=True)]


@transaction.atomic
def _apply(
    run: LevelingRun,
    data: adapters.LevelingInput,
    moved: list[adapters.Move],
    delays: list[int],
    solver: dict[str, Any],
) -> dict[str, Any]:
    scenario = Scenario.objects.select_for_update().get(pk=run.scenario_id)
    if scenario.state != ScenarioState.DRAFT:
        raise ConflictError(
            _("the scenario was %(state)s during the run; nothing changed")
            % {"state": scenario.state}
        )
    if scenario.version != run.scenario_version:
        raise ConflictError(
            _("the scenario was changed during the run; nothing changed, level again")
        )
    rows = {
        a.pk: a
        for a in Allocation.objects.filter(
            scenario=scenario, pk__in=[m.pk for m in moved]
        ).select_related("resource", "project")
    }
    if len(rows) != len(moved):
        raise ConflictError(
            _("the scenario was changed during the run; nothing changed, level again")
        )
    scope = f"scenario:{scenario.pk}"
    shift_days: dict[int, int] = defaultdict(int)
    moved_out = []
    now = timezone.now()
    for m in moved:  # before anything is written: a move past the accepted dates fails the run
        if date_out_of_range(m.new_first) or date_out_of_range(m.new_last):
            a = rows[m.pk]
            raise ConflictError(
                _(
                    "leveling would move an allocation of %(project)s to %(first)s – %(last)s, "
                    "outside the dates the product accepts (%(from)s to %(to)s); shorten or "
                    "move that allocation and level again"
                )
                % {
                    "project": a.project.code,
                    "first": m.new_first.isoformat(),
                    "last": m.new_last.isoformat(),
                    "from": FIRST_DATE.isoformat(),
                    "to": LAST_DATE.isoformat(),
                }
            )
    for m in moved:
        a = rows[m.pk]
        new_id = None
        if m.kept_last is not None:  # under way: the past part stays, the rest moves
            rest = Allocation.objects.create(
                scenario=scenario,
                resource_id=a.resource_id,
                project_id=a.project_id,
                first=m.new_first,
                last=m.new_last,
                fte=a.fte,
                status=a.status,
                source=a.source,
                note=a.note,
                task_uid=a.task_uid,
            )
            new_id = rest.pk
            record(
                actor=run.created_by,
                action=AuditAction.CREATE,
                instance=rest,
                scope=scope,
                changes=diff({}, snapshot(rest)),
            )
            a.last = m.kept_last
            calendar_days = (m.new_last - m.last).days
        else:
            a.first, a.last = m.new_first, m.new_last
            calendar_days = (m.new_first - m.first).days
        a.version, a.updated_at = a.version + 1, now
        if abs(calendar_days) > abs(shift_days[a.project_id]):
            shift_days[a.project_id] = calendar_days
        record(
            actor=run.created_by,
            action=AuditAction.UPDATE,
            instance=a,
            scope=scope,
            changes={
                "first": [m.first.isoformat(), a.first.isoformat()],
                "last": [m.last.isoformat(), a.last.isoformat()],
            },
        )
        moved_out.append(
            {
                "id": a.pk,
                "new_id": new_id,
                "project": a.project.code,
                "resource": a.resource.code,
                "resource_name": a.resource.name,
                "kind": "task" if a.source == AllocationSource.SCHEDULE else "allocation",
                "fte": float(a.fte),
                "first": m.first.isoformat(),
                "last": m.last.isoformat(),
                "new_first": m.new_first.isoformat(),
                "new_last": m.new_last.isoformat(),
                "kept_last": m.kept_last.isoformat() if m.kept_last else None,
                "days": m.days,
            }
        )
    Allocation.objects.bulk_update(list(rows.values()), ["first", "last", "version", "updated_at"])
    codes = {p.pk: p.code for p in data.projects}
    for project_id, days in shift_days.items():
        shift, _created = ProjectShift.objects.get_or_create(
            scenario=scenario, project_id=project_id
        )
        record(
            actor=run.created_by,
            action=AuditAction.UPDATE,
            instance=scenario,
            scope=scope,
            changes={f"{codes[project_id]}.days": [shift.days, shift.days + days]},
        )
        shift.days += days
        shift.save(update_fields=["days"])
    if moved:
        scenario.version += 1
        scenario.save(update_fields=["version", "updated_at"])
    not_levelable: list[dict[str, Any]] = [
        {
            "id": a.pk,
            "project": codes.get(a.project_id, ""),
            "resource_id": a.resource_id,
            "first": a.first.isoformat(),
            "last": a.last.isoformat(),
            "fte": float(a.fte),
        }
        for a in data.not_levelable
    ]
    names = dict(
        Resource.objects.filter(pk__in=[r["resource_id"] for r in not_levelable]).values_list(
            "pk", "code"
        )
    )
    for r in not_levelable:
        r["resource"] = names.get(r.pop("resource_id"), "")
    projects: list[dict[str, Any]] = [
        {
            "project": p.code,
            "priority": p.priority,
            "weight": adapters.priority_weight(p.priority),
            "pinned": p.pinned,
            "delay": delays[i] if i < len(delays) else 0,
            "moved": sum(1 for m in moved_out if m["project"] == p.code),
        }
        for i, p in enumerate(data.projects)
    ]
    projects.sort(key=lambda p: (-p["delay"], -p["moved"], p["priority"], p["project"]))
    moved_out.sort(key=lambda m: (m["project"], m["first"], m["resource"]))
    return {
        "projects": projects,
        "moved": moved_out,
        "not_levelable": not_levelable,
        "solver": solver,
    }
