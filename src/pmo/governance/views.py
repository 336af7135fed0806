"""Web pages of governance. Thin: read via selectors, write via services."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from pmo.accounts.models import TokenScope, user_of
from pmo.accounts.services import authenticate_token, renew_calendar_token
from pmo.core.dates import FIRST_DATE, LAST_DATE, date_out_of_range
from pmo.core.errors import DomainError, FieldError, NotFoundError, ValidationFailed
from pmo.core.http import posted_version
from pmo.core.models import as_id
from pmo.governance import attachments, calendar, ical, selectors, services, steering
from pmo.governance.forms import (
    DecisionForm,
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    PhaseFormSet,
    ReviewRequestForm,
    TemplateForm,
    TemplateHeaderForm,
    add_errors_at_fields,
    definition_from_forms,
    initial_from_definition,
    template_error_text,
)
from pmo.governance.models import (
    GateCondition,
    GateReview,
    LifecycleTemplate,
    ReviewState,
    SteeringMeeting,
)
from pmo.portfolio.access import can_edit_project, get_visible_project


def _project_or_404(request: HttpRequest, code: str) -> Any:
    try:
        return get_visible_project(user_of(request), code)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


def _template_or_404(template_id: int) -> LifecycleTemplate:
    template = selectors.list_templates().filter(pk=template_id).first()
    if template is None:
        raise Http404("no such template")
    return template


# --- templates --------------------------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    """Every template revision with the number of projects that follow it."""
    return render(
        request,
        "governance/lifecycletemplate_list.html",
        {"templates": selectors.list_templates(), "can_define": user_of(request).is_pmo_admin},
    )


@login_required
def template_detail(request: HttpRequest, template_id: int) -> HttpResponse:
    """Phases, gates, criteria, deliverables and deciders of one revision."""
    template = _template_or_404(template_id)
    return render(
        request,
        "governance/lifecycletemplate_detail.html",
        {
            "template": template,
            "phases": selectors.template_structure(template),
            "can_define": user_of(request).is_pmo_admin,
        },
    )


def _source_definition(request: HttpRequest) -> dict[str, Any]:
    source = request.GET.get("from")
    base = (
        LifecycleTemplate.objects.filter(pk=pk).first() if (pk := as_id(source)) else None
    ) or LifecycleTemplate.objects.filter(code="generic").order_by("-revision").first()
    return selectors.template_definition(base) if base else {"phases": []}


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    """Define a template, or the next revision of one (``?from=<id>`` starts from it).

    The structured editor (a row per phase, criteria and deliverables one per line) is the
    default; ``?mode=json`` edits the same definition as JSON (the API's shape).
    """
    if not user_of(request).is_pmo_admin:
        messages.error(request, _("Only a PMO admin may define lifecycle templates."))
        return redirect("governance:template_list")
    mode = request.POST.get("mode") or request.GET.get("mode") or "form"
    json_form = header = phases = None
    errors: list[str] = []
    if request.method == "POST":
        definition = None
        if mode == "json":
            json_form = TemplateForm(request.POST)
            if json_form.is_valid():
                definition = json_form.cleaned_data["definition"]
        else:
            header, phases = TemplateHeaderForm(request.POST), PhaseFormSet(request.POST)
            if header.is_valid() and phases.is_valid():
                definition = definition_from_forms(header, phases)
        if definition is not None:
            try:
                template = services.create_template(actor=user_of(request), definition=definition)
            except DomainError as exc:
                kept = (
                    [i for i, f in enumerate(phases.forms) if f.cleaned_data and not f.is_blank()]
                    if phases is not None
                    else None
                )
                errors = [
                    template_error_text(e["field"], e["message"], kept)
                    for e in exc.errors or [{"field": "", "message": exc.message}]
                ]
            else:
                messages.success(request, _("Template %(name)s saved.") % {"name": template})
                return redirect("governance:template_detail", template_id=template.pk)
    elif mode == "json":
        definition = _source_definition(request)
        json_form = TemplateForm(
            initial={"definition": json.dumps(definition, ensure_ascii=False, indent=2)}
        )
    else:
        initial_header, rows = initial_from_definition(_source_definition(request))
        header, phases = TemplateHeaderForm(initial=initial_header), PhaseFormSet(initial=rows)
    return render(
        request,
        "governance/lifecycletemplate_form.html",
        {
            "mode": mode,
            "form": json_form,
            "header": header,
            "phases": phases,
            "errors": errors,
            "source": request.GET.get("from", ""),
            "source_template": (
                LifecycleTemplate.objects.filter(pk=pk).first()
                if (pk := as_id(request.GET.get("from")))
                else None
            ),
        },
    )


@login_required
@require_POST
def template_delete(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template_or_404(template_id)
    try:
        services.delete_template(actor=user_of(request), template=template)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("governance:template_detail", template_id=template.pk)
    messages.success(request, _("Template deleted."))
    return redirect("governance:template_list")


# --- project lifecycle and reviews ------------------------------------------------------------


@login_required
def lifecycle_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The project's lifecycle: phases with gate dates and time spent, reviews, conditions."""
    project = _project_or_404(request, code)
    context = selectors.lifecycle_panel(project, user_of(request))
    context.update(
        {
            "project": project,
            "reviews": _with_decider_names(
                selectors.list_reviews(project).select_related("decision__decided_by__person")
            ),
            "all_conditions": list(
                GateCondition.objects.filter(project=project).select_related("owner", "decision")
            ),
            "templates": selectors.list_templates(latest_only=True),
            "request_form": ReviewRequestForm(),
        }
    )
    return render(request, "governance/projectlifecycle_detail.html", context)


@login_required
@require_POST
def lifecycle_start(request: HttpRequest, code: str) -> HttpResponse:
    project = _project_or_404(request, code)
    template = LifecycleTemplate.objects.filter(pk=as_id(request.POST.get("template")) or 0).first()
    try:
        if template is None:
            raise NotFoundError(_("Choose a lifecycle template."))
        services.start_lifecycle(actor=user_of(request), project=project, template=template)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The project now follows %(name)s.") % {"name": template})
    return redirect("governance:lifecycle_detail", code=project.code)


@login_required
@require_POST
def review_create(request: HttpRequest, code: str) -> HttpResponse:
    project = _project_or_404(request, code)
    form = ReviewRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the review date."))
        return redirect("governance:lifecycle_detail", code=project.code)
    try:
        review = services.request_review(
            actor=user_of(request),
            project=project,
            scheduled_for=form.cleaned_data["scheduled_for"],
            notes=form.cleaned_data["notes"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("governance:lifecycle_detail", code=project.code)
    messages.success(request, _("Gate review requested."))
    return redirect("governance:review_detail", code=project.code, review_id=review.pk)


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


def _person_name(user: Any) -> str:
    """A user as people know them: their person's name in the reader's language."""
    if user is None:
        return ""
    person = getattr(
        user, "person", None
    )  # no person: RelatedObjectDoesNotExist is an AttributeError
    return person.display_name if person else (user.get_full_name() or user.get_username())


def _with_decider_names(reviews: Any) -> list[Any]:
    """Reviews, each decided one with the name of who decided (their person's name)."""
    rows = list(reviews)
    for review in rows:
        decision = (
            getattr(review, "decision", None) if review.state == ReviewState.DECIDED else None
        )
        review.decider_name = (
            (_person_name(decision.decided_by) or decision.decided_by_name) if decision else ""
        )
    return rows


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
        return None, " ".join(exc.messages)
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
        services.prepare_review(
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
    if request.POST.get("upload") and not attached and not refused:  # saved all the same
        messages.error(request, _("Choose a file first, then press “Upload file”."))
    elif refused:  # one message: what was refused (the checklist is saved all the same)
        messages.error(
            request,
            _("Not attached: %(files)s. The checklist is saved.") % {"files": "; ".join(refused)},
        )
    elif attached:
        for name in attached:
            messages.success(request, _("File %(name)s attached.") % {"name": name})
    else:
        messages.success(request, _("Review prepared."))
    return None


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
        again = _prepare(request, user, review)
        if again is None:
            return redirect("governance:review_detail", code=project.code, review_id=review.pk)
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
            "conditions": list(decision.conditions.select_related("owner")) if decision else [],
            "unmet": services.unmet_requirements_shown(review),
            "can_prepare": review.state == ReviewState.REQUESTED
            and can_edit_project(user, project),
            "can_decide": selectors.can_decide_review(user, review),
            "form": decision_form,
        },
    )


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
    try:
        services.withdraw_review(actor=user_of(request), review=review, version=review.version)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("governance:lifecycle_detail", code=project.code)


@login_required
@require_POST
def condition_close(request: HttpRequest, code: str, condition_id: int) -> HttpResponse:
    project = _project_or_404(request, code)
    condition = GateCondition.objects.filter(project=project, pk=condition_id).first()
    if condition is None:
        raise Http404("no such condition")
    try:
        services.close_condition(
            actor=user_of(request), condition=condition, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Condition closed."))
    return redirect("governance:lifecycle_detail", code=project.code)


# --- gate calendar ----------------------------------------------------------------------------


def _window(request: HttpRequest) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = timezone.localdate()
    if date_out_of_range(start):  # year 9999 + 90 days would overflow
        start = timezone.localdate()
    try:
        days = max(1, min(int(request.GET.get("days", "90")), 731))
    except ValueError:
        days = 90
    return start, start + dt.timedelta(days=days)


CALENDAR_PAGE_SIZE = 200
"""Gates per page of the gate calendar (a big portfolio has thousands in 90 days)."""


@login_required
def gate_calendar(request: HttpRequest) -> HttpResponse:
    """Upcoming and overdue gates across the portfolio, a week at a time and by day, each with
    its review's date and state (what a PMO plans steering meetings from); POST makes the user
    a new subscription link for calendar applications (shown once; the previous one stops
    working)."""
    subscription = ""
    if request.method == "POST":
        token = renew_calendar_token(user=user_of(request))
        feed = reverse("governance:calendar_ics")
        subscription = request.build_absolute_uri(f"{feed}?token={token}")
    start, end = _window(request)
    rows = calendar.gate_calendar_rows(user_of(request), start, end)
    page = Paginator(rows, CALENDAR_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/gate_calendar.html",
        {
            "weeks": calendar.calendar_weeks(calendar.calendar_entries(page.object_list)),
            "start": start,
            "end": end,
            "days": (end - start).days,
            "count": page.paginator.count,
            "page": page,
            "query": urlencode({"start": start.isoformat(), "days": (end - start).days}),
            "subscription": subscription,
            "today": timezone.localdate(),
            "first_date": FIRST_DATE.isoformat(),
            "last_date": LAST_DATE.isoformat(),
        },
    )


def gate_calendar_ics(request: HttpRequest) -> HttpResponse:
    """The gate calendar as iCalendar; session, or ``?token=`` (a calendar token, which reads
    this feed and nothing else) for calendar applications."""
    user = user_of(request)
    if not user.is_authenticated:
        token = request.GET.get("token") or ""
        found = authenticate_token(token, scope=TokenScope.CALENDAR) if token else None
        if found is None:
            return HttpResponse("authentication required", status=401, content_type="text/plain")
        user = found
    start, end = _window(request)
    # a calendar application sends no session and its own Accept-Language: the feed speaks
    # the language its owner chose (the request's otherwise)
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        body = ical.gate_calendar_ics(
            calendar.gate_calendar(user, start - dt.timedelta(days=30), end),
            host=request.get_host().split(":")[0],
            name=_("Gate calendar"),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gate-calendar.ics"'
    return response


# --- steering committee -----------------------------------------------------------------------


def _require_meeting_reader(user: Any) -> None:
    if not user.reads_whole_portfolio:
        raise PermissionDenied(
            _("steering meetings span the whole portfolio: they are for those who read all of it")
        )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_meeting_reader(user)
    form = MeetingForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = steering.create_meeting(actor=user, data=form.cleaned_data)
        except DomainError as exc:
            add_errors_at_fields(form, exc.errors or [{"field": "", "message": exc.message}])
        else:
            return redirect("governance:meeting_detail", meeting_id=meeting.pk)
    return render(
        request,
        "governance/steeringmeeting_list.html",
        {"meetings": SteeringMeeting.objects.all()[:100], "form": form, "can_plan": user.is_pmo},
    )


AGENDA_PER_TOPIC = 50
"""Lines of each agenda topic shown before "show all" (big portfolios' agendas run long)."""


def _with_more_lines(page: selectors.AgendaPage) -> list[dict[str, Any]]:
    """The shown lines, each topic followed by a "N more" line when some are not shown."""
    last = {item.kind: i for i, item in enumerate(page.items)}
    rows: list[dict[str, Any]] = []
    for i, item in enumerate(page.items):
        rows.append({"item": item})
        if last[item.kind] == i and page.hidden.get(item.kind):
            rows.append({"more": page.hidden[item.kind], "kind": item.get_kind_display()})
    return rows


def _record_outcome(user: Any, meeting: SteeringMeeting, form: OutcomeForm) -> bool:
    """Record the outcome of a valid form; otherwise put the errors at its fields."""
    data = form.cleaned_data
    try:
        project = get_visible_project(user, data["project"])
    except NotFoundError as exc:
        form.add_error("project", exc.message)
        return False
    try:
        steering.record_outcome(
            actor=user,
            meeting=meeting,
            project=project,
            kind=data["kind"],
            title=data["title"],
            due_date=data["due_date"],
        )
    except (FieldError, ValidationFailed) as exc:
        add_errors_at_fields(form, exc.errors)
        return False
    return True


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = user_of(request)
    _require_meeting_reader(user)
    meeting = SteeringMeeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("no such meeting")
    minutes_form = MinutesForm(initial={"minutes": meeting.minutes})
    outcome_form = OutcomeForm()
    action = request.POST.get("action")
    try:
        if request.method == "POST" and action == "minutes":
            minutes_form = MinutesForm(request.POST)
            if minutes_form.is_valid():
                steering.update_meeting(
                    actor=user,
                    meeting=meeting,
                    data=minutes_form.cleaned_data,
                    version=posted_version(request),
                )
                messages.success(request, _("Minutes saved."))
                return redirect("governance:meeting_detail", meeting_id=meeting.pk)
        elif request.method == "POST" and action == "outcome":
            outcome_form = OutcomeForm(request.POST)
            if outcome_form.is_valid() and _record_outcome(user, meeting, outcome_form):
                messages.success(request, _("Recorded in the project's RAID log."))
                return redirect("governance:meeting_detail", meeting_id=meeting.pk)
        elif request.method == "POST" and action == "agenda":
            steering.regenerate_agenda(actor=user, meeting=meeting)
            return redirect("governance:meeting_detail", meeting_id=meeting.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    show_all = request.GET.get("all") == "1"
    page = selectors.agenda_page(meeting, None if show_all else AGENDA_PER_TOPIC)
    return render(
        request,
        "governance/steeringmeeting_detail.html",
        {
            "meeting": meeting,
            "agenda": _with_more_lines(page),
            "agenda_total": page.total,
            "agenda_cut": bool(page.hidden),
            "agenda_cancelled": page.cancelled,
            "held": meeting.date < timezone.localdate(),
            "show_all": show_all,
            "outcomes": list(meeting.outcomes.select_related("project")),
            "minutes_form": minutes_form,
            "outcome_form": outcome_form,
            "can_edit": user.is_pmo,
        },
    )
