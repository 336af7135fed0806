"""Gate reviews, their decisions and conditions (part of the governance API)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, Id, Pages, Version
from pmo.core.errors import NotFoundError
from pmo.governance import attachments, checklist, selectors, services, submission
from pmo.governance.api.common import visible_project
from pmo.governance.models import GateCondition, GateReview

router = Router()

OutcomeName = Literal["go", "go_conditions", "hold", "recycle", "stop"]


class CheckIn(Body):
    criterion_id: Id
    met: bool
    evidence_url: str = Field("", max_length=200)
    note: str = Field("", max_length=300)


class DeliverableLinkIn(Body):
    deliverable_id: Id
    url: str = Field("", max_length=200)


class GateReviewIn(Body):
    gate: str | None = Field(None, description="code of the gate; must be the next one")
    scheduled_for: Date | None = None
    notes: str = ""


class GateReviewPatch(Body):
    version: Version
    checks: list[CheckIn] = []
    deliverables: list[DeliverableLinkIn] = []
    scheduled_for: Date | None = None
    notes: str | None = None


class VersionIn(Body):
    version: Version | None = None


def _version(payload: VersionIn | None) -> int | None:
    """The version of an optional body: a submit, withdraw or close sent without a body
    checks no version, as with ``{}``; the review's or condition's existence (404) and the
    caller's rights (403) are then checked before anything about a body."""
    return payload.version if payload is not None else None


class ConditionIn(Body):
    text: str = Field(..., min_length=1, max_length=300)
    owner_id: Id
    due_date: Date


class GateDecisionIn(Body):
    outcome: OutcomeName
    rationale: str = ""
    conditions: list[ConditionIn] = []
    waive: bool = False
    waiver_reason: str = ""
    recycle_to: str | None = Field(None, description="phase key for a recycle")
    decided_on: Date | None = None
    version: Version | None = None


class ConditionOut(Schema):
    id: int
    text: str
    owner_id: int
    due_date: dt.date
    status: str
    closed_on: dt.date | None
    version: int


class GateDecisionOut(Schema):
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
    state: str = Field(description="requested (open), decided or withdrawn")
    stage: Literal["preparing", "ready", "decided", "withdrawn"] = Field(
        description="preparing (requested, the PM completes the checklist), ready (submitted "
        "for decision: handed over to the deciders), decided or withdrawn"
    )
    ready_for_decision: bool = Field(
        description="submitted for decision and still open; a change of the checklist after "
        "that takes it back to preparing"
    )
    submitted_at: dt.datetime | None = Field(
        description="when it was submitted for decision (null while preparing)"
    )
    submitted_by: str | None = Field(description="the user name of who submitted it")
    scheduled_for: dt.date | None
    notes: str
    version: int
    checks: list[CheckOut]
    deliverables: list[DeliverableLinkOut]
    decision: GateDecisionOut | None

    @staticmethod
    def resolve_project(obj: GateReview) -> str:
        return obj.lifecycle.project.code

    @staticmethod
    def resolve_gate(obj: GateReview) -> str:
        return obj.gate.code

    @staticmethod
    def resolve_submitted_by(obj: GateReview) -> str | None:
        return obj.submitted_by.username if obj.submitted_by_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_checks(obj: GateReview) -> list[Any]:
        return list(obj.checks.all())

    @staticmethod
    def resolve_deliverables(obj: GateReview) -> list[Any]:
        return list(obj.deliverables.all())

    @staticmethod
    def resolve_decision(obj: GateReview) -> Any:
        return getattr(obj, "decision", None)


