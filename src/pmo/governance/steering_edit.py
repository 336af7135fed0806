"""The PMO edits a drawn-up agenda: removes a line, moves it inside its section, adds one by
hand (ADR 0002, "Editing an agenda").

Edits are meeting edits: PMO only, version-checked (each raises the meeting's version), audited
in the meeting's scope, and refused for a held meeting (its agenda stays as the minutes refer
to it). Lines are renumbered after every edit, so ``order`` stays the line's place in the whole
agenda (from 0) and the number the page shows is ``order + 1``. A line stays in its section:
the sections read in a fixed order (to decide, to watch, for information).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.errors import ConflictError, NotFoundError
from pmo.core.i18n import mid_sentence
from pmo.governance.ended import ProjectEndedError
from pmo.governance.meetings import AgendaItem, AgendaKind, AgendaSection, SteeringMeeting
from pmo.governance.steering import SECTION_RANK, _failed, _require_pmo, in_sections
from pmo.governance.steering_selectors import meeting_state
from pmo.portfolio.models import ENDED_STATES, Project

__all__ = ["add_agenda_line", "move_agenda_line", "remove_agenda_line"]

TITLE_MAX = 300


def _editable(actor: User, meeting: SteeringMeeting, version: int | None) -> SteeringMeeting:
    """The meeting, locked, if ``actor`` may edit its agenda now."""
    _require_pmo(actor)
    meeting = SteeringMeeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if meeting_state(meeting) == "held":
        raise ConflictError(
            _(
                "the meeting of %(date)s is held: its agenda stays as it was (the minutes "
                "refer to it)"
            )
            % {"date": f"{meeting.date:%Y-%m-%d}"}
        )
    meeting.check_version(version)
    return meeting


def _line(meeting: SteeringMeeting, line_id: int) -> AgendaItem:
    line = meeting.agenda.filter(pk=line_id).select_related("project", "gate").first()
    if line is None:
        raise NotFoundError(_("no line %(id)s on this agenda") % {"id": line_id})
    return line


def _agenda(meeting: SteeringMeeting) -> list[AgendaItem]:
    """The meeting's lines in their order, section by section (an agenda drawn up before
    sections existed, or of a meeting moved from the past, is put in order by the edit)."""
    return in_sections(list(meeting.agenda.order_by("order", "pk")))


def _renumber(lines: list[AgendaItem]) -> None:
    """Give ``lines`` (the whole agenda, in its new order) the orders 0, 1, 2, ..."""
    moved = []
    for order, line in enumerate(lines):
        if line.order != order:
            line.order = order
            moved.append(line)
    AgendaItem.objects.bulk_update(moved, ["order"], batch_size=1000)


def _edited(
    actor: User, meeting: SteeringMeeting, line: AgendaItem, action: str, changes: Any
) -> None:
    meeting.version += 1
    meeting.save(update_fields=["version", "updated_at"])
    record(
        actor=actor,
        action=action,
        instance=line,
        scope=f"meeting:{meeting.pk}",
        changes=changes,
    )


def _line_text(line: AgendaItem) -> str:
    code = f"{line.project.code} " if line.project_id and line.project else ""
    return f"{code}{line.label}"[:300]


@transaction.atomic
def remove_agenda_line(
    *, actor: User, meeting: SteeringMeeting, line_id: int, version: int | None
) -> SteeringMeeting:
    """Take a line off the agenda; the lines after it move up one place. A line drawn from
    the portfolio comes back when the agenda is regenerated."""
    meeting = _editable(actor, meeting, version)
    line = _line(meeting, line_id)
    text = _line_text(line)
    lines = _agenda(meeting)
    number = next(i for i, other in enumerate(lines) if other.pk == line.pk) + 1
    line_pk = line.pk
    line.delete()
    _renumber([other for other in lines if other.pk != line_pk])
    line.pk = line_pk  # the audit names the row removed
    _edited(actor, meeting, line, AuditAction.DELETE, {"line": [f"{number}. {text}", None]})
    return meeting


@transaction.atomic
def move_agenda_line(
    *, actor: User, meeting: SteeringMeeting, line_id: int, order: int, version: int | None
) -> SteeringMeeting:
    """Put a line at place ``order`` (from 0, in the whole agenda) inside its section."""
    meeting = _editable(actor, meeting, version)
    line = _line(meeting, line_id)
    lines = _agenda(meeting)
    places = [i for i, other in enumerate(lines) if other.section == line.section]
    first, last = places[0], places[-1]
    if isinstance(order, bool) or not isinstance(order, int) or not first <= order <= last:
        raise _failed(
            [
                {
                    "field": "order",
                    "message": _(
                        "between %(first)s and %(last)s: a line stays in its section (%(section)s)"
                    )
                    % {
                        "first": first,
                        "last": last,
                        "section": mid_sentence(line.get_section_display()),
                    },
                }
            ]
        )
    before = next(i for i, other in enumerate(lines) if other.pk == line.pk)
    if before == order:
        _renumber(lines)
        return meeting
    moving = lines.pop(before)
    lines.insert(order, moving)
    _renumber(lines)
    _edited(
        actor,
        meeting,
        line,
        AuditAction.UPDATE,
        {"number": [before + 1, order + 1], "line": [_line_text(line), _line_text(line)]},
    )
    return meeting


@transaction.atomic
def add_agenda_line(
    *,
    actor: User,
    meeting: SteeringMeeting,
    title: str,
    project: str | None = None,
    section: str = AgendaSection.DECIDE,
    version: int | None,
) -> AgendaItem:
    """Add a line by hand (kind *other*) at the end of ``section``, about ``project`` (a
    code) if given. Regenerating the agenda keeps it."""
    meeting = _editable(actor, meeting, version)
    errors = []
    text = (title or "").strip()
    if not text:
        errors.append({"field": "title", "message": _("is required")})
    elif len(text) > TITLE_MAX:
        errors.append(
            {"field": "title", "message": _("at most %(max)s characters") % {"max": TITLE_MAX}}
        )
    if section not in AgendaSection.values:
        errors.append(
            {
                "field": "section",
                "message": _("one of %(values)s") % {"values": ", ".join(AgendaSection.values)},
            }
        )
    found = None
    code = (project or "").strip()
    if code:
        found = Project.objects.filter(code=code).first()
        if found is None:
            errors.append(
                {"field": "project", "message": _("no project with code %(code)s") % {"code": code}}
            )
    if errors:
        raise _failed(errors)
    if found is not None and found.state in ENDED_STATES:
        raise ProjectEndedError(
            _("project %(project)s is %(state)s: it takes no new line on a steering agenda")
            % {"project": found.code, "state": mid_sentence(found.get_state_display())}
        )
    lines = _agenda(meeting)
    rank = SECTION_RANK[section]
    place = sum(1 for other in lines if SECTION_RANK.get(other.section, 0) <= rank)
    line = AgendaItem(
        meeting=meeting,
        order=place,
        kind=AgendaKind.OTHER,
        section=section,
        project=found,
        title=text,
        by_hand=True,
    )
    _renumber([*lines[:place], line, *lines[place:]])  # the new line is at its place already
    line.save()
    _edited(
        actor,
        meeting,
        line,
        AuditAction.CREATE,
        {"line": [None, f"{place + 1}. {_line_text(line)}"], "section": [None, section]},
    )
    return line
