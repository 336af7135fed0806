"""Queue, cancel and read leveling runs of a draft scenario (the run itself is
:func:`pmo.resources.leveling.run_leveling`'s; see ADR 0008)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pmo.accounts.models import User
from pmo.audit.last import local_minute, user_name
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
from pmo.resources.services.common import check_scenario_version, require_draft

__all__ = [
    "BACKENDS",
    "HEARTBEAT_SECONDS",
    "LOST_AFTER_SECONDS",
    "LOST_ERROR",
    "MAX_TIME_LIMIT",
    "NO_WORKER_AFTER",
    "STALE_AFTER",
    "RunUnderWay",
    "active_run",
    "cancel_leveling",
    "fail_lost_runs",
    "get_leveling_run",
    "heartbeat_seconds",
    "lost_after",
    "lost_since",
    "no_worker_hint",
    "queued_for",
    "refuse_while_leveling",
    "run_url",
    "show_if_lost",
    "shown_error",
    "shown_progress",
    "start_leveling",
]

MAX_TIME_LIMIT = 600
BACKENDS = ("cpsat", "heuristic")
STALE_AFTER = dt.timedelta(minutes=10)  # a queued run this long past its limit: no worker
# A running run's worker writes ``heartbeat_at`` every few seconds (from a thread of its own,
# whatever phase the run is in); a running run not heard of for much longer is lost: its
# worker was killed or its machine stopped. The margin covers a loaded 2-core machine
# starving the thread for a while. Settings of the same names change them (tests).
HEARTBEAT_SECONDS = 5.0
LOST_AFTER_SECONDS = 90.0
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
    reset, commit, another run): refused (409, naming the run, who started it and when)
    while a run is under way,
    because the run fails on any change at its end and the change would cost the run."""
    run = active_run(scenario)
    if run is not None:
        raise RunUnderWay(
            _(
                "leveling run %(run)s of this scenario is under way (started by %(who)s at "
                "%(when)s); wait for it to end or cancel it, then try again"
            )
            % {
                "run": run.pk,
                "who": user_name(run.created_by),
                "when": local_minute(run.created_at),
            },
            run,
        )


def no_worker_hint(run: LevelingRun, now: dt.datetime | None = None) -> str | None:
    """Said of a run queued longer than a worker takes to pick one up: why no worker took
    it, as far as this process can tell (ADR 0008, "Busy database"). This process's own
    worker (``pmo serve``) says whether it stopped or waits for the database; a run another
    worker is doing is named; only otherwise is the hint the question whether a worker runs."""
    waited = queued_for(run, now)
    if waited is None or waited < NO_WORKER_AFTER.total_seconds():
        return None
    from pmo.core.worker import STATE

    numbers = {"seconds": waited, "error": STATE.error}
    if STATE.started and not STATE.alive:
        return (
            _(
                "queued for %(seconds)s seconds: the background worker of this server has "
                "stopped; see the server's log and restart pmo serve"
            )
            % numbers
        )
    if STATE.started and STATE.failures and not STATE.database:
        return (
            _(
                "queued for %(seconds)s seconds: the background worker of this server fails "
                "(%(error)s) and tries again by itself; see the server's log"
            )
            % numbers
        )
    if STATE.started and STATE.failures:
        return (
            _(
                "queued for %(seconds)s seconds: the background worker cannot use the database "
                "at the moment (%(error)s) and tries again by itself; a long write such as a "
                "capacity import may be holding it"
            )
            % numbers
        )
    ahead = _run_ahead(run)
    if ahead is not None:
        return _(
            "queued for %(seconds)s seconds behind leveling run %(run)s, which a worker is "
            "doing now"
        ) % {**numbers, "run": ahead.pk}
    if STATE.started:
        return (
            _(
                "queued for %(seconds)s seconds: the background worker of this server runs but "
                "has not taken it yet (busy with other background work)"
            )
            % numbers
        )
    return (
        _(
            "queued for %(seconds)s seconds and no worker has taken it: is the background worker "
            "(pmo db_worker, or pmo serve without --no-worker) running?"
        )
        % numbers
    )


def _run_ahead(run: LevelingRun) -> LevelingRun | None:
    """Another run a live worker is doing (a lost one reads as failed when loaded)."""
    running = LevelingRun.objects.filter(state=LevelingState.RUNNING).exclude(pk=run.pk)
    return next(
        (r for r in running.order_by("started_at") if r.state == LevelingState.RUNNING), None
    )


def queued_for(run: LevelingRun, now: dt.datetime | None = None) -> int | None:
    """Seconds a queued run has waited for a worker; ``None`` once a worker has taken it."""
    if run.state != LevelingState.QUEUED:
        return None
    return max(0, int(((now or timezone.now()) - run.created_at).total_seconds()))


