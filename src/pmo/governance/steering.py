"""Steering committee use-cases: meetings, their generated agenda, minutes and outcomes.

The agenda is generated from the portfolio when the meeting is created (and on
request), in three sections (:class:`AgendaSection`). *To decide*: gates due up to
``window_days`` after the meeting (and overdue ones) and other open gate reviews, decisions
asked in status reports, open issues escalated to the steering committee, and the lines of
apps above governance (:data:`AGENDA_SOURCES`: the change-control app lists pending change
requests above its thresholds). *To watch*: projects red in their last two reporting periods
and overdue gate conditions. *For information*: the gate decisions of the ``window_days``
before the meeting. The PMO edits a drawn-up agenda with :mod:`pmo.governance.steering_edit`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.dates import date_out_of_range
from pmo.core.errors import FieldError, PermissionDeniedError, ValidationFailed
from pmo.governance import ended
from pmo.governance.models import (
    AgendaItem,
    MeetingOutcome,
    SteeringMeeting,
)
from pmo.governance.reviews import (
    EndedAs,
    OutcomeKind,
)
from pmo.governance.steering_agenda import (
    AGENDA_SOURCES,
    CONDITION_REF,
    SECTION_RANK,
    agenda_candidates,
    condition_labels,
    in_sections,
)
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project, ProjectState
from pmo.portfolio.raid import RaidStatus

__all__ = [
    "AGENDA_SOURCES",
    "CONDITION_REF",
    "SECTION_RANK",
    "agenda_candidates",
    "condition_labels",
    "create_meeting",
    "date_fixed_reason",
    "follow_ended_project",
    "in_sections",
    "record_outcome",
    "regenerate_agenda",
    "update_meeting",
]

MEETING_FIELDS = ("title", "date", "window_days", "location", "minutes")

FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "date": gettext_lazy("Date"),
    "window_days": gettext_lazy("Agenda window (days)"),
    "location": gettext_lazy("Location"),
    "minutes": gettext_lazy("Minutes"),
    "project": gettext_lazy("Project code"),
    "kind": gettext_lazy("Kind"),
    "section": gettext_lazy("Section"),
    "order": gettext_lazy("Place"),
    "owner_id": gettext_lazy("Owner"),
    "due_date": gettext_lazy("Due"),
}
"""What the fields of a meeting and of its outcomes are called on the pages: errors name
them so ("Title: is required"), ``errors[].field`` keeps the API's name."""

_RAID_FIELDS = {"owner": "owner_id"}
"""Fields of the RAID entry an outcome writes, by the name the outcome's caller used."""


def _failed(errors: list[dict[str, str]]) -> ValidationFailed:
    """The fields' errors, each named as the page names it in the summary."""
    shown = [
        _("%(field)s: %(message)s")
        % {"field": FIELD_LABELS.get(e["field"], e["field"]), "message": e["message"]}
        for e in errors
    ]
    return ValidationFailed("; ".join(shown), errors=errors)


def _require_pmo(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_pmo:
        raise PermissionDeniedError(_("only the PMO prepares steering committee meetings"))


def _write_agenda(meeting: SteeringMeeting) -> None:
    """Draw the agenda up again from the portfolio. The lines the PMO added by hand stay
    (at the end of their section, in their order) unless their project has ended since
    (:func:`pmo.governance.ended.kept_on_agenda`, the rule of every other line); lines the
    PMO removed come back and moved ones go back to their place."""
    by_hand = list(meeting.agenda.filter(by_hand=True).order_by("order"))
    kept = ended.still_on_agenda(by_hand)
    AgendaItem.objects.filter(meeting=meeting).exclude(pk__in=[i.pk for i in kept]).delete()
    items = in_sections(agenda_candidates(meeting.date, meeting.window_days) + kept)
    for order, item in enumerate(items):
        item.meeting, item.order = meeting, order
    AgendaItem.objects.bulk_create([i for i in items if i.pk is None], batch_size=2000)
    AgendaItem.objects.bulk_update([i for i in items if i.pk is not None], ["order"])


def follow_ended_project(*, project: Project, day: dt.date) -> int:
    """A project cancelled on ``day`` (by a Stop decision or by hand) or closed by hand: its
    lines in the agendas of meetings not held yet (today or later) that no longer belong on
    an agenda (:func:`pmo.governance.ended.kept_on_agenda`, the rule a regenerated agenda
    follows) say so. Held meetings keep their agendas as they were (the minutes refer to
    them). The lines stay (the committee may have the agenda in hand) until the agenda is
    regenerated, which leaves them out. Returns the number of lines marked."""
    lines = AgendaItem.objects.filter(
        meeting__date__gte=timezone.localdate(), project=project, project_ended_on__isnull=True
    ).select_related("gate")
    moot = [line.pk for line in lines if not ended.kept_on_agenda(line, project.state)]
    closed = project.state == ProjectState.CLOSED
    return AgendaItem.objects.filter(pk__in=moot).update(
        project_ended_on=day, project_ended_as=EndedAs.CLOSED if closed else EndedAs.CANCELLED
    )


def _set(meeting: SteeringMeeting, data: dict[str, Any]) -> None:
    for field, value in data.items():
        if field not in MEETING_FIELDS:
            raise _failed(
                [{"field": field, "message": _("is not a meeting field that can be set")}]
            )
        setattr(meeting, field, value if value is not None else "")
    errors = []
    if not (meeting.title or "").strip():
        errors.append({"field": "title", "message": _("is required")})
    if not isinstance(meeting.date, dt.date):
        errors.append({"field": "date", "message": _("a date is required")})
    elif problem := date_out_of_range(meeting.date):
        errors.append({"field": "date", "message": problem})
    if not isinstance(meeting.window_days, int) or not 0 <= meeting.window_days <= 366:
        errors.append({"field": "window_days", "message": _("between 0 and 366 days")})
    if errors:
        raise _failed(errors)


@transaction.atomic
def create_meeting(*, actor: User, data: dict[str, Any]) -> SteeringMeeting:
    """Plan a meeting and generate its agenda from the portfolio (PMO)."""
    _require_pmo(actor)
    meeting = SteeringMeeting(created_by=actor)
    _set(meeting, data)
    meeting.save()
    _write_agenda(meeting)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=meeting,
        scope=f"meeting:{meeting.pk}",
        changes=diff({}, snapshot(meeting)),
    )
    return meeting


