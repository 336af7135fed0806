"""Deciding requests: a resource manager commits or declines proposed allocations, several
at once, all or none (ADR 0020)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.display import actor_name
from pmo.audit.last import last_change, local_minute
from pmo.audit.models import AuditAction, AuditEvent
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import ConflictError, DomainError, FieldError, PermissionDeniedError
from pmo.portfolio.models import ENDED_STATES
from pmo.resources.access import can_manage_resources
from pmo.resources.models import Allocation, AllocationStatus
from pmo.resources.services.allocations import update_allocation
from pmo.resources.services.common import _scope
from pmo.resources.services.request_news import asked_figures, changes_text, figures, plain, unplain
from pmo.resources.signals import requests_decided

__all__ = ["REASON_MAX", "Decided", "decide_requests"]

REASON_MAX = 200  # as an allocation's note

# one request decided: the allocation's id and the version the deciding page or client read
Choice = tuple[int, int | None]


@dataclass(frozen=True)
class Decided:
    committed: list[Allocation]
    declined: list[Allocation]  # as they were before their removal (ids kept)


@transaction.atomic
def decide_requests(
    *,
    actor: User,
    commit: Sequence[Choice] = (),
    decline: Sequence[Choice] = (),
    reason: str = "",
) -> Decided:
    """Commit the proposed allocations ``commit`` and decline (remove, audited with
    ``reason``) those of ``decline``, each at the version read; all or none: one stale,
    already decided or unknown request refuses the lot, naming it. The projects' managers
    are told (:data:`pmo.resources.signals.requests_decided`)."""
    if not can_manage_resources(actor):
        raise PermissionDeniedError(
            _("only resource managers commit or decline requests; a project's manager may propose")
        )
    reason = (reason or "").strip()
    if not commit and not decline:
        raise FieldError("commit", _("choose at least one request to commit or decline"))
    if decline and not reason:
        raise FieldError(
            "reason", _("say why the requests are declined: their project's manager reads it")
        )
    if len(reason) > REASON_MAX:
        raise FieldError(
            "reason",
            _("the reason is %(n)s characters long; at most %(max)s")
            % {"n": len(reason), "max": REASON_MAX},
        )
    both = {pk for pk, _v in commit} & {pk for pk, _v in decline}
    if both:
        raise FieldError(
            "decline",
            _("request %(id)s is both committed and declined: choose one") % {"id": min(both)},
        )
    rows = Allocation.objects.select_for_update(of=("self",)).select_related("project", "resource")
    found = rows.in_bulk([pk for pk, _v in [*commit, *decline]])
    committed = [
        _commit(actor, _pending(found, pk, version, "commit"), version) for pk, version in commit
    ]
    declined = [
        _decline(actor, _pending(found, pk, version, "decline"), reason) for pk, version in decline
    ]
    requests_decided.send(
        sender=Allocation,
        actor=actor,
        committed=committed,
        declined=declined,
        reason=reason,
        # what the decider changed of a request before committing it (its Change page)
        asked=asked_figures(actor, committed),
    )
    return Decided(committed, declined)


def _pending(found: dict[int, Allocation], pk: int, version: int | None, field: str) -> Allocation:
    """The request ``pk`` of the current plan, still proposed and at ``version``; one
    decided since (declined or removed, or committed) is a 409 naming who did, so two
    resource managers deciding at once learn what happened."""
    allocation = found.get(pk)
    if allocation is None:
        raise _gone(pk, field)
    named = {"id": pk, "label": str(allocation)}
    if allocation.scenario_id is not None:
        raise FieldError(
            field,
            _("allocation %(id)s is in a scenario: commit the scenario instead") % {"id": pk},
        )
    if allocation.project.state in ENDED_STATES:
        raise FieldError(
            field,
            _("allocation %(id)s (%(label)s) is of a closed or cancelled project: not a request")
            % named,
        )
    if allocation.status != AllocationStatus.PROPOSED:
        raise _committed_already(allocation, named)
    try:
        allocation.check_version(version)
    except ConflictError as exc:
        raise _changed_meanwhile(allocation, named, version, exc) from exc
    return allocation


def _updates(allocation: Allocation) -> list[AuditEvent]:
    """The allocation's recorded updates, newest first (each raised its version by one)."""
    return list(
        AuditEvent.objects.filter(
            object_type=Allocation._meta.label_lower,
            object_id=str(allocation.pk),
            action=AuditAction.UPDATE,
        )
        .select_related("actor__person")
        .order_by("-timestamp", "-id")[:MEANWHILE_MOST]
    )


