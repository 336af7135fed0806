"""Web pages of governance: a project's lifecycle page, requesting a gate review from it and
closing conditions (the gate review page, templates, the gate calendar and steering meetings
have their own modules). Thin: read via selectors, write via services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, NotFoundError
from pmo.core.http import refused_as_403
from pmo.core.models import as_id
from pmo.governance import ended, selectors, services
from pmo.governance.ended import ProjectEndedError
from pmo.governance.forms import ReviewRequestForm
from pmo.governance.models import (
    GateCondition,
    LifecycleState,
    LifecycleTemplate,
    ProjectLifecycle,
    ReviewState,
)
from pmo.portfolio.access import get_visible_project
from pmo.portfolio.views.common import refuse_reader


def _project_or_404(request: HttpRequest, code: str) -> Any:
    try:
        return get_visible_project(user_of(request), code)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


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


# --- project lifecycle ----------------------------------------------------------------------------


def _lifecycle_page(
    request: HttpRequest, project: Any, request_form: ReviewRequestForm, status: int = 200
) -> HttpResponse:
    """The lifecycle page, with the review request form as given (a refused one shows its
    errors in the form)."""
    context = selectors.lifecycle_panel(project, user_of(request))
    lifecycle = context["lifecycle"]
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
            "request_form": request_form,
            "request_refused": ended.review_refusal(project, lifecycle.next_gate)
            if lifecycle
            else None,
        }
    )
    return render(request, "governance/projectlifecycle_detail.html", context, status=status)


@login_required
def lifecycle_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The project's lifecycle: phases with gate dates and time spent, reviews, conditions."""
    return _lifecycle_page(request, _project_or_404(request, code), ReviewRequestForm())


@login_required
@require_POST
def lifecycle_start(request: HttpRequest, code: str) -> HttpResponse:
    project = _project_or_404(request, code)
    if not user_of(request).is_pmo:  # the service's words, whatever was posted
        raise PermissionDenied(_("only the PMO assigns a lifecycle to a project"))
    template = LifecycleTemplate.objects.filter(pk=as_id(request.POST.get("template")) or 0).first()
    try:
        if template is None:
            raise NotFoundError(_("Choose a lifecycle template."))
        services.start_lifecycle(actor=user_of(request), project=project, template=template)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        # named as the template list names it ("R&D lifecycle (revision 1)"), not "rnd r1"
        name = _("%(name)s (revision %(revision)s)") % {
            "name": template.display_name,
            "revision": template.revision,
        }
        messages.success(request, _("The project now follows %(name)s.") % {"name": name})
    return redirect("governance:lifecycle_detail", code=project.code)


@login_required
@require_POST
def review_create(request: HttpRequest, code: str) -> HttpResponse:
    project = _project_or_404(request, code)
    if (refused := refuse_reader(request, project)) is not None:
        return refused
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
    except ProjectEndedError as exc:
        project.refresh_from_db()
        if ProjectLifecycle.objects.filter(project=project, state=LifecycleState.ACTIVE).exists():
            form.add_error(None, exc.message)  # said in the form, which keeps what was typed
            return _lifecycle_page(request, project, form, status=409)
        messages.error(request, exc.message)  # the page offers no form any more
        return redirect("governance:lifecycle_detail", code=project.code)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("governance:lifecycle_detail", code=project.code)
    messages.success(request, _("Gate review requested."))
    return redirect("governance:review_detail", code=project.code, review_id=review.pk)


@login_required
@require_POST
def condition_close(request: HttpRequest, code: str, condition_id: int) -> HttpResponse:
    project = _project_or_404(request, code)
    condition = GateCondition.objects.filter(project=project, pk=condition_id).first()
    if condition is None:
        raise Http404("no such condition")
    try:
        with refused_as_403():  # the PMO, the project's manager or the condition's owner
            services.close_condition(
                actor=user_of(request), condition=condition, note=request.POST.get("note", "")
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Condition closed."))
    return redirect("governance:lifecycle_detail", code=project.code)
