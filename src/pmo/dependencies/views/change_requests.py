"""Change-request pages: the list, raising one, its page with the workflow and the affected
projects' answers; the notifications page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pmo.accounts.models import Role, User, user_of
from pmo.core.errors import DomainError, FieldError
from pmo.core.http import posted_version, refuse_unless, refused_as_403
from pmo.dependencies import changes, responses, selectors, services
from pmo.dependencies.models import ChangeState, Notification, ResponseAnswer
from pmo.dependencies.views.common import NUMBER_FIELDS, field_message, not_a_number, or_404
from pmo.dependencies.views.what_if import impact_page
from pmo.portfolio.models import Program

__all__ = [
    "DONE",
    "change_create",
    "change_detail",
    "change_list",
    "change_respond",
    "change_transition",
    "notification_list",
]


@login_required
def change_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or None
    rows = selectors.list_change_requests(user_of(request), state=state)[:300]
    return render(request, "dependencies/changerequest_list.html", {"changes": rows})


@login_required
@require_POST
def change_create(request: HttpRequest) -> HttpResponse:
    """Raise a change request from the what-if page (impact attached). Someone who may
    raise one on nothing is refused (403) before the form is read; whether the project
    posted is theirs only the service can tell (a 403 too)."""
    refuse_unless(
        request,
        _may_raise_any(user_of(request)),
        _("Only the PMO and project or program managers may raise change requests."),
        reverse("dependencies:change_list"),
    )
    data: dict[str, Any] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    for key in ("slip_days", "slip_milestone", "slip_task"):
        try:
            data[key] = int(data[key]) if data.get(key) else None
        except ValueError:
            return _raise_refused(request, data, key, not_a_number(key))
    for key in ("cost_impact", "effort_impact"):
        try:
            finite = Decimal(str(data.get(key) or 0)).is_finite()
        except InvalidOperation:
            finite = False
        if not finite:
            number = _("%(field)s must be a number.") % {"field": NUMBER_FIELDS[key]}
            return _raise_refused(request, data, key, number)
    data["slip_days"] = data["slip_days"] or 0
    try:
        with refused_as_403():
            cr = changes.create_change_request(actor=user_of(request), data=data)
    except FieldError as exc:
        return _raise_refused(request, data, exc.field, field_message(exc))
    except DomainError as exc:
        messages.error(request, field_message(exc))
        return redirect(_what_if_url(data))  # back to the analysis it was raised from
    messages.success(
        request,
        _("Change request %(code)s raised: %(title)s.") % {"code": cr.code, "title": cr.title},
    )
    return redirect("dependencies:change_detail", cr.pk)


def _may_raise_any(user: User) -> bool:
    """The PMO, a project manager or the manager of a program: who may raise a change
    request on something (on which, :func:`~pmo.dependencies.changes.create_change_request`
    judges)."""
    if user.is_pmo or user.role == Role.PROJECT_MANAGER:
        return True
    return Program.objects.filter(manager__user=user).exists()


def _raise_refused(
    request: HttpRequest, data: dict[str, Any], field: str, error: str
) -> HttpResponse:
    """Back to the analysis the request was raised from (422), the form as typed and
    ``error`` at ``field`` (above the form for a field it does not show, such as the
    slip it carries in hidden fields)."""
    typed = {k: str(request.POST.get(k, "")) for k in RAISE_FIELDS}
    where = field if field in (*RAISE_FIELDS, "project") else "form"
    raising = {**typed, "field": field, "where": where, "error": error}
    query = _what_if_query({k: v if v is not None else "" for k, v in data.items()})
    return impact_page(request, query, raising, status=422)


#: The fields of the raise form that are kept when it comes back with an error.
RAISE_FIELDS = ("type", "title", "description", "cost_impact", "effort_impact")


def _what_if_query(data: dict[str, Any]) -> dict[str, Any]:
    """The query of the impact page a change request was raised from (only the project
    when it names no slip)."""
    source = "task" if data.get("slip_task") else "milestone"
    chosen = data.get(f"slip_{source}")
    if not chosen:
        return {"project": data.get("project") or ""}
    return {
        "project": data.get("project") or "",
        "source": source,
        source: chosen,
        "days": data.get("slip_days") or 0,
    }


def _what_if_url(data: dict[str, Any]) -> str:
    """The impact page a change request was raised from (the list when it names no slip)."""
    query = _what_if_query(data)
    if not (query["project"] and len(query) > 1):
        return reverse("dependencies:change_list")
    return f"{reverse('dependencies:impact')}?{urlencode(query)}"


@login_required
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    cr = or_404(selectors.get_change_request, user, pk)
    Notification.objects.filter(user=user, change=cr, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return _change_page(request, cr)


def _change_page(
    request: HttpRequest, cr: Any, answering: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    """The change request page; ``answering``: an answer form that came back with an error
    (``project``, ``answer``, ``reason``, ``field``, ``error``)."""
    user = user_of(request)
    seen = selectors.visible_change_impact(user, cr)
    rows = responses.response_rows(user, cr, seen.affected)
    counts = responses.rows_counts(rows)
    # once decided or withdrawn nobody is waited for: no "not answered" any more
    answers_closed = cr.state in (ChangeState.WITHDRAWN, ChangeState.REJECTED, ChangeState.APPLIED)
    if answers_closed:
        counts = {**counts, "unanswered": 0}
    currency, limits = changes.cost_currency(cr), changes.thresholds()
    steps = list(cr.steps.select_related("actor__person"))
    for step in steps:
        step.shown_note = changes.step_note(cr, step)  # type: ignore[attr-defined]
    return render(
        request,
        "dependencies/changerequest_detail.html",
        {
            "responses": rows,
            "response_counts": counts,
            "response_summary": responses.summary_text(counts),
            "answers_closed": answers_closed,
            "answering": answering or {},
            "cr": cr,
            "impact_projects": selectors.impact_projects(seen.impact),
            "breached": seen.impact.get("dependencies", []),
            "hidden_projects": seen.hidden_projects,
            "applied_count": len(seen.impact.get("applied", [])),
            "currency": currency,
            "slip": selectors.slip_summary(cr, seen),
            "actions": changes.allowed_actions(user, cr),
            "steps": steps,
            "affected": seen.affected,
            "thresholds": limits,
            "steering": selectors.steering_cost_line(cr),
        },
        status=status,
    )


@login_required
@require_POST
def change_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """An affected project's answer (its manager or the PMO): agree, or object with a
    reason. An error brings the page back with the form as typed and the field's error."""
    user = user_of(request)
    cr = or_404(selectors.get_change_request, user, pk)
    refuse_unless(  # answers for no affected project: refused before the form is read
        request,
        any(responses.may_answer(user, p) for p in cr.affected_projects.select_related("manager")),
        _("Only the PMO and the managers of the projects it affects may answer this request."),
        reverse("dependencies:change_detail", args=[pk]),
    )
    form = {k: request.POST.get(k, "") for k in ("project", "answer", "reason")}
    try:
        with refused_as_403():  # not the manager of that project, nor the PMO
            response, _created = responses.respond_to_change(
                actor=user,
                cr=cr,
                project_code=form["project"],
                answer=form["answer"],
                reason=form["reason"],
                version=posted_version(request),
            )
    except FieldError as exc:
        shown = exc.errors[0]["message"] if exc.errors else exc.message
        return _change_page(request, cr, {**form, "field": exc.field, "error": shown}, 422)
    except DomainError as exc:
        messages.error(request, field_message(exc))
        return redirect(f"{reverse('dependencies:change_detail', args=[pk])}#responses")
    done = (
        _("Your answer for %(project)s is recorded: you agree with %(code)s.")
        if response.answer == ResponseAnswer.AGREE
        else _("Your answer for %(project)s is recorded: you object to %(code)s.")
    )
    messages.success(request, done % {"project": response.project.code, "code": cr.code})
    return redirect(f"{reverse('dependencies:change_detail', args=[pk])}#responses")