def active_run(scenario: Scenario) -> LevelingRun | None:
    """The scenario's queued or running run: a running one whose worker is gone (ended
    here, :func:`fail_lost_runs`) or a queued one no worker took long past its limit is not."""
    now = timezone.now()
    for run in scenario.runs.filter(state__in=[LevelingState.QUEUED, LevelingState.RUNNING]):
        if run.read_as_lost and not fail_lost_runs(run_id=run.pk):
            return LevelingRun.objects.get(pk=run.pk)  # heard of just now: alive after all
        if run.state == LevelingState.RUNNING:
            return run
        if run.state == LevelingState.QUEUED and (
            run.created_at + dt.timedelta(seconds=run.time_limit) + STALE_AFTER > now
        ):
            return run
    return None


def heartbeat_seconds() -> float:
    """How often a worker writes its running run's ``heartbeat_at``."""
    return float(getattr(settings, "PMO_LEVELING_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))


def lost_after() -> dt.timedelta:
    """How long a running run may go unheard of before it counts as lost."""
    return dt.timedelta(
        seconds=float(getattr(settings, "PMO_LEVELING_LOST_AFTER_SECONDS", LOST_AFTER_SECONDS))
    )


def _last_sign(run: LevelingRun) -> dt.datetime:
    """When the run's worker was last heard of (its claim, for a run from before heartbeats)."""
    return run.heartbeat_at or run.started_at or run.created_at


def lost_since(run: LevelingRun, now: dt.datetime | None = None) -> dt.datetime | None:
    """The last sign of a running run's worker when that is too old (the run is lost), else
    ``None`` (not running, or its worker is alive)."""
    if run.state != LevelingState.RUNNING:
        return None
    last = _last_sign(run)
    if last is None or (now or timezone.now()) - last <= lost_after():
        return None
    return last


# A lost run's error, stored in English (the catalogue's key) and read in the reader's
# language by :func:`shown_error`
LOST_ERROR = gettext_noop("the worker stopped before the run finished; start it again")


@functools.cache
def _lost_texts() -> frozenset[str]:
    """A lost run's error as stored: in English, or (runs failed before 2026-12-07) in the
    language of the person who started the run."""
    texts = {LOST_ERROR}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.add(_(LOST_ERROR))
    return frozenset(texts)


def shown_error(run: LevelingRun) -> str:
    """The run's error as a reader reads it: a lost run's in the reader's language, others
    as written."""
    return _(LOST_ERROR) if run.error in _lost_texts() else run.error


def show_if_lost(run: LevelingRun) -> None:
    """Make a lost run read as failed (in memory; :func:`fail_lost_runs` writes it): every
    reader (run panel, scenario page, API, list) sees the same, and the progress stops."""
    last = lost_since(run)
    if last is not None:
        run.state, run.phase = LevelingState.FAILED, "failed"
        run.error, run.finished_at = LOST_ERROR, last
        run.read_as_lost = True


def _stale(cutoff: dt.datetime) -> Q:
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)


def fail_lost_runs(*, scenario_id: int | None = None, run_id: int | None = None) -> list[int]:
    """End every running run whose worker is gone as failed (audited by "system"; its
    task row too), so its scenario is free again; the ids ended.

    Safe with several workers: one run is failed by one conditional update that checks
    the heartbeat again, so a run whose live worker has just written it stays running (and
    a worker whose run was failed drops its result, as for a cancel).
    """
    runs = LevelingRun.objects.filter(state=LevelingState.RUNNING)
    if scenario_id is not None:
        runs = runs.filter(scenario_id=scenario_id)
    if run_id is not None:
        runs = runs.filter(pk=run_id)
    cutoff = timezone.now() - lost_after()
    ended = []
    for pk, scenario in runs.filter(_stale(cutoff)).values_list("pk", "scenario_id"):
        message = LOST_ERROR
        if not LevelingRun.objects.filter(
            _stale(cutoff), pk=pk, state=LevelingState.RUNNING
        ).update(
            state=LevelingState.FAILED,
            phase="failed",
            error=message,
            finished_at=Coalesce(F("heartbeat_at"), F("started_at"), F("created_at")),
        ):
            continue  # its worker was heard of meanwhile, or it ended
        ended.append(pk)
        run = LevelingRun.objects.get(pk=pk)
        record(
            actor=None,
            action=AuditAction.UPDATE,
            instance=run,
            scope=f"scenario:{scenario}",
            changes={"state": [str(LevelingState.RUNNING), str(LevelingState.FAILED)]},
        )
        from pmo.resources.tasks import fail_task_of

        fail_task_of(pk, message)
    return ended


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
    check_scenario_version(scenario, version)
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
    """The run ``pk`` or :class:`NotFoundError` (ended as failed if its worker is gone)."""
    run = LevelingRun.objects.select_related("scenario").filter(pk=pk).first()
    if run is None:
        raise NotFoundError(_("no leveling run %(run)s") % {"run": pk})
    if run.read_as_lost:
        fail_lost_runs(run_id=pk)
        run = LevelingRun.objects.select_related("scenario").get(pk=pk)
    return run


def shown_progress(run: LevelingRun) -> int:
    """Progress to show: the stored value, interpolated by time while the solver runs."""
    if run.state == LevelingState.RUNNING and run.phase == "solving" and run.started_at:
        elapsed = (timezone.now() - run.started_at).total_seconds()
        return max(run.progress, min(89, 10 + int(80 * elapsed / max(run.time_limit, 1))))
    return run.progress