MEANWHILE_MOST = 50  # updates read back to say who changed a request and what


def _committed_already(allocation: Allocation, named: dict[str, object]) -> ConflictError:
    """A request committed since the page was read: a 409 naming who committed it and when
    (the newest update that set it committed), as a declined one names who declined it."""
    event = next(
        (
            e
            for e in _updates(allocation)
            if (e.changes.get("status") or [None, None])[-1] == AllocationStatus.COMMITTED
        ),
        None,
    )
    if event is None:
        message = _("the request %(id)s (%(label)s) was committed already; reload the requests")
        return ConflictError(message % named, current_version=allocation.version)
    message = _(
        "the request %(id)s (%(label)s) was committed already by %(who)s at %(when)s; "
        "reload the requests"
    )
    return ConflictError(
        message % {**named, "who": actor_name(event), "when": local_minute(event.timestamp)},
        current_version=allocation.version,
    )


def _changed_meanwhile(
    allocation: Allocation, named: dict[str, object], version: int | None, exc: ConflictError
) -> ConflictError:
    """A request changed since the page read it at ``version`` (its project's manager moved
    it, say): a 409 naming who changed it last, when, and its resource, dates and FTE as
    read → as now (the updates since ``version``, one per version)."""
    since = _updates(allocation)[: max(0, allocation.version - (version or 0))]
    if not since:
        message = _("the request %(id)s (%(label)s): %(problem)s")
        return ConflictError(
            message % {**named, "problem": exc.message}, current_version=allocation.version
        )
    was = plain(allocation)
    for event in since:  # newest first: the oldest one's "before" is what the page read
        for name in was:
            if name in event.changes:
                was[name] = str(event.changes[name][0])
    what = changes_text(figures(allocation), unplain(was))
    params = {
        **named,
        "who": actor_name(since[0]),
        "when": local_minute(since[0].timestamp),
        "what": what,
    }
    if what:
        message = _(
            "the request %(id)s (%(label)s) was changed by %(who)s at %(when)s (%(what)s); "
            "reload the requests"
        )
    else:
        message = _(
            "the request %(id)s (%(label)s) was changed by %(who)s at %(when)s; reload the requests"
        )
    return ConflictError(message % params, current_version=allocation.version)


def _gone(pk: int, field: str) -> DomainError:
    """No allocation ``pk``: a 409 when the audit trail says it was declined or removed (by
    whom), else a 422 at ``field`` (no such id)."""
    removal = last_change(Allocation, pk, actions=[AuditAction.DELETE])
    if removal is None:
        return FieldError(field, _("no allocation %(id)s") % {"id": pk})
    named = {"id": pk, "label": removal.event.object_repr, "who": removal.who}
    if "declined" in removal.event.changes:
        message = _(
            "the request %(id)s (%(label)s) was declined already by %(who)s; reload the requests"
        )
    else:
        message = _(
            "the request %(id)s (%(label)s) was removed already by %(who)s; reload the requests"
        )
    return ConflictError(message % named)


def _commit(actor: User, allocation: Allocation, version: int | None) -> Allocation:
    try:
        return update_allocation(
            actor=actor,
            allocation=allocation,
            data={"status": "committed"},
            version=version,
            tell=False,
        )
    except DomainError as exc:  # the request named, as the page lists several
        exc.message = _("the request %(id)s (%(label)s): %(problem)s") % {
            "id": allocation.pk,
            "label": str(allocation),
            "problem": exc.message,
        }
        raise


def _decline(actor: User, allocation: Allocation, reason: str) -> Allocation:
    changes = diff(snapshot(allocation), {})
    changes["declined"] = [None, reason]
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=allocation,
        scope=_scope(allocation),
        changes=changes,
    )
    pk = allocation.pk
    allocation.delete()
    allocation.pk = pk  # named in the notification and the answer
    return allocation