@transaction.atomic
def regenerate_agenda(*, actor: User, meeting: SteeringMeeting) -> SteeringMeeting:
    """Rebuild the agenda from today's portfolio, keeping the lines added by hand
    (:func:`_write_agenda`); the meeting's version goes up (an edit of the agenda read
    before is refused)."""
    _require_pmo(actor)
    meeting = SteeringMeeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _write_agenda(meeting)
    meeting.version += 1
    meeting.save(update_fields=["version", "updated_at"])
    return meeting


def date_fixed_reason(meeting: SteeringMeeting, today: dt.date | None = None) -> str | None:
    """Why the meeting's date can no longer change, or ``None`` while it can.

    A meeting is held once its day has passed (``selectors.meeting_state``) or once the
    committee's work is written down: minutes, or decisions and actions recorded (their
    RAID entries carry the meeting's date). Its date is then a fact the minutes and the
    RAID log refer to (ADR 0002, "A held meeting's date is fixed").
    """
    day = f"{meeting.date:%Y-%m-%d}"
    if meeting.date < (today or timezone.localdate()):
        return _("the meeting was held on %(date)s: its date stays as it was") % {"date": day}
    if meeting.minutes.strip() or MeetingOutcome.objects.filter(meeting=meeting).exists():
        return _(
            "the meeting of %(date)s is held (minutes or outcomes are recorded): its date "
            "stays as it was"
        ) % {"date": day}
    return None


@transaction.atomic
def update_meeting(
    *, actor: User, meeting: SteeringMeeting, data: dict[str, Any], version: int | None
) -> SteeringMeeting:
    """Change a meeting (e.g. write the minutes); version-checked. The date of a held
    meeting is refused (:func:`date_fixed_reason`, 422 at ``date``)."""
    _require_pmo(actor)
    meeting = SteeringMeeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    meeting.check_version(version)
    before = snapshot(meeting)
    changes_date = "date" in data and data["date"] != meeting.date
    if changes_date and (reason := date_fixed_reason(meeting)):
        raise _failed([{"field": "date", "message": reason}])
    _set(meeting, data)
    changes = diff(before, snapshot(meeting))
    if changes:
        meeting.version += 1
        meeting.save()
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=meeting,
            scope=f"meeting:{meeting.pk}",
            changes=changes,
        )
    return meeting


@transaction.atomic
def record_outcome(
    *,
    actor: User,
    meeting: SteeringMeeting,
    project: Project,
    kind: str,
    title: str,
    owner_id: int | None = None,
    due_date: dt.date | None = None,
) -> MeetingOutcome:
    """Record a decision or action of the meeting in the project's RAID log and link it here."""
    _require_pmo(actor)
    ended.check_outcome(project, meeting.date)
    if kind not in OutcomeKind.values:
        raise _failed([{"field": "kind", "message": _("decision or action")}])
    if not (title or "").strip():
        raise _failed([{"field": "title", "message": _("is required")}])
    data: dict[str, Any] = {"title": title.strip()[:255], "owner": owner_id, "due_date": due_date}
    if kind == OutcomeKind.DECISION:
        data |= {
            "decision_status": "decided",
            "decided_by": meeting.title[:200],
            "decided_on": meeting.date,
            "status": RaidStatus.CLOSED,
        }
    try:
        item = portfolio_services.create_raid_item(
            actor=actor, project=project, kind=f"{kind}s", data=data
        )
    except (FieldError, ValidationFailed) as exc:  # named by the RAID entry's fields
        raise _failed(
            [
                {"field": _RAID_FIELDS.get(e["field"], e["field"]), "message": e["message"]}
                for e in exc.errors
            ]
        ) from None
    outcome = MeetingOutcome.objects.create(
        meeting=meeting, kind=kind, project=project, raid_id=item.pk, title=data["title"]
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=outcome,
        scope=f"meeting:{meeting.pk}",
        changes={
            "project": [None, project.code],
            "kind": [None, kind],
            "title": [None, data["title"]],
        },
    )
    return outcome
