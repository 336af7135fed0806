"""Web pages of governance: the gate review page — prepare (checklist, documents, review
date), decide, attach and download deliverable files, withdraw. Thin: read via selectors,
write via services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from pmo.accounts.models import user_of
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.errors import DomainError, FieldError, NotFoundError, ValidationFailed
from pmo.core.http import posted_version
from pmo.core.sentences import join_sentences
from pmo.governance import attachments, checklist, selectors, services, submission
from pmo.governance.forms import DecisionForm, ReviewRequestForm
from pmo.governance.models import GateReview, ReviewState
from pmo.governance.views import _person_name, _project_or_404
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.selectors import get_ending
from pmo.portfolio.views.common import refuse_reader


def _review_or_404(project: Any, review_id: int) -> GateReview:
    review = (
        selectors.list_reviews(project)
        .select_related("lifecycle__template")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404("no such review")
    return review


def _reason(exc: DomainError) -> str:
    """What a page says about a refused file: the problem, without the API's field name
    (``file: the file is empty``)."""
    return exc.errors[0]["message"] if isinstance(exc, FieldError) else exc.message


def _attach_chosen_files(
    request: HttpRequest, user: Any, review: Any
) -> tuple[list[str], list[str]]:
    """Files chosen in the deliverable rows go with the same Save as the checklist.

    "Upload file" used to post a form of its own, and whatever was ticked or typed in the
    checklist since the last Save was lost without a word. The names attached and the
    reasons of the files refused.
    """
    attached_names: list[str] = []
    refused: list[str] = []
    for link in review.deliverables.select_related("deliverable"):
        upload = request.FILES.get(f"file_{link.deliverable_id}")
        if upload is None:
            continue
        review.refresh_from_db(fields=["version"])
        try:
            attached = services.attach_deliverable_file(
                actor=user,
                review=review,
                deliverable_id=link.deliverable_id,
                upload=upload,
                version=review.version,
            )
        except DomainError as exc:
            refused.append(
                _("%(deliverable)s: %(reason)s")
                % {"deliverable": link.deliverable.display_name, "reason": _reason(exc)}
            )
        else:
            attached_names.append(attached.file_name)
    return attached_names, refused


def _with_uploader_names(links: Any) -> list[Any]:
    rows = list(links)
    for link in rows:
        link.uploader_name = _person_name(link.uploaded_by)
    return rows


def _scheduled_for(request: HttpRequest) -> tuple[dt.date | None, str]:
    """The review date posted with the checklist (``None`` when blank), and why it is
    refused ("" when it is fine): the form field's checks, the accepted range included."""
    try:
        day = ReviewRequestForm.base_fields["scheduled_for"].clean(
            (request.POST.get("scheduled_for") or "").strip()
        )
    except ValidationError as exc:
        return None, join_sentences(exc.messages)
    return day, ""


def _posted_checklist(request: HttpRequest, review: GateReview) -> dict[str, list[Any]]:
    """The checklist as posted: one item per criterion and per deliverable, in page order."""
    return {
        "checks": [
            {
                "criterion_id": check.criterion_id,
                "met": request.POST.get(f"met_{check.criterion_id}") == "on",
                "evidence_url": request.POST.get(f"evidence_{check.criterion_id}", ""),
                "note": request.POST.get(f"note_{check.criterion_id}", ""),
            }
            for check in review.checks.all()
        ],
        "deliverables": [
            {
                "deliverable_id": link.deliverable_id,
                "url": request.POST.get(f"url_{link.deliverable_id}", ""),
            }
            for link in review.deliverables.all()
        ],
    }


def _checklist_errors(
    errors: list[dict[str, str]], posted: dict[str, list[Any]]
) -> tuple[dict[str, str], list[str]]:
    """The service's errors by the input they are about (``evidence_<criterion>``,
    ``url_<deliverable>``, ``scheduled_for``), and those about no input."""
    inputs = {"evidence_url": "evidence", "url": "url"}
    at: dict[str, str] = {}
    other: list[str] = []
    for error in errors:
        parts = (error.get("field") or "").split(".")
        name = None
        if parts == ["scheduled_for"]:
            name = "scheduled_for"
        elif len(parts) == 3 and parts[1].isdigit() and parts[2] in inputs:
            items = posted.get(parts[0], [])
            if int(parts[1]) < len(items):
                item = items[int(parts[1])]
                key = item.get("criterion_id", item.get("deliverable_id"))
                name = f"{inputs[parts[2]]}_{key}"
        if name is None:
            other.append(error["message"])
        else:
            at[name] = error["message"]
    return at, other


