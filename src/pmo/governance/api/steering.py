"""Steering committee meetings: agenda, minutes and outcomes (part of the governance API)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Converted, Date, Id, Pages, Version, VersionParam, refuse_body
from pmo.core.errors import NotFoundError, PermissionDeniedError, charged_to
from pmo.governance import selectors, steering, steering_edit
from pmo.governance.api.common import visible_project
from pmo.governance.meetings import DUE_OVERDUE
from pmo.governance.models import SteeringMeeting

router = Router()


class SteeringMeetingIn(Body):
    title: str = Field(..., min_length=1, max_length=200)
    date: Date
    window_days: int = Field(14, ge=0, le=366)
    location: str = Field("", max_length=200)


class SteeringMeetingPatch(Body):
    version: Version
    title: str | None = Field(None, min_length=1, max_length=200)
    date: Date | None = None
    window_days: int | None = Field(None, ge=0, le=366)
    location: str | None = Field(None, max_length=200)
    minutes: str | None = None


class AgendaLineIn(Body):
    """A line the PMO adds by hand (kind ``other``), at the end of its section."""

    version: Version
    title: str = Field(..., min_length=1, max_length=300)
    project: str | None = Field(None, max_length=40, description="the code of a project")
    section: Literal["decide", "watch", "info"] = Field(
        "decide", description="decide (to decide), watch (to watch) or info (for information)"
    )


class AgendaLinePatch(Body):
    """Move a line: its new place in the whole agenda, from 0, inside its section."""

    version: Version
    order: int = Field(..., ge=0, le=32767, strict=True)


class AgendaItemOut(Schema):
    id: int
    order: int = Field(description="the line's place in the agenda, from 0 (as stored)")
    number: int = Field(description="the line's number as the meeting page shows it, from 1")
    kind: str = Field(
        description="gate, red, escalated, condition, decided, change_request, "
        "report_decision (a decision asked in a status report: ref status_report:<id>) or "
        "other"
    )
    section: str = Field(
        description="decide (to decide: gates, decisions asked, escalated issues, change "
        "requests), watch (to watch: red projects, overdue conditions) or info (for "
        "information: gate decisions); the lines of a section follow each other"
    )
    by_hand: bool = Field(
        description="added by the PMO: regenerating the agenda keeps it (removed and moved "
        "lines drawn from the portfolio come back to their place)"
    )
    review_id: int | None = Field(
        description="a gate line's review: the one requested, or the one decided since"
    )
    project: str | None
    gate: str | None
    code: str | None = Field(
        description="the code of what a line of another app is about (a change request's "
        "CR-…), when that app gives it"
    )
    ref: str = Field(description="what a line of another app is about (change_request:12)")
    overdue: bool = Field(
        description="a gate line whose gate is overdue today (for a held meeting: was overdue "
        'on the meeting\'s day); the title then says "overdue"'
    )
    overdue_by_meeting: bool = Field(
        description="a gate line whose gate is due before the meeting date: overdue by the "
        "time the committee meets (also true when overdue already); the title says "
        '"overdue by the meeting" when it is not overdue yet'
    )
    review_requested: bool
    review_ready: bool = Field(
        description="a gate line whose open review is submitted for decision (its checklist "
        "was complete when handed over to the deciders); the title then says so"
    )
    project_ended_on: dt.date | None = Field(
        description="the project was cancelled or closed on that day, after the agenda was "
        "drawn up: the line needs no decision (regenerating the agenda leaves it out)"
    )
    project_ended_as: str = Field(
        description="closed or cancelled when project_ended_on is set, else empty"
    )
    project_cancelled_on: dt.date | None = Field(
        description="project_ended_on when the project was cancelled (kept for clients of "
        "the first version; read project_ended_on and project_ended_as)"
    )
    title: str = Field(description="what the line says, in the request's language")
    url: str | None = Field(
        description="the page the line leads to, as the meeting page links it (a path "
        "relative to the site, e.g. /projects/P0001/gate-reviews/12/): a gate line's review "
        "(requested, or decided since) else the project's lifecycle page, a decision line's "
        "review, a decision asked's status report, another app's line its page; null for a "
        "line that leads nowhere (added by hand, or its thing is gone)"
    )
    due: dt.date | None

    @staticmethod
    def resolve_url(obj: Any) -> str | None:
        return getattr(obj, "url", None)

    @staticmethod
    def resolve_number(obj: Any) -> int:
        return int(obj.order) + 1

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.due_state == DUE_OVERDUE)

    @staticmethod
    def resolve_overdue_by_meeting(obj: Any) -> bool:
        return bool(obj.due_state)

    @staticmethod
    def resolve_review_ready(obj: Any) -> bool:
        return bool(getattr(obj, "review_ready", False))

    @staticmethod
    def resolve_review_id(obj: Any) -> int | None:
        return getattr(obj, "review_id", None)

    @staticmethod
    def resolve_code(obj: Any) -> str | None:
        return getattr(obj, "ref_code", None) if obj.ref else None

    @staticmethod
    def resolve_project(obj: Any) -> str | None:
        return obj.project.code if obj.project_id else None

    @staticmethod
    def resolve_gate(obj: Any) -> str | None:
        return obj.gate.code if obj.gate_id else None

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return obj.label


class MeetingOutcomeIn(Body):
    project: str
    kind: Literal["decision", "action"]
    title: str = Field(..., min_length=1, max_length=255)
    owner_id: Id | None = None
    due_date: Date | None = None


class MeetingOutcomeOut(Schema):
    id: int
    kind: str
    project: str
    raid_id: int
    title: str

    @staticmethod
    def resolve_project(obj: Any) -> str:
        return obj.project.code


class _MeetingFields(Schema):
    """What the list and the single meeting both say of a meeting."""

    id: int
    title: str
    date: dt.date
    state: Literal["planned", "held"] = Field(
        description="planned: on or after today; held: before today"
    )
    window_days: int
    location: str
    has_minutes: bool
    date_fixed: bool = Field(
        description="the meeting is held (its day has passed, or minutes or outcomes are "
        "recorded): a PATCH of another date is refused (422 at date)"
    )
    version: int


class SteeringMeetingOut(_MeetingFields):
    minutes: str
    agenda: list[AgendaItemOut]
    outcomes: list[MeetingOutcomeOut]

    @staticmethod
    def resolve_state(obj: SteeringMeeting) -> str:
        return selectors.meeting_state(obj)

    @staticmethod
    def resolve_has_minutes(obj: SteeringMeeting) -> bool:
        return bool(obj.minutes.strip())

    @staticmethod
    def resolve_date_fixed(obj: SteeringMeeting) -> bool:
        return steering.date_fixed_reason(obj) is not None

    @staticmethod
    def resolve_agenda(obj: SteeringMeeting) -> list[Any]:
        return selectors.list_agenda(obj)

    @staticmethod
    def resolve_outcomes(obj: SteeringMeeting) -> list[Any]:
        return list(obj.outcomes.select_related("project"))


class SteeringMeetingSummaryOut(_MeetingFields):
    """A meeting as the list shows it: what it is and how long its agenda is, without the
    agenda itself (a big portfolio's runs to thousands of lines; read it from
    ``GET /steering-meetings/{id}``)."""

    agenda_lines: int
    agenda_by_kind: dict[str, int] = Field(
        description="agenda lines per kind, every kind (0 without lines): gate, red, "
        "escalated, condition, decided, change_request, report_decision, other"
    )
    outcomes: int = Field(description="decisions and actions recorded")

    @staticmethod
    def resolve_date_fixed(obj: Any) -> bool:
        return obj.state == "held" or obj.has_minutes or obj.outcomes > 0


def _meeting(request: HttpRequest, meeting_id: int) -> SteeringMeeting:
    meeting = SteeringMeeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFoundError(_("no steering meeting %(id)s") % {"id": meeting_id})
    return meeting


def _require_reader(request: HttpRequest) -> None:
    """Meetings span the whole portfolio: those who read the whole portfolio read them."""
    user = user_of(request)
    if not user.reads_whole_portfolio:
        raise PermissionDeniedError(
            _("steering meetings span the whole portfolio: they are for those who read all of it")
        )


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/steering-meetings",
    response=list[SteeringMeetingSummaryOut],
    summary="Steering meetings, newest first: each with its agenda's size, not its lines",
    operation_id="pmo_governance_api_list_meetings",
)
@paginate(Pages)
def list_meetings(request: HttpRequest):  # type: ignore[no-untyped-def]
    _require_reader(request)
    return Converted(
        SteeringMeeting.objects.order_by("-date", "-id"),
        lambda page: selectors.meeting_summaries(page, timezone.localdate()),
    )


@router.post(
    "/steering-meetings",
    response={201: SteeringMeetingOut},
    summary="Plan a meeting; the agenda is generated from the portfolio (PMO)",
    operation_id="pmo_governance_api_create_meeting",
)
def create_meeting(request: HttpRequest, payload: SteeringMeetingIn):  # type: ignore[no-untyped-def]
    meeting = steering.create_meeting(actor=user_of(request), data=payload.dict())
    return Status(201, meeting)


@router.get(
    "/steering-meetings/{meeting_id}",
    response=SteeringMeetingOut,
    summary="One meeting with its whole agenda, minutes and outcomes",
    operation_id="pmo_governance_api_get_meeting",
)
def get_meeting(request: HttpRequest, meeting_id: int):  # type: ignore[no-untyped-def]
    _require_reader(request)
    return _meeting(request, meeting_id)


@router.patch(
    "/steering-meetings/{meeting_id}",
    response=SteeringMeetingOut,
    summary="Change a meeting, e.g. the minutes (version-checked)",
    operation_id="pmo_governance_api_update_meeting",
)
def update_meeting(request: HttpRequest, meeting_id: int, payload: SteeringMeetingPatch):  # type: ignore[no-untyped-def]
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return steering.update_meeting(
        actor=user_of(request), meeting=_meeting(request, meeting_id), data=data, version=version
    )


@router.post(
    "/steering-meetings/{meeting_id}/agenda",
    response=SteeringMeetingOut,
    summary="Regenerate the agenda from the portfolio",
    operation_id="pmo_governance_api_regenerate_agenda",
)
def regenerate_agenda(request: HttpRequest, meeting_id: int):  # type: ignore[no-untyped-def]
    return steering.regenerate_agenda(actor=user_of(request), meeting=_meeting(request, meeting_id))


@router.post(
    "/steering-meetings/{meeting_id}/outcomes",
    response={201: MeetingOutcomeOut},
    summary="Record a decision or action; it goes to the project's RAID log",
    operation_id="pmo_governance_api_record_outcome",
)
def record_outcome(request: HttpRequest, meeting_id: int, payload: MeetingOutcomeIn):  # type: ignore[no-untyped-def]
    meeting = _meeting(request, meeting_id)
    with charged_to("project"):  # a project the body names, not the address: 422
        project = visible_project(request, payload.project)
    outcome = steering.record_outcome(
        actor=user_of(request),
        meeting=meeting,
        project=project,
        kind=payload.kind,
        title=payload.title,
        owner_id=payload.owner_id,
        due_date=payload.due_date,
    )
    return Status(201, outcome)


@router.post(
    "/steering-meetings/{meeting_id}/agenda/lines",
    response={201: SteeringMeetingOut},
    summary="Add a line to the agenda by hand, at the end of its section (PMO; version-checked)",
    operation_id="pmo_governance_api_add_agenda_line",
)
def add_agenda_line(request: HttpRequest, meeting_id: int, payload: AgendaLineIn):  # type: ignore[no-untyped-def]
    """The line is of kind ``other`` and ``by_hand``: regenerating the agenda keeps it. A
    project the body names that does not exist is a 422 at ``project``, one that has ended
    a 409; a held meeting's agenda is not edited (409). Returns the meeting, renumbered."""
    meeting = _meeting(request, meeting_id)
    line = steering_edit.add_agenda_line(
        actor=user_of(request),
        meeting=meeting,
        title=payload.title,
        project=payload.project,
        section=payload.section,
        version=payload.version,
    )
    return Status(201, line.meeting)


