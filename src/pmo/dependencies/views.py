"""Web pages: dependency register and network, what-if impact, change requests, notifications.

Thin: read via selectors, write via services; domain errors become messages.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.errors import DomainError, FieldError, NotFoundError
from pmo.core.http import posted_version
from pmo.dependencies import changes, ended, responses, selectors, services
from pmo.dependencies.models import (
    ChangeState,
    ChangeType,
    Criticality,
    DependencyStatus,
    DependencyType,
    Notification,
    ResponseAnswer,
)
from pmo.dependencies.network import network_svg
from pmo.portfolio.access import can_edit_project, visible_projects
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


#: The form labels of the fields a service may name in an error.
FIELD_LABELS = {
    **NUMBER_FIELDS,
    "supplier_project": gettext_lazy("Supplier project"),
    "consumer_project": gettext_lazy("Consumer project"),
    "supplier_milestone": gettext_lazy("Supplier milestone or gate"),
    "consumer_milestone": gettext_lazy("Consumer milestone or gate"),
    "supplier_gate": gettext_lazy("Supplier milestone or gate"),
    "consumer_gate": gettext_lazy("Consumer milestone or gate"),
    "supplier_task": gettext_lazy("Supplier milestone or gate"),
    "consumer_task": gettext_lazy("Consumer milestone or gate"),
    "project": gettext_lazy("Project"),
    "program": gettext_lazy("Program"),
    "type": gettext_lazy("Type"),
    "title": gettext_lazy("Title"),
    "status": gettext_lazy("Status"),
    "agreed_date": gettext_lazy("Agreed date"),
    "criticality": gettext_lazy("Criticality"),
    "system": gettext_lazy("System"),
    "note": gettext_lazy("Note"),
    "days": gettext_lazy("Slip or added work (working days)"),
    "source": gettext_lazy("Milestone"),
    "reason": gettext_lazy("Reason"),
    "answer": gettext_lazy("Answer"),
}


def _message(exc: DomainError) -> str:
    """A domain error for a page: a field is named by its form label, not its key."""
    if isinstance(exc, FieldError) and exc.errors:
        label = FIELD_LABELS.get(exc.field)
        if label is not None:
            return _("%(field)s: %(message)s") % {
                "field": label,
                "message": exc.errors[0]["message"],
            }
    return exc.message


def _not_a_number(key: str) -> str:
    return _("%(field)s must be a whole number.") % {"field": NUMBER_FIELDS[key]}


#: The fields of the register form that are kept when it comes back with an error.
FORM_FIELDS = (
    "supplier_project",
    "supplier_item",
    "consumer_project",
    "consumer_item",
    "type",
    "lag",
    "criticality",
    "agreed_date",
    "system",
)


@login_required
def dependency_endpoints(request: HttpRequest) -> HttpResponse:
    """The endpoint select of one side for the chosen project (htmx, register form)."""
    side = "consumer" if request.GET.get("side") == "consumer" else "supplier"
    code = request.GET.get(f"{side}_project", "")
    return render(
        request,
        "dependencies/partials/_endpoint_select.html",
        {"side": side, "groups": selectors.endpoint_choices(user_of(request), code), "chosen": ""},
    )


@login_required
def dependency_list(request: HttpRequest) -> HttpResponse:
    """The register, the network picture and (for a chosen milestone) its critical chain."""
    return _dependency_page(request, {})


def _dependency_page(request: HttpRequest, form: dict[str, str], status: int = 200) -> HttpResponse:
    user = user_of(request)
    project = request.GET.get("project") or None
    status_filter = request.GET.get("status") or None
    deps = list(selectors.list_dependencies(user, project=project, status=status_filter)[:500])
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
            messages.error(request, _message(exc))
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
            "status": status_filter or "",
            "statuses": DependencyStatus.choices,
            "types": DependencyType.choices,
            "criticalities": Criticality.choices,
            "form": form,
            "form_projects": [
                (p.code, p.display_name) for p in visible_projects(user).order_by("code")[:1000]
            ],
            "supplier_groups": selectors.endpoint_choices(user, form.get("supplier_project", "")),
            "consumer_groups": selectors.endpoint_choices(user, form.get("consumer_project", "")),
            "first_date": FIRST_DATE.isoformat(),
            "last_date": LAST_DATE.isoformat(),
        },
        status=status,
    )


#: The model field of each kind of endpoint in a register-form choice ``m:<id>`` etc.
ENDPOINT_KINDS = {"m": "milestone", "g": "gate", "t": "task"}


@login_required
@require_POST
def dependency_create(request: HttpRequest) -> HttpResponse:
    """Register a dependency from the form; an error brings the form back as it was typed."""
    form = {k: request.POST.get(k, "") for k in FORM_FIELDS}
    data: dict[str, Any] = {
        k: v
        for k, v in request.POST.items()
        if k not in ("csrfmiddlewaretoken", "supplier_item", "consumer_item") and v != ""
    }
    for side in ("supplier", "consumer"):
        kind, _sep, pk = request.POST.get(f"{side}_item", "").partition(":")
        if kind in ENDPOINT_KINDS and pk:
            data[f"{side}_{ENDPOINT_KINDS[kind]}"] = pk
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
                return _dependency_page(request, form, status=422)
    for side, label in (
        ("supplier", _("Choose the supplier's milestone, gate or task.")),
        ("consumer", _("Choose the consumer's milestone, gate or task.")),
    ):
        if data.get(f"{side}_project") and not any(
            data.get(f"{side}_{kind}") for kind in ENDPOINT_KINDS.values()
        ):
            messages.error(request, label)
            return _dependency_page(request, form, status=422)
    try:
        dep = services.create_dependency(actor=user_of(request), data=data)
    except DomainError as exc:
        messages.error(request, _message(exc))
        return _dependency_page(request, form, status=422)
    messages.success(
        request,
        _("Dependency #%(id)s registered: %(consumer)s depends on %(supplier)s.")
        % {
            "id": dep.pk,
            "consumer": dep.consumer_project.code,
            "supplier": dep.supplier_project.code,
        },
    )
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
        messages.error(request, _message(exc))
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
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Dependency #%(id)s deleted.") % {"id": pk})
    return redirect("dependencies:dependency_list")


@login_required
def impact(request: HttpRequest) -> HttpResponse:
    """What if a milestone slips N working days, or a task gets N working days of added work
    (a scope change): affected projects, gates and items. htmx requests get the result only."""
    return _impact_page(request, request.GET)


def _impact_page(
    request: HttpRequest,
    params: Mapping[str, Any],
    raising: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The what-if page for ``params`` (its query); ``raising``: the change-request form as
    typed when it came back with an error (``field``, ``error``)."""
    user = user_of(request)
    raising = raising or {}
    code = str(params.get("project") or "")
    project = milestones = tasks = result = None
    days = str(params.get("days", "15"))
    source = "task" if params.get("source") == "task" else "milestone"
    error = ""
    if code:
        try:
            project = services.find_project(user, code)
        except NotFoundError:
            error = _("no project with code %(code)s") % {"code": code}
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
        chosen = params.get(source)
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
                error = _message(exc)
    if result is not None:
        result = selectors.visible_impact(user, result)
        result["projects"] = selectors.impact_projects(result)
    elif raising.get("error") and raising.get("where") != "project":
        error = raising["error"]  # no raise form on the page to show it at
    if raising.get("where") == "project":
        error = ""  # said at the project field
    context = {
        "project": project,
        "code": code,
        "milestones": milestones,
        "tasks": tasks,
        "source": source,
        "milestone": str(params.get("milestone") or "") if source == "milestone" else "",
        "task": str(params.get("task") or "") if source == "task" else "",
        "days": days,
        "result": result,
        "error": error,
        "types": ChangeType.choices,
        "raising": raising,
        # a closed or cancelled project takes no change request: said instead of the form
        "raise_refused": ended.raise_refusal(project) if project is not None else None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "dependencies/partials/_impact.html", context, status=status)
    return render(request, "dependencies/impact.html", context, status=status)


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
    except FieldError as exc:
        # back to the analysis it was raised from, the form as typed, the error at its field
        typed = {k: str(request.POST.get(k, "")) for k in RAISE_FIELDS}
        where = exc.field if exc.field in (*RAISE_FIELDS, "project") else "form"
        raising = {**typed, "field": exc.field, "where": where, "error": _message(exc)}
        return _impact_page(request, _what_if_query(data), raising, status=422)
    except DomainError as exc:
        messages.error(request, _message(exc))
        return redirect(_what_if_url(data))  # back to the analysis it was raised from
    return redirect("dependencies:change_detail", cr.pk)


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
    cr = _or_404(selectors.get_change_request, user, pk)
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
            "answering": answering or {},
            "cr": cr,
            "impact_projects": selectors.impact_projects(seen.impact),
            "breached": seen.impact.get("dependencies", []),
            "hidden_projects": seen.hidden_projects,
            "applied_count": len(seen.impact.get("applied", [])),
            "currency": cr.project.currency if cr.project else "",
            "actions": changes.allowed_actions(user, cr),
            "steps": steps,
            "affected": seen.affected,
            "thresholds": changes.thresholds(),
        },
        status=status,
    )


@login_required
@require_POST
def change_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """An affected project's answer (its manager or the PMO): agree, or object with a
    reason. An error brings the page back with the form as typed and the field's error."""
    user = user_of(request)
    cr = _or_404(selectors.get_change_request, user, pk)
    form = {k: request.POST.get(k, "") for k in ("project", "answer", "reason")}
    try:
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
        messages.error(request, _message(exc))
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
    cr = _or_404(selectors.get_change_request, user, pk)
    try:
        version = posted_version(request)
        updated = changes.transition(
            actor=user,
            cr=cr,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
            version=version,
        )
    except DomainError as exc:
        messages.error(request, _message(exc))
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