def _prepare(request: HttpRequest, user: Any, review: GateReview) -> dict[str, Any] | None:
    """Save the posted checklist (then attach the files chosen) and say how it went; or,
    when a field is refused, what to show again: the posted values, each error at its
    field (nothing is saved then, and nothing typed is lost)."""
    posted = _posted_checklist(request, review)
    scheduled_for, date_problem = _scheduled_for(request)
    try:
        if date_problem:
            raise FieldError("scheduled_for", date_problem)
        checklist.prepare_review(
            actor=user,
            review=review,
            version=posted_version(request),
            scheduled_for=scheduled_for,
            checks=posted["checks"],
            deliverables=posted["deliverables"],
        )
    except (FieldError, ValidationFailed) as exc:
        at, other = _checklist_errors(exc.errors, posted)
        messages.error(request, _("The checklist was not saved. Correct the fields marked below."))
        for message in other:
            messages.error(request, message)
        if any(request.FILES.get(f"file_{d['deliverable_id']}") for d in posted["deliverables"]):
            messages.warning(request, _("Nothing was attached: choose the files again."))
        return {"posted": posted, "errors": at, "scheduled_for": request.POST.get("scheduled_for")}
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    attached, refused = _attach_chosen_files(request, user, review)
    submit = bool(request.POST.get("submit"))
    if request.POST.get("upload") and not attached and not refused:  # saved all the same
        messages.error(request, _("Choose a file first, then press “Upload file”."))
    elif refused:  # one message: what was refused (the checklist is saved all the same)
        messages.error(
            request,
            _("Not attached: %(files)s. The checklist is saved.")
            % {"files": pgettext("list of problems", "; ").join(refused)},
        )
    elif attached:
        for name in attached:
            messages.success(request, _("File %(name)s attached.") % {"name": name})
    elif not submit:
        messages.success(request, _("Review prepared."))
    if submit:
        _submit(request, user, review)
    return None


def _submit(request: HttpRequest, user: Any, review: GateReview) -> None:
    """Submit the review just saved for decision, and say how it went (the checklist is
    saved either way)."""
    review.refresh_from_db(fields=["version"])
    try:
        submission.submit_review(actor=user, review=review, version=review.version)
    except DomainError as exc:
        messages.error(
            request,
            _("Not submitted for decision: %(reason)s. The checklist is saved.")
            % {"reason": exc.message},
        )
    else:
        messages.success(request, _("Submitted for decision: the deciders are notified."))


def _checklist_rows(
    review: GateReview, again: dict[str, Any] | None
) -> tuple[list[Any], list[Any]]:
    """The checklist's criteria and deliverables as shown: as saved, or as posted with
    each refused field's error (``again``, from :func:`_prepare`)."""
    checks = list(review.checks.select_related("criterion"))
    links = _with_uploader_names(
        review.deliverables.select_related("deliverable", "uploaded_by__person")
    )
    errors = again["errors"] if again else {}
    for check in checks:
        check.error = errors.get(f"evidence_{check.criterion_id}", "")  # type: ignore[attr-defined]
    for link in links:
        link.error = errors.get(f"url_{link.deliverable_id}", "")
    if again:
        posted_checks = {c["criterion_id"]: c for c in again["posted"]["checks"]}
        for check in checks:
            item = posted_checks[check.criterion_id]
            check.met, check.evidence_url, check.note = (
                item["met"],
                item["evidence_url"],
                item["note"],
            )
        posted_links = {d["deliverable_id"]: d for d in again["posted"]["deliverables"]}
        for link in links:
            link.url = posted_links[link.deliverable_id]["url"]
    return checks, links