def _review(request: HttpRequest, code: str, review_id: int) -> GateReview:
    project = visible_project(request, code)
    review = (
        GateReview.objects.select_related("lifecycle__project", "gate", "submitted_by")
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


# --- gate reviews and conditions --------------------------------------------------------------


@router.get(
    "/projects/{code}/gate-reviews",
    response=list[GateReviewOut],
    summary="Gate reviews",
    operation_id="pmo_governance_api_list_reviews",
)
@paginate(Pages)
def list_reviews(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return (
        selectors.list_reviews(visible_project(request, code))
        .select_related("lifecycle__project", "submitted_by")
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
    operation_id="pmo_governance_api_request_review",
)
def request_review(request: HttpRequest, code: str, payload: GateReviewIn):  # type: ignore[no-untyped-def]
    review = services.request_review(
        actor=user_of(request),
        project=visible_project(request, code),
        gate_code=payload.gate,
        scheduled_for=payload.scheduled_for,
        notes=payload.notes,
    )
    return Status(201, _review(request, code, review.pk))


@router.get(
    "/projects/{code}/gate-reviews/{review_id}",
    response=GateReviewOut,
    summary="One review",
    operation_id="pmo_governance_api_get_review",
)
def get_review(request: HttpRequest, code: str, review_id: int):  # type: ignore[no-untyped-def]
    return _review(request, code, review_id)


@router.patch(
    "/projects/{code}/gate-reviews/{review_id}",
    response=GateReviewOut,
    summary="Prepare: tick criteria with evidence, link deliverables (version-checked)",
    operation_id="pmo_governance_api_prepare_review",
)
def prepare_review(request: HttpRequest, code: str, review_id: int, payload: GateReviewPatch):  # type: ignore[no-untyped-def]
    checklist.prepare_review(
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
    operation_id="pmo_governance_api_upload_deliverable_file",
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
    operation_id="pmo_governance_api_download_deliverable_file",
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
    "/projects/{code}/gate-reviews/{review_id}/submit",
    response=GateReviewOut,
    summary="Submit a prepared review for decision (PM or PMO); its deciders are notified",
    description=(
        "Refused with 409 when the review is not open, is submitted already, the version is "
        "stale, or the checklist is not complete: every mandatory criterion met and every "
        "mandatory deliverable with a link or a file; `errors` then names each missing row "
        "(`checks.<n>.met`, `deliverables.<n>.url`, n as this review lists them). A later "
        "change of the checklist (PATCH of checks or deliverables, a file) takes the review "
        "back to preparing; the review date and notes do not. The body is optional (no "
        "version: none is checked): an unknown review is a 404 and a caller who may not "
        "submit gets a 403 whether or not a body is sent."
    ),
    operation_id="pmo_governance_api_submit_review",
)
def submit_review(  # type: ignore[no-untyped-def]
    request: HttpRequest, code: str, review_id: int, payload: VersionIn | None = None
):
    submission.submit_review(
        actor=user_of(request),
        review=_review(request, code, review_id),
        version=_version(payload),
    )
    return _review(request, code, review_id)


@router.post(
    "/projects/{code}/gate-reviews/{review_id}/decide",
    response=GateReviewOut,
    summary="Record the decision (deciders of the gate); 409 if decided already",
    operation_id="pmo_governance_api_decide_review",
)
def decide_review(request: HttpRequest, code: str, review_id: int, payload: GateDecisionIn):  # type: ignore[no-untyped-def]
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
    operation_id="pmo_governance_api_withdraw_review",
)
def withdraw_review(  # type: ignore[no-untyped-def]
    request: HttpRequest, code: str, review_id: int, payload: VersionIn | None = None
):
    services.withdraw_review(
        actor=user_of(request),
        review=_review(request, code, review_id),
        version=_version(payload),
    )
    return _review(request, code, review_id)


@router.get(
    "/projects/{code}/gate-conditions",
    response=list[ConditionOut],
    summary="Conditions",
    operation_id="pmo_governance_api_list_conditions",
)
def list_conditions(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return GateCondition.objects.filter(project=visible_project(request, code))


@router.post(
    "/projects/{code}/gate-conditions/{condition_id}/close",
    response=ConditionOut,
    summary="Close a condition",
    operation_id="pmo_governance_api_close_condition",
)
def close_condition(  # type: ignore[no-untyped-def]
    request: HttpRequest, code: str, condition_id: int, payload: VersionIn | None = None
):
    condition = GateCondition.objects.filter(
        project=visible_project(request, code), pk=condition_id
    ).first()
    if condition is None:
        raise NotFoundError(
            _("project %(project)s has no condition %(condition)s")
            % {"project": code, "condition": condition_id}
        )
    return services.close_condition(
        actor=user_of(request), condition=condition, version=_version(payload)
    )
