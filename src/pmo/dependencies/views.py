"""Web pages: dependency register and network, what-if impact, change requests, notifications.

Thin: read via selectors, write via services; domain errors become messages.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, NotFoundError
from pmo.core.http import posted_version
from pmo.dependencies import changes, selectors, services
from pmo.dependencies.models import (
    ChangeType,
    Criticality,
    DependencyStatus,
    DependencyType,
    Notification,
)
from pmo.dependencies.network import network_svg
from pmo.portfolio.access import can_edit_project, get_visible_project, visible_projects
from pmo.portfolio.models import Milestone
from pmo.scheduling.models import Task
from pmo.scheduling.walltime import from_db


def _or_404(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


#: The form labels of the number fields, for "must be a whole number" messages.
NUMBER_FIELDS = {
    "lag": gettext_lazy("Lag"),
    "supplier_milestone": gettext_lazy("Supplier milestone ID"),
    "consumer_milestone": gettext_lazy("Consumer milestone ID"),
    "supplier_task": gettext_lazy("Supplier task ID"),
    "consumer_task": gettext_lazy("Consumer task ID"),
    "supplier_gate": gettext_lazy("Supplier gate ID"),
    "consumer_gate": gettext_lazy("Consumer gate ID"),
    "slip_days": gettext_lazy("Slip or added work (working days)"),
    "slip_milestone": gettext_lazy("Milestone"),
    "slip_task": gettext_lazy("Task"),
    "cost_impact": gettext_lazy("Cost impact"),
    "effort_impact": gettext_lazy("Resource impact (person-days)"),
}


def _not_a_number(key: str) -> str:
    return _("%(field)s must be a whole number.") % {"field": NUMBER_FIELDS[key]}


@login_required
def dependency_list(request: HttpRequest) -> HttpResponse:
    """The register, the network picture and (for a chosen milestone) its critical chain."""
    user = user_of(request)
    project = request.GET.get("project") or None
    status = request.GET.get("status") or None
    deps = list(selectors.list_dependencies(user, project=project, status=status)[:500])
    for d in deps:
        d.supplier_label = selectors.label(d, "supplier")  # type: ignore[attr-defined]
        d.consumer_label = selectors.label(d, "consumer")  # type: ignore[attr-defined]
        d.editable = can_edit_project(user, d.supplier_project) or can_edit_project(  # type: ignore[attr-defined]
            user, d.consumer_project
        )
    chain: list[dict[str, Any]] = []
    chain_hidden = 0
    target = request.GET.get("target")
    if target:
        try:
            chain, chain_hidden = selectors.get_critical_chain(user, target)
        except NotFoundError as exc:
            raise Http404(exc.message) from None
        except DomainError as exc:
            messages.error(request, exc.message)
    chain_projects = {c["project"] for c in chain}
    targets = [
        (f"m:{m.pk}", f"{m.project.code} · {m.name}")
        for m in Milestone.objects.filter(
            is_key=True,
            actual_date__isnull=True,
            project__consumed_dependencies__isnull=False,
            project__in=visible_projects(user).values("pk"),
        )
        .select_related("project")
        .distinct()
        .order_by("project__code", "forecast_date")[:200]
    ]
    return render(
        request,
        "dependencies/dependency_list.html",
        {
            "deps": deps,
            "svg": mark_safe(network_svg(deps, chain_projects)),
            "chain": chain,
            "chain_crosses": any(c["dependency"] or c["hidden_link"] for c in chain),
            "chain_hidden": chain_hidden,
            "targets": targets,
            "target": target or "",
            "project": project or "",
            "status": status or "",
            "statuses": DependencyStatus.choices,
            "types": DependencyType.choices,
            "criticalities": Criticality.choices,
        },
    )


@login_required
@require_POST
def dependency_create(request: HttpRequest) -> HttpResponse:
    data: dict[str, Any] = {
        k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v != ""
    }
    for key in (
        "lag",
        "supplier_milestone",
        "consumer_milestone",
        "supplier_task",
        "consumer_task",
        "supplier_gate",
        "consumer_gate",
    ):
        if key in data:
            try:
                data[key] = int(data[key])
            except ValueError:
                messages.error(request, _not_a_number(key))
                return redirect("dependencies:dependency_list")
    try:
        dep = services.create_dependency(actor=user_of(request), data=data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"D{dep.pk}")
    return redirect("dependencies:dependency_list")


@login_required
@require_POST
def dependency_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a dependency's status from the register (version-checked)."""
    user = user_of(request)
    dep = _or_404(selectors.get_dependency, user, pk)
    try:
        version = posted_version(request)
        services.update_dependency(
            actor=user, dep=dep, data={"status": request.POST.get("status", "")}, version=version
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("dependencies:dependency_list")


@login_required
@require_POST
def dependency_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a dependency from the register (version-checked)."""
    user = user_of(request)
    dep = _or_404(selectors.get_dependency, user, pk)
    try:
        services.delete_dependency(actor=user, dep=dep, version=posted_version(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Dependency #%(id)s deleted.") % {"id": pk})
    return redirect("dependencies:dependency_list")


@login_required
def impact(request: HttpRequest) -> HttpResponse:
    """What if a milestone slips N working days, or a task gets N working days of added work
    (a scope change): affected projects, gates and items. htmx requests get the result only."""
    user = user_of(request)
    code = request.GET.get("project", "")
    project = milestones = tasks = result = None
    days = request.GET.get("days", "15")
    source = "task" if request.GET.get("source") == "task" else "milestone"
    error = ""
    if code:
        try:
            project = get_visible_project(user, code)
        except NotFoundError as exc:
            error = exc.message
    if project is not None:
        milestones = list(
            Milestone.objects.filter(project=project, actual_date__isnull=True).order_by(
                "forecast_date", "id"
            )
        )
        # (pk, name, finish day): plan dates are wall-clock times stored as if UTC, so the day
        # is read with from_db, never through the template's conversion to the server's zone
        tasks = [
            (pk, name, wall.date() if (wall := from_db(finish)) else None)
            for pk, name, finish in Task.objects.filter(
                plan__project=project, summary=False, percent_complete__lt=100
            )
            .order_by("start", "uid")
            .values_list("pk", "name", "finish")[:1000]
        ]
        chosen = request.GET.get(source)
        if chosen:
            try:
                if source == "task":
                    task = Task.objects.get(pk=int(chosen), plan__project=project, summary=False)
                    result = changes.compute_impact(task=task, days=int(days))
                else:
                    milestone = Milestone.objects.get(pk=int(chosen), project=project)
                    result = changes.compute_impact(milestone=milestone, days=int(days))
            except (ValueError, Milestone.DoesNotExist, Task.DoesNotExist):
                error = _("choose a milestone or a task of the project and a whole number of days")
            except DomainError as exc:
                error = exc.message
    if result is not None:
        result = selectors.visible_impact(user, result)
        result["projects"] = selectors.impact_projects(result)
    context = {
        "project": project,
        "code": code,
        "milestones": milestones,
        "tasks": tasks,
        "source": source,
        "milestone": request.GET.get("milestone", "") if source == "milestone" else "",
        "task": request.GET.get("task", "") if source == "task" else "",
        "days": days,
        "result": result,
        "error": error,
        "types": ChangeType.choices,
    }
    if request.headers.get("HX-Request"):
        return render(request, "dependencies/partials/_impact.html", context)
    return render(request, "dependencies/impact.html", context)


@login_required
def change_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or None
    rows = selectors.list_change_requests(user_of(request), state=state)[:300]
    return render(request, "dependencies/changerequest_list.html", {"changes": rows})


@login_required
@require_POST
def change_create(request: HttpRequest) -> HttpResponse:
    """Raise a change request from the what-if page (impact attached)."""
    data: dict[str, Any] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    for key in ("slip_days", "slip_milestone", "slip_task"):
        try:
            data[key] = int(data[key]) if data.get(key) else None
        except ValueError:
            messages.error(request, _not_a_number(key))
            return redirect("dependencies:change_list")
    for key in ("cost_impact", "effort_impact"):
        try:
            finite = Decimal(str(data.get(key) or 0)).is_finite()
        except InvalidOperation:
            finite = False
        if not finite:
            messages.error(
                request, _("%(field)s must be a number.") % {"field": NUMBER_FIELDS[key]}
            )
            return redirect("dependencies:change_list")
    data["slip_days"] = data["slip_days"] or 0
    try:
        cr = changes.create_change_request(actor=user_of(request), data=data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_what_if_url(data))  # back to the analysis it was raised from
    return redirect("dependencies:change_detail", cr.pk)


def _what_if_url(data: dict[str, Any]) -> str:
    """The impact page a change request was raised from (the list when it names no slip)."""
    source = "task" if data.get("slip_task") else "milestone"
    chosen = data.get(f"slip_{source}")
    if not (data.get("project") and chosen):
        return reverse("dependencies:change_list")
    query = {"project": data["project"], "source": source, source: chosen}
    query["days"] = data.get("slip_days") or 0
    return f"{reverse('dependencies:impact')}?{urlencode(query)}"


@login_required
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    cr = _or_404(selectors.get_change_request, user, pk)
    Notification.objects.filter(user=user, change=cr, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    seen = selectors.visible_change_impact(user, cr)
    return render(
        request,
        "dependencies/changerequest_detail.html",
        {
            "cr": cr,
            "impact_projects": selectors.impact_projects(seen.impact),
            "hidden_projects": seen.hidden_projects,
            "applied_count": len(seen.impact.get("applied", [])),
            "currency": cr.project.currency if cr.project else "",
            "actions": changes.allowed_actions(user, cr),
            "steps": cr.steps.select_related("actor"),
            "affected": seen.affected,
            "thresholds": changes.thresholds(),
        },
    )


@login_required
@require_POST
def change_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    cr = _or_404(selectors.get_change_request, user, pk)
    try:
        version = posted_version(request)
        changes.transition(
            actor=user,
            cr=cr,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
            version=version,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("dependencies:change_detail", pk)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    rows = selectors.notifications_shown(user)
    services.mark_notifications_read(user, [n.pk for n in rows if n.read_at is None])
    return render(request, "dependencies/notification_list.html", {"notifications": rows})