@login_required
def review_detail(request: HttpRequest, code: str, review_id: int) -> HttpResponse:
    """Prepare (checklist, documents), then decide (deciders of the gate)."""
    project = _project_or_404(request, code)
    review = _review_or_404(project, review_id)
    user = user_of(request)
    phases = list(review.lifecycle.template.phases.order_by("order"))
    decision_form = DecisionForm(phases=phases)
    again: dict[str, Any] | None = None  # a refused checklist, shown again as posted
    if request.method == "POST" and request.POST.get("action") == "decide":
        if not services.can_decide(user, review.gate):  # refused before the form is read
            raise PermissionDenied(_("You may read this gate review but not decide it."))
        decision_form = DecisionForm(request.POST, phases=phases)
        if decision_form.is_valid():
            data = decision_form.cleaned_data
            try:
                services.decide_gate(
                    actor=user,
                    review=review,
                    outcome=data["outcome"],
                    rationale=data["rationale"],
                    conditions=decision_form.conditions(),
                    waive=data["waive"],
                    waiver_reason=data["waiver_reason"],
                    recycle_to=data["recycle_to"] or None,
                    decided_on=data["decided_on"],
                    version=posted_version(request),
                )
            except DomainError as exc:
                decision_form.add_service_errors(
                    exc.errors or [{"field": "", "message": exc.message}]
                )
            else:
                messages.success(request, _("Decision recorded."))
                late = [
                    c for c in decision_form.conditions() if c["due_date"] < timezone.localdate()
                ]
                if late:
                    messages.warning(
                        request,
                        ngettext(
                            "%(count)s condition was already due when recorded: "
                            "it shows as overdue.",
                            "%(count)s conditions were already due when recorded: "
                            "they show as overdue.",
                            len(late),
                        )
                        % {"count": len(late)},
                    )
                return redirect("governance:review_detail", code=project.code, review_id=review.pk)
    elif request.method == "POST" and request.POST.get("action") == "prepare":
        if (refused := refuse_reader(request, project)) is not None:
            return refused
        again = _prepare(request, user, review)
        if again is None:
            return redirect("governance:review_detail", code=project.code, review_id=review.pk)
    elif request.method == "POST" and not selectors.can_decide_review(user, review):
        # no step named: someone who may take neither is refused all the same (a post's
        # refusal is raised: the 403 page)
        refuse_reader(request, project)
    review.refresh_from_db()
    checks, links = _checklist_rows(review, again)
    decision = getattr(review, "decision", None) if review.state == ReviewState.DECIDED else None
    return render(
        request,
        "governance/gatereview_detail.html",
        {
            "project": project,
            "review": review,
            "checks": checks,
            "links": links,
            "date_error": again["errors"].get("scheduled_for", "") if again else "",
            "first_date": FIRST_DATE.isoformat(),
            "last_date": LAST_DATE.isoformat(),
            "scheduled_for": again["scheduled_for"] if again else None,
            "allowed_extensions": ",".join(f".{e}" for e in sorted(attachments.ALLOWED_EXTENSIONS)),
            "max_upload_mb": attachments.max_upload_bytes() // (1024 * 1024),
            "decision": decision,
            "decided_by_name": (
                _person_name(decision.decided_by) or decision.decided_by_name if decision else ""
            ),
            "requested_by_name": _person_name(review.requested_by),
            "submitted_by_name": _person_name(review.submitted_by),
            "conditions": list(decision.conditions.select_related("owner")) if decision else [],
            "unmet": checklist.unmet_requirements_shown(review),
            "waived": checklist.waived_shown(review, decision.waived) if decision else [],
            "can_prepare": review.state == ReviewState.REQUESTED
            and can_edit_project(user, project),
            "can_decide": selectors.can_decide_review(user, review),
            "form": decision_form,
            "withdrawn_at_end": _withdrawn_at_end(project, review),
        },
    )


def _withdrawn_at_end(project: Any, review: GateReview) -> Any:
    """How the project ended, for a review withdrawn on or after that day (ending a project
    withdraws its open reviews; the page says why), else ``None``."""
    if review.state != ReviewState.WITHDRAWN or not project.is_ended:
        return None
    ending = get_ending(project)
    if ending is None or ending.day is None:
        return None
    return ending if timezone.localdate(review.updated_at) >= ending.day else None


@login_required
@require_http_methods(["GET", "POST"])
def review_deliverable_file(
    request: HttpRequest, code: str, review_id: int, deliverable_id: int
) -> HttpResponseBase:
    """GET downloads a deliverable's file; POST (multipart ``file``) uploads or replaces it."""
    project = _project_or_404(request, code)
    review = _review_or_404(project, review_id)
    if request.method == "GET":
        link = selectors.get_deliverable_file(review, deliverable_id)
        if link is None:
            raise Http404("no such file")
        try:
            return attachments.download_response(link)
        except NotFoundError as exc:
            raise Http404(exc.message) from None
    if (refused := refuse_reader(request, project)) is not None:
        return refused
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise FieldError("file", _("choose a file to upload"))
        link = services.attach_deliverable_file(
            actor=user_of(request),
            review=review,
            deliverable_id=deliverable_id,
            upload=upload,
            version=posted_version(request),
        )
    except DomainError as exc:
        messages.error(request, _reason(exc))
    else:
        messages.success(request, _("File %(name)s attached.") % {"name": link.file_name})
    return redirect("governance:review_detail", code=project.code, review_id=review.pk)


@login_required
@require_POST
def review_withdraw(request: HttpRequest, code: str, review_id: int) -> HttpResponse:
    project = _project_or_404(request, code)
    review = _review_or_404(project, review_id)
    if (refused := refuse_reader(request, project)) is not None:
        return refused
    try:
        services.withdraw_review(actor=user_of(request), review=review, version=review.version)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("governance:lifecycle_detail", code=project.code)