@router.patch(
    "/steering-meetings/{meeting_id}/agenda/lines/{line_id}",
    response=SteeringMeetingOut,
    summary="Move an agenda line to another place inside its section (PMO; version-checked)",
    operation_id="pmo_governance_api_move_agenda_line",
)
def move_agenda_line(  # type: ignore[no-untyped-def]
    request: HttpRequest, meeting_id: int, line_id: int, payload: AgendaLinePatch
):
    """``order`` is the line's new place in the whole agenda, from 0; outside its section's
    places it is a 422 at ``order``. Returns the meeting, renumbered."""
    return steering_edit.move_agenda_line(
        actor=user_of(request),
        meeting=_meeting(request, meeting_id),
        line_id=line_id,
        order=payload.order,
        version=payload.version,
    )


@router.delete(
    "/steering-meetings/{meeting_id}/agenda/lines/{line_id}",
    response=SteeringMeetingOut,
    summary="Remove an agenda line (PMO; version-checked); the lines after it move up",
    operation_id="pmo_governance_api_remove_agenda_line",
)
def remove_agenda_line(  # type: ignore[no-untyped-def]
    request: HttpRequest, meeting_id: int, line_id: int, version: VersionParam
):
    """A line drawn from the portfolio comes back when the agenda is regenerated; one added
    by hand does not. Returns the meeting, renumbered."""
    refuse_body(request)
    return steering_edit.remove_agenda_line(
        actor=user_of(request),
        meeting=_meeting(request, meeting_id),
        line_id=line_id,
        version=version,
    )
