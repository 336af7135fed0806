"""Use-cases of "level the portfolio": start a run on a draft scenario, run it, read it.

A run (:class:`~pmo.resources.models.LevelingRun`) is queued by :func:`start_leveling`
and done by :func:`run_leveling` in a django-tasks task. It reads the scenario's layer
(allocations, capacity changes, priorities and pins from :class:`ProjectShift`), levels it
with the engine (weighted delay against the current dates; see :mod:`.adapters`) and writes
only the scenario's allocations and project shifts, audited; commit and discard stay as
they are. :func:`cancel_leveling` ends a run at once; the solver stops within a second and
nothing is written. See ADR 0008.

Queueing, cancelling and reading runs live in :mod:`pmo.resources.leveling_runs`, writing a
run's result into its scenario in :mod:`pmo.resources.leveling_result`; their names are
imported here too, where other code has always found them.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pmo.core.busy import is_database_busy, retry_while_busy
from pmo.core.errors import ConflictError
from pmo.portfolio.models import ENDED_STATES, Project
from pmo.resources import adapters, calendars, leveling_runs
from pmo.resources.leveling_result import _apply, _delays
from pmo.resources.leveling_runs import (
    BACKENDS,
    MAX_TIME_LIMIT,
    STALE_AFTER,
    active_run,
    cancel_leveling,
    get_leveling_run,
    shown_progress,
    start_leveling,
)
from pmo.resources.models import (
    Allocation,
    CapacityChange,
    LevelingRun,
    LevelingState,
    ProjectShift,
    Resource,
    Scenario,
)

__all__ = [
    "BACKENDS",
    "MAX_TIME_LIMIT",
    "STALE_AFTER",
    "active_run",
    "cancel_leveling",
    "get_leveling_run",
    "run_leveling",
    "shown_progress",
    "start_leveling",
]

logger = logging.getLogger(__name__)

CANCEL_POLL_SECONDS = 1.0  # how often a running run looks for its cancellation
BUSY_RUN = gettext_noop(
    "the database was busy with another long write (e.g. a capacity import) for too long; "
    "the scenario is unchanged, start the run again"
)


class _Cancelled(Exception):
    """The run was cancelled, or failed as lost, while the worker had it: write nothing."""


def _phase(run: LevelingRun, phase: str, progress: int, **fields: Any) -> None:
    retry_while_busy(
        lambda: LevelingRun.objects.filter(pk=run.pk, state=LevelingState.RUNNING).update(
            phase=phase, progress=progress, heartbeat_at=timezone.now(), **fields
        ),
        what=f"leveling run {run.pk}: phase {phase}",
    )


@contextmanager
def _watch(run_pk: int, stop: threading.Event) -> Iterator[Callable[[], None]]:
    """While the worker has the run, a thread of its own writes the run's heartbeat every
    few seconds (others tell a live run from a lost one by it, ADR 0008) and sets ``stop``
    when the run was cancelled or failed as lost meanwhile (the solve stops, nothing is
    written)."""
    done = threading.Event()
    beat_every = leveling_runs.heartbeat_seconds()
    ended = [LevelingState.CANCELLED, LevelingState.FAILED]

    def watch() -> None:
        last_beat = time.monotonic()
        warned = False
        try:
            while not done.wait(min(CANCEL_POLL_SECONDS, beat_every)):
                try:
                    if time.monotonic() - last_beat >= beat_every:
                        last_beat = time.monotonic()
                        LevelingRun.objects.filter(pk=run_pk, state=LevelingState.RUNNING).update(
                            heartbeat_at=timezone.now()
                        )
                    if LevelingRun.objects.filter(pk=run_pk, state__in=ended).exists():
                        stop.set()
                        return
                except Exception:  # a busy database: try again at the next beat
                    if not warned:
                        logger.warning(
                            "leveling run %s: cannot write its heartbeat", run_pk, exc_info=True
                        )
                        warned = True
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=watch, name=f"leveling-{run_pk}-watch", daemon=True)
    thread.start()

    def end() -> None:
        done.set()
        thread.join()

    try:
        yield end
    finally:
        end()


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
    # a database busy with a long write (a capacity import) is waited for: the run stays
    # queued meanwhile, and is claimed once (ADR 0008, "Busy database")
    run, started, claimed = retry_while_busy(
        lambda: _claim(run_id), what=f"leveling run {run_id}: claiming it"
    )
    if not claimed:  # done, failed or taken by another worker
        return run
    run.state, run.started_at = LevelingState.RUNNING, started
    # a worker has no request: the run's texts are written in its starter's language
    starter = run.created_by.language if run.created_by is not None else ""
    stop = threading.Event()
    with (
        translation.override(run.language or starter or settings.LANGUAGE_CODE),
        _watch(run.pk, stop) as end_watch,
    ):
        _finish(run, today or timezone.localdate(), stop, end_watch)
    run.refresh_from_db()
    return run


def _claim(run_id: int) -> tuple[LevelingRun, dt.datetime, bool]:
    """The queued run, marked running by this worker (``False``: it was not queued)."""
    leveling_runs.fail_lost_runs()  # a worker starting work: end runs whose worker is gone
    run = LevelingRun.objects.select_related("scenario", "created_by").get(pk=run_id)
    started = timezone.now()
    claimed = LevelingRun.objects.filter(pk=run.pk, state=LevelingState.QUEUED).update(
        state=LevelingState.RUNNING,
        started_at=started,
        heartbeat_at=started,
        phase="building",
        progress=2,
    )
    return run, started, bool(claimed)


def _finish(
    run: LevelingRun, today: dt.date, stop: threading.Event, end_watch: Callable[[], None]
) -> None:
    """Do the claimed run; any failure ends it as failed with a readable message."""
    try:
        _run(run, today, stop, end_watch)
    except _Cancelled:
        pass  # cancel_leveling (or fail_lost_runs) has ended it
    except Exception as exc:  # a run must end, whatever went wrong
        busy = is_database_busy(exc)
        if busy:
            logger.warning("leveling run %s failed: %s", run.pk, exc)
        elif not isinstance(exc, adapters.EngineError | ConflictError):
            logger.exception("leveling run %s failed", run.pk)
        message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
        if isinstance(exc, adapters.EngineError):
            message = _("no schedule found (%(reason)s); the scenario is unchanged") % {
                "reason": message
            }
        elif busy:
            message = _(BUSY_RUN)
        # if even this cannot be written, the run is found lost by its heartbeat (ADR 0008)
        retry_while_busy(
            lambda: LevelingRun.objects.filter(pk=run.pk, state=LevelingState.RUNNING).update(
                state=LevelingState.FAILED,
                phase="failed",
                error=message,
                finished_at=timezone.now(),
            ),
            what=f"leveling run {run.pk}: ending it as failed",
        )


def _run(
    run: LevelingRun, today: dt.date, stop: threading.Event, end_watch: Callable[[], None]
) -> None:
    scenario = run.scenario
    data = _layer(scenario, today)
    movable = sum(1 for f in data.fixed if not f)
    before = adapters.overload(data, data.starts)
    _phase(run, "solving", 10, overload_before=before)
    if movable:
        schedule = adapters.solve_problem(
            data, backend=run.backend, time_limit=run.time_limit, stop=stop
        )
        if stop.is_set():
            raise _Cancelled
        # left-justified, then each moved row fitted to its own calendar (ADR 0008)
        placed = adapters.place(data, adapters.compact(data, schedule.starts))
        solver: dict[str, Any] = {
            "status": str(schedule.status),
            "objective": schedule.objective,
            "bound": schedule.bound,
            "gap": round(schedule.gap, 4),
            "solver": schedule.solver,
            "seconds": round(schedule.seconds, 2),
        }
    else:
        placed = adapters.Placement(
            list(data.starts), [a.duration for a in data.problem.activities]
        )
        solver = {"status": "nothing to move", "objective": 0, "bound": 0, "gap": 0.0}
    delays = _delays(data, placed)
    moved = adapters.moves(data, placed)
    after = adapters.overload(data, placed.starts, placed.durations)
    # The watch ends before the result is written: the applying step is short and holds the
    # run's row (a cancel waits for it), and a second connection reading the run meanwhile
    # would only contend with its writes (SQLite's shared-cache test database refuses them).
    end_watch()
    _phase(run, "applying", 90)

    def apply() -> None:
        with transaction.atomic():
            # Locked until the result is written: a cancel now waits, then finds the run done.
            if not LevelingRun.objects.select_for_update().filter(
                pk=run.pk, state=LevelingState.RUNNING
            ):
                raise _Cancelled
            result = _apply(run, data, moved, delays, solver, placed)
            LevelingRun.objects.filter(pk=run.pk).update(
                state=LevelingState.DONE,
                phase="done",
                progress=100,
                finished_at=timezone.now(),
                overload_after=after,
                objective=sum(
                    adapters.priority_weight(p.priority) * d.days
                    for p, d in zip(data.projects, delays, strict=True)
                ),
                result=result,
            )

    # all or nothing: a busy database rolls it back, and it is tried again
    retry_while_busy(apply, what=f"leveling run {run.pk}: applying its result")
