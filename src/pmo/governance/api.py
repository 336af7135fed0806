"""REST endpoints of stage-gate governance; thin: parse, call a service or selector, serialise."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Converted, Date, Id, Pages
from pmo.core.errors import NotFoundError, PermissionDeniedError
from pmo.governance import attachments, calendar, selectors, services, steering
from pmo.governance.models import (
    GateCondition,
    GateReview,
    LifecycleTemplate,
    SteeringMeeting,
)
from pmo.portfolio.access import get_visible_project
from pmo.portfolio.models import Phase, PmoType, Project

router = Router(tags=["governance"])

RoleName = Literal["pmo_admin", "pmo_member", "project_manager", "executive", "viewer"]
OutcomeName = Literal["go", "go_conditions", "hold", "recycle", "stop"]


# --- schemas ----------------------------------------------------------------------------------


class CriterionIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    text_zh: str = Field("", max_length=300)
    kind: Literal["entry", "exit"] = "exit"
    mandatory: bool = True


class DeliverableIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    mandatory: bool = True
    template_url: str = Field("", max_length=200)


class GateIn(Schema):
    code: str = Field(..., min_length=1, max_length=10)
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    decider_roles: list[RoleName] = ["executive", "pmo_admin"]
    decider_ids: list[int] = []
    criteria: list[CriterionIn] = []
    deliverables: list[DeliverableIn] = []


class PhaseIn(Schema):
    key: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    category: Phase
    expected_days: int = Field(30, ge=0, le=3650)
    gate: GateIn | None = None


class LifecycleTemplateIn(Schema):
    """A whole template; posting an existing ``code`` creates its next revision."""

    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    pmo_type: PmoType | Literal[""] = ""
    description: str = ""
    description_zh: str = ""
    phases: list[PhaseIn] = Field(..., min_length=2)


class CriterionOut(Schema):
    id: int
    text: str
    text_zh: str
    kind: str
    mandatory: bool


class DeliverableOut(Schema):
    id: int
    name: str
    name_zh: str
    mandatory: bool
    template_url: str


class GateOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str
    decider_roles: list[str]
    criteria: list[CriterionOut]
    deliverables: list[DeliverableOut]

    @staticmethod
    def resolve_criteria(obj: Any) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_deliverables(obj: Any) -> list[Any]:
        return list(obj.deliverables.all())


class PhaseOut(Schema):
    id: int
    order: int
    key: str
    name: str
    name_zh: str
    category: str
    expected_days: int
    gate: GateOut | None

    @staticmethod
    def resolve_gate(obj: Any) -> Any:
        return getattr(obj, "gate_def", None)


class LifecycleTemplateOut(Schema):
    id: int
    code: str
    revision: int
    name: str
    name_zh: str
    pmo_type: str
    description: str
    description_zh: str
    builtin: bool
    in_use: int = 0


class LifecycleTemplateDetailOut(LifecycleTemplateOut):
    phases: list[PhaseOut]

    @staticmethod
    def resolve_phases(obj: LifecycleTemplate) -> list[Any]:
        return selectors.template_structure(obj)


class LifecycleStartIn(Schema):
    template_id: Id
    started_on: Date | None = None


class ProjectGateOut(Schema):
    gate: str
    name: str
    planned: dt.date
    forecast: dt.date
    actual: dt.date | None


class LifecyclePhaseOut(Schema):
    key: str
    name: str
    category: str
    days_in_phase: int
    current: bool
    gate: ProjectGateOut | None


class LifecycleOut(Schema):
    project: str
    template: str
    template_id: int
    state: str
    current_phase: str
    next_gate: str | None
    next_gate_due: dt.date | None
    open_conditions: int
    version: int
    phases: list[LifecyclePhaseOut]


class CheckIn(Schema):
    criterion_id: Id
    met: bool
    evidence_url: str = Field("", max_length=200)
    note: str = Field("", max_length=300)


class DeliverableLinkIn(Schema):
    deliverable_id: Id
    url: str = Field("", max_length=200)


class GateReviewIn(Schema):
    gate: str | None = Field(None, description="code of the gate; must be the next one")
    scheduled_for: Date | None = None
    notes: str = ""


class GateReviewPatch(Schema):
    version: int
    checks: list[CheckIn] = []
    deliverables: list[DeliverableLinkIn] = []
    scheduled_for: Date | None = None
    notes: str | None = None


class VersionIn(Schema):
    version: int | None = None


class ConditionIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    owner_id: Id
    due_date: Date


class DecisionIn(Schema):
    outcome: OutcomeName
    rationale: str = ""
    conditions: list[ConditionIn] = []
    waive: bool = False
    waiver_reason: str = ""
    recycle_to: str | None = Field(None, description="phase key for a recycle")
    decided_on: Date | None = None
    version: int | None = None


class ConditionOut(Schema):
    id: int
    text: str
    owner_id: int
    due_date: dt.date
    status: str
    closed_on: dt.date | None
    version: int


class DecisionOut(Schema):
    outcome: str
    decided_on: dt.date
    decided_by: str
    rationale: str
    waived: list[str]
    waiver_reason: str
    recycle_to: str | None
    conditions: list[ConditionOut]

    @staticmethod
    def resolve_decided_by(obj: Any) -> str:
        return obj.decided_by_name

    @staticmethod
    def resolve_recycle_to(obj: Any) -> str | None:
        return obj.recycle_to.key if obj.recycle_to_id else None

    @staticmethod
    def resolve_conditions(obj: Any) -> list[Any]:
        return list(obj.conditions.all())


class CheckOut(Schema):
    criterion_id: int
    text: str
    mandatory: bool
    met: bool
    evidence_url: str
    note: str

    @staticmethod
    def resolve_text(obj: Any) -> str:
        return obj.criterion.text

    @staticmethod
    def resolve_mandatory(obj: Any) -> bool:
        return obj.criterion.mandatory


class DeliverableFileOut(Schema):
    name: str
    size: int
    content_type: str
    uploaded_by: str | None
    uploaded_at: dt.datetime | None


class DeliverableLinkOut(Schema):
    deliverable_id: int
    name: str
    mandatory: bool
    url: str
    file: DeliverableFileOut | None = Field(
        None, description="the uploaded document; download it from .../file"
    )

    @staticmethod
    def resolve_file(obj: Any) -> dict[str, Any] | None:
        if not obj.file:
            return None
        return {
            "name": obj.file_name,
            "size": obj.file_size or 0,
            "content_type": obj.content_type,
            "uploaded_by": obj.uploaded_by.username if obj.uploaded_by else None,
            "uploaded_at": obj.uploaded_at,
        }

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.deliverable.name

    @staticmethod
    def resolve_mandatory(obj: Any) -> bool:
        return obj.deliverable.mandatory


class GateReviewOut(Schema):
    id: int
    project: str
    gate: str
    state: str
    scheduled_for: dt.date | None
    notes: str
    version: int
    checks: list[CheckOut]
    deliverables: list[DeliverableLinkOut]
    decision: DecisionOut | None

    @staticmethod
    def resolve_project(obj: GateReview) -> str:
        return obj.lifecycle.project.code

    @staticmethod
    def resolve_gate(obj: GateReview) -> str:
        return obj.gate.code

    @staticmethod
    def resolve_checks(obj: GateReview) -> list[Any]:
        return list(obj.checks.all())

    @staticmethod
    def resolve_deliverables(obj: GateReview) -> list[Any]:
        return list(obj.deliverables.all())

    @staticmethod
    def resolve_decision(obj: GateReview) -> Any:
        return getattr(obj, "decision", None)


class SteeringMeetingIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    date: Date
    window_days: int = Field(14, ge=0, le=366)
    location: str = Field("", max_length=200)


class SteeringMeetingPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)
    date: Date | None = None
    window_days: int | None = Field(None, ge=0, le=366)
    location: str | None = Field(None, max_length=200)
    minutes: str | None = None


class AgendaItemOut(Schema):
    order: int = Field(description="the line's place in the agenda, from 0 (as stored)")
    number: int = Field(description="the line's number as the meeting page shows it, from 1")
    kind: str = Field(
        description="gate, red, escalated, condition, decided, change_request or other"
    )
    project: str | None
    gate: str | None
    code: str | None = Field(
        description="the code of what a line of another app is about (a change request's "
        "CR-…), when that app gives it"
    )
    ref: str = Field(description="what a line of another app is about (change_request:12)")
    overdue: bool
    review_requested: bool
    project_cancelled_on: dt.date | None = Field(
        description="the project was cancelled on that day, after the agenda was drawn up: "
        "the line needs no decision (regenerating the agenda leaves it out)"
    )
    title: str = Field(description="what the line says, in the request's language")
    due: dt.date | None

    @staticmethod
    def resolve_number(obj: Any) -> int:
        return int(obj.order) + 1

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


class MeetingOutcomeIn(Schema):
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
        "escalated, condition, decided, change_request, other"
    )
    outcomes: int = Field(description="decisions and actions recorded")


class CalendarEntryOut(Schema):
    project: str
    gate: str
    name: str
    due: dt.date = Field(description="the forecast date")
    planned: dt.date
    overdue: bool
    review_id: int | None = Field(description="the open review of this (next) gate, if any")
    review_date: dt.date | None = Field(description="the date that review is scheduled for")
    state: Literal["scheduled", "requested", "not_requested", "later"] = Field(
        description="scheduled: its review has a date; requested: a review without a date; "
        "not_requested: the next gate, no review yet; later: a gate after the next one"
    )

    @staticmethod
    def resolve_project(obj: Any) -> str:
        return obj.project.code

    @staticmethod
    def resolve_gate(obj: Any) -> str:
        return obj.gate.code

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.gate.name

    @staticmethod
    def resolve_review_id(obj: Any) -> int | None:
        return obj.review.pk if obj.review else None


# --- helpers ----------------------------------------------------------------------------------


def _template(template_id: int) -> LifecycleTemplate:
    template = selectors.list_templates().filter(pk=template_id).first()
    if template is None:
        raise NotFoundError(_("no lifecycle template %(id)s") % {"id": template_id})
    return template


def _project(request: HttpRequest, code: str) -> Project:
    return get_visible_project(user_of(request), code)


def _review(request: HttpRequest, code: str, review_id: int) -> GateReview:
    project = _project(request, code)
    review = (
        GateReview.objects.select_related("lifecycle__project", "gate")
        .prefetch_related(
            "checks__criterion",
            "deliverables__deliverable",
            "deliverables__uploaded_by",
        )
        .filter(lifecycle__project=project, pk=review_id)
        .first()
    )
    if review is None:
        raise NotFoundError(
            _("project %(project)s has no gate review %(review)s")
            % {"project": code, "review": review_id}
        )
    return review


def _meeting(request: HttpRequest, meeting_id: int) -> SteeringMeeting:
    meeting = SteeringMeeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFoundError(_("no steering meeting %(id)s") % {"id": meeting_id})
    return meeting


def _lifecycle_out(project: Project) -> dict[str, Any]:
    lifecycle = selectors.get_lifecycle(project)
    if lifecycle is None:
        raise NotFoundError(
            _("project %(project)s does not follow a lifecycle") % {"project": project.code}
        )
    rows = selectors.phase_rows(lifecycle)
    return {
        "project": project.code,
        "template": str(lifecycle.template),
        "template_id": lifecycle.template_id,
        "state": lifecycle.state,
        "current_phase": lifecycle.current_phase.key,
        "next_gate": lifecycle.next_gate.code if lifecycle.next_gate else None,
        "next_gate_due": lifecycle.next_gate_due,
        "open_conditions": lifecycle.open_conditions,
        "version": lifecycle.version,
        "phases": [
            {
                "key": r.phase.key,
                "name": r.phase.name,
                "category": r.phase.category,
                "days_in_phase": r.days,
                "current": r.current,
                "gate": {
                    "gate": r.gate.gate.code,
                    "name": r.gate.gate.name,
                    "planned": r.gate.planned,
                    "forecast": r.gate.forecast,
                    "actual": r.gate.actual,
                }
                if r.gate
                else None,
            }
            for r in rows
        ],
    }


# --- lifecycle templates ----------------------------------------------------------------------


@router.get("/lifecycle-templates", response=list[LifecycleTemplateOut], summary="Templates")
@paginate(Pages)
def list_templates(request: HttpRequest, code: str = "", latest_only: bool = False):  # type: ignore[no-untyped-def]
    qs = selectors.list_templates(latest_only=latest_only)
    return qs.filter(code=code) if code else qs


@router.post(
    "/lifecycle-templates",
    response={201: LifecycleTemplateDetailOut},
    summary="Define a template (or the next revision of a code) (PMO admin)",
)
def create_template(request: HttpRequest, payload: LifecycleTemplateIn):  # type: ignore[no-untyped-def]
    template = services.create_template(
        actor=user_of(request), definition=payload.dict(exclude_none=True)
    )
    return Status(201, _template(template.pk))


@router.get(
    "/lifecycle-templates/{template_id}",
    response=LifecycleTemplateDetailOut,
    summary="A template with phases, gates, criteria and deliverables",
)
def get_template(request: HttpRequest, template_id: int):  # type: ignore[no-untyped-def]
    return _template(template_id)


@router.delete(
    "/lifecycle-templates/{template_id}",
    response={204: None},
    summary="Delete a template revision that no project follows (PMO admin)",
)
def delete_template(request: HttpRequest, template_id: int):  # type: ignore[no-untyped-def]
    services.delete_template(actor=user_of(request), template=_template(template_id))
    return Status(204, None)


# --- project lifecycle and gate reviews -------------------------------------------------------


@router.get("/projects/{code}/lifecycle", response=LifecycleOut, summary="A project's lifecycle")
def get_lifecycle(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return _lifecycle_out(_project(request, code))


@router.post(
    "/projects/{code}/lifecycle",
    response={201: LifecycleOut},
    summary="Put a project on a lifecycle template (PMO)",
)
def start_lifecycle(request: HttpRequest, code: str, payload: LifecycleStartIn):  # type: ignore[no-untyped-def]
    project = _project(request, code)
    services.start_lifecycle(
        actor=user_of(request),
        project=project,
        template=_template(payload.template_id),
        started_on=payload.started_on,
    )
    return Status(201, _lifecycle_out(project))


@router.get("/projects/{code}/gate-reviews", response=list[GateReviewOut], summary="Gate reviews")
@paginate(Pages)
def list_reviews(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return (
        selectors.list_reviews(_project(request, code))
        .select_related("lifecycle__project")
        .prefetch_related(
            "checks__criterion",
            "deliverables__deliverable",
            "deliverables__uploaded_by",
            "decision__conditions",
        )
    )


@router.post(
    "/projects/{code}/gate-reviews",
    response={201: GateReviewOut},
    summary="Request the review of the next gate (PM)",
)
def request_review(request: HttpRequest, code: str, payload: GateReviewIn):  # type: ignore[no-untyped-def]
    review = services.request_review(
        actor=user_of(request),
        project=_project(request, code),
        gate_code=payload.gate,
        scheduled_for=payload.scheduled_for,
        notes=payload.notes,
    )
    return Status(201, _review(request, code, review.pk))


@router.get(
    "/projects/{code}/gate-reviews/{review_id}", response=GateReviewOut, summary="One review"
)
def get_review(request: HttpRequest, code: str, review_id: int):  # type: ignore[no-untyped-def]
    return _review(request, code, review_id)


@router.patch(
    "/projects/{code}/gate-reviews/{review_id}",
    response=GateReviewOut,
    summary="Prepare: tick criteria with evidence, link deliverables (version-checked)",
)
def prepare_review(request: HttpRequest, code: str, review_id: int, payload: GateReviewPatch):  # type: ignore[no-untyped-def]
    services.prepare_review(
        actor=user_of(request),
        review=_review(request, code, review_id),
        version=payload.version,
        checks=[c.dict() for c in payload.checks],
        deliverables=[d.dict() for d in payload.deliverables],
        scheduled_for=payload.scheduled_for,
        notes=payload.notes,
    )
    return _review(request, code, review_id)


@router.post(
    "/projects/{code}/gate-reviews/{review_id}/deliverables/{deliverable_id}/file",
    response=GateReviewOut,
    summary="Attach a deliverable as a file (multipart); replaces its file in an open review",
    description=(
        "Allowed extensions: "
        + ", ".join(sorted(attachments.ALLOWED_EXTENSIONS))
        + ". Larger than PMO_MAX_UPLOAD_MB: 413; empty or another type: 422; "
        "decided review: 409."
    ),
)
def upload_deliverable_file(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    code: str,
    review_id: int,
    deliverable_id: int,
    file: UploadedFile = File(...),  # noqa: B008
    version: int | None = Form(None),
):
    services.attach_deliverable_file(
        actor=user_of(request),
        review=_review(request, code, review_id),
        deliverable_id=deliverable_id,
        upload=file,
        version=version,
    )
    return _review(request, code, review_id)


@router.get(
    "/projects/{code}/gate-reviews/{review_id}/deliverables/{deliverable_id}/file",
    summary="Download a deliverable's file (as an attachment)",
    response={200: None},
)
def download_deliverable_file(  # type: ignore[no-untyped-def]
    request: HttpRequest, code: str, review_id: int, deliverable_id: int
):
    link = selectors.get_deliverable_file(_review(request, code, review_id), deliverable_id)
    if link is None:
        raise NotFoundError(
            _("deliverable %(deliverable)s of review %(review)s has no file")
            % {"deliverable": deliverable_id, "review": review_id}
        )
    return attachments.download_response(link)


@router.post(
    "/projects/{code}/gate-reviews/{review_id}/decide",
    response=GateReviewOut,
    summary="Record the decision (deciders of the gate); 409 if decided already",
)
def decide_review(request: HttpRequest, code: str, review_id: int, payload: DecisionIn):  # type: ignore[no-untyped-def]
    services.decide_gate(
        actor=user_of(request),
        review=_review(request, code, review_id),
        outcome=payload.outcome,
        rationale=payload.rationale,
        conditions=[c.dict() for c in payload.conditions],
        waive=payload.waive,
        waiver_reason=payload.waiver_reason,
        recycle_to=payload.recycle_to,
        decided_on=payload.decided_on,
        version=payload.version,
    )
    return _review(request, code, review_id)


@router.post(
    "/projects/{code}/gate-reviews/{review_id}/withdraw",
    response=GateReviewOut,
    summary="Withdraw an open review",
)
def withdraw_review(request: HttpRequest, code: str, review_id: int, payload: VersionIn):  # type: ignore[no-untyped-def]
    services.withdraw_review(
        actor=user_of(request), review=_review(request, code, review_id), version=payload.version
    )
    return _review(request, code, review_id)


@router.get("/projects/{code}/gate-conditions", response=list[ConditionOut], summary="Conditions")
def list_conditions(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return GateCondition.objects.filter(project=_project(request, code))


@router.post(
    "/projects/{code}/gate-conditions/{condition_id}/close",
    response=ConditionOut,
    summary="Close a condition",
)
def close_condition(request: HttpRequest, code: str, condition_id: int, payload: VersionIn):  # type: ignore[no-untyped-def]
    condition = GateCondition.objects.filter(
        project=_project(request, code), pk=condition_id
    ).first()
    if condition is None:
        raise NotFoundError(
            _("project %(project)s has no condition %(condition)s")
            % {"project": code, "condition": condition_id}
        )
    return services.close_condition(
        actor=user_of(request), condition=condition, version=payload.version
    )


@router.get("/gate-calendar", response=list[CalendarEntryOut], summary="Gates due and overdue")
@paginate(Pages)
def gate_calendar(request: HttpRequest, start: Date | None = None, days: int = 90):  # type: ignore[no-untyped-def]
    """Gates not yet passed whose forecast falls in ``days`` from ``start`` (today), and
    every overdue next gate; by date, a page at a time."""
    today = timezone.localdate()
    first = start or today
    days = max(1, min(days, 731))
    rows = calendar.gate_calendar_rows(user_of(request), first, first + dt.timedelta(days=days))
    return Converted(rows, lambda page: calendar.calendar_entries(page, today))


# --- steering committee -----------------------------------------------------------------------


def _require_reader(request: HttpRequest) -> None:
    """Meetings span the whole portfolio: those who read the whole portfolio read them."""
    user = user_of(request)
    if not user.reads_whole_portfolio:
        raise PermissionDeniedError(
            _("steering meetings span the whole portfolio: they are for those who read all of it")
        )


@router.get(
    "/steering-meetings",
    response=list[SteeringMeetingSummaryOut],
    summary="Steering meetings, newest first: each with its agenda's size, not its lines",
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
)
def create_meeting(request: HttpRequest, payload: SteeringMeetingIn):  # type: ignore[no-untyped-def]
    meeting = steering.create_meeting(actor=user_of(request), data=payload.dict())
    return Status(201, meeting)


@router.get(
    "/steering-meetings/{meeting_id}",
    response=SteeringMeetingOut,
    summary="One meeting with its whole agenda, minutes and outcomes",
)
def get_meeting(request: HttpRequest, meeting_id: int):  # type: ignore[no-untyped-def]
    _require_reader(request)
    return _meeting(request, meeting_id)


@router.patch(
    "/steering-meetings/{meeting_id}",
    response=SteeringMeetingOut,
    summary="Change a meeting, e.g. the minutes (version-checked)",
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
)
def regenerate_agenda(request: HttpRequest, meeting_id: int):  # type: ignore[no-untyped-def]
    return steering.regenerate_agenda(actor=user_of(request), meeting=_meeting(request, meeting_id))


@router.post(
    "/steering-meetings/{meeting_id}/outcomes",
    response={201: MeetingOutcomeOut},
    summary="Record a decision or action; it goes to the project's RAID log",
)
def record_outcome(request: HttpRequest, meeting_id: int, payload: MeetingOutcomeIn):  # type: ignore[no-untyped-def]
    outcome = steering.record_outcome(
        actor=user_of(request),
        meeting=_meeting(request, meeting_id),
        project=_project(request, payload.project),
        kind=payload.kind,
        title=payload.title,
        owner_id=payload.owner_id,
        due_date=payload.due_date,
    )
    return Status(201, outcome)