@login_required
@require_POST
def change_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    cr = or_404(selectors.get_change_request, user, pk)
    refuse_unless(  # no step named, and none is theirs to take: refused, not "garbled form"
        request,
        request.POST.get("action", "") in changes.ACTIONS
        or bool(changes.allowed_actions(user, cr)),
        _("You may read this change request but take no step on it now."),
        reverse("dependencies:change_detail", args=[pk]),
    )
    try:
        version = posted_version(request)
        with refused_as_403():  # a step that is not theirs to take
            updated = changes.transition(
                actor=user,
                cr=cr,
                action=request.POST.get("action", ""),
                note=request.POST.get("note", ""),
                version=version,
            )
    except DomainError as exc:
        messages.error(request, field_message(exc))
    else:
        done = DONE.get(request.POST.get("action", ""))
        if done is not None:
            messages.success(
                request, done % {"code": cr.code, "state": ChangeState(updated.state).label}
            )
    return redirect("dependencies:change_detail", pk)


#: The confirmation of each workflow step (``state``: where the request is now).
DONE = {
    "submit": gettext_lazy("%(code)s submitted. State: %(state)s."),
    "approve": gettext_lazy("Approval recorded. State of %(code)s: %(state)s."),
    "reject": gettext_lazy("%(code)s rejected."),
    "withdraw": gettext_lazy("%(code)s withdrawn."),
    "apply": gettext_lazy("%(code)s applied: plans and forecasts updated."),
}


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    rows = selectors.notifications_shown(user)
    services.mark_notifications_read(user, [n.pk for n in rows if n.read_at is None])
    return render(request, "dependencies/notification_list.html", {"notifications": rows})
