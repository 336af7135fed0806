"""The dependency register: the list with the network picture and a milestone's critical
chain, registering, changing the status of and deleting a dependency."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from pmo.core.http import posted_version, refused_as_403
from pmo.dependencies import selectors, services
from pmo.dependencies.models import Criticality, DependencyStatus, DependencyType
from pmo.dependencies.network import network_svg
from pmo.dependencies.views.common import (
    field_message,
    not_a_number,
    or_404,
    running_projects_lookup,
)
from pmo.portfolio.access import can_edit_project, visible_projects
from pmo.portfolio.lookup import picked_project_code, project_label
from pmo.portfolio.models import Milestone

__all__ = [
    "dependency_create",
    "dependency_delete",
    "dependency_endpoints",
    "dependency_list",
    "dependency_status",
]


#: The fields of the register form that are kept when it comes back with an error.
FORM_FIELDS = (
    "supplier_project",
    "supplier_project_text",
    "supplier_item",
    "consumer_project",
    "consumer_project_text",
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


def _dependency_page(
    request: HttpRequest,
    form: dict[str, str],
    status: int = 200,
    field_errors: dict[str, str] | None = None,
) -> HttpResponse:
    """The register page; ``form``: the register form as typed, ``field_errors``: the
    messages shown at its project pickers."""
    user = user_of(request)
    project = request.GET.get("project") or None
    status_filter = request.GET.get("status") or None
    margin = request.GET.get("margin") or ""
    sort = request.GET.get("sort") or ""
    deps = selectors.register_rows(
        user, project=project, status=status_filter, margin=margin, sort=sort
    )
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
            messages.error(request, field_message(exc))
    chain_projects = {c["project"] for c in chain}
    targets = [
        (f"m:{m.pk}", f"{m.project.code} · {m.display_name}")
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
            "margin": margin,
            "sort": sort,
            "statuses": DependencyStatus.choices,
            "types": DependencyType.choices,
            "criticalities": Criticality.choices,
            "form": form,
            "may_register": services.may_register_dependency(user),
            # the projects are picked by typing (a search, not a list of every project)
            "picked": _picked(user, form, field_errors or {}),
            "projects_lookup": running_projects_lookup(),
            "supplier_groups": selectors.endpoint_choices(user, form.get("supplier_project", "")),
            "consumer_groups": selectors.endpoint_choices(user, form.get("consumer_project", "")),
            "first_date": FIRST_DATE.isoformat(),
            "last_date": LAST_DATE.isoformat(),
        },
        status=status,
    )


def _picked(user: Any, form: dict[str, str], errors: dict[str, str]) -> dict[str, str]:
    """What the register form's project pickers show: for each side its code (``supplier``),
    its box (``supplier_text``: ``code · name`` once a project is chosen, as when picked, else
    what was typed) and its error (``supplier_error``)."""
    codes = [form[f"{side}_project"] for side in SIDES if form.get(f"{side}_project")]
    labels = {p.code: project_label(p) for p in visible_projects(user).filter(code__in=codes)}
    picked = {}
    for side in SIDES:
        code = form.get(f"{side}_project", "")
        picked[side] = code
        picked[f"{side}_text"] = labels.get(code) or form.get(f"{side}_project_text") or code
        picked[f"{side}_error"] = errors.get(f"{side}_project", "")
    return picked


#: The two ends of a dependency, as the register form's field names begin.
SIDES = ("supplier", "consumer")


#: The model field of each kind of endpoint in a register-form choice ``m:<id>`` etc.
ENDPOINT_KINDS = {"m": "milestone", "g": "gate", "t": "task"}


@login_required
@require_POST
def dependency_create(request: HttpRequest) -> HttpResponse:
    """Register a dependency from the form; an error brings the form back as it was typed.
    Someone who may register none (an executive, a viewer) is refused with a 403."""
    user = user_of(request)
    if not services.may_register_dependency(user):  # the 403 page, as every refused post
        raise PermissionDenied(
            _("only the PMO or the manager of one of the two projects may register a dependency")
        )
    form = {k: request.POST.get(k, "") for k in FORM_FIELDS}
    skipped = ("csrfmiddlewaretoken", "supplier_item", "consumer_item")
    data: dict[str, Any] = {
        k: v
        for k, v in request.POST.items()
        if k not in skipped and not k.endswith("_text") and v != ""
    }
    # the project pickers: the code picked, or what was typed in their box (no script)
    picker_errors: dict[str, str] = {}
    for key in ("supplier_project", "consumer_project"):
        picked = picked_project_code(user, request.POST.get(key), request.POST.get(f"{key}_text"))
        if picked.error:
            picker_errors[key] = field_message(FieldError(key, picked.error))
        form[key] = picked.code
        data.pop(key, None)
        if picked.code:
            data[key] = picked.code
    if picker_errors:
        return _dependency_page(request, form, status=422, field_errors=picker_errors)
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
                messages.error(request, not_a_number(key))
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
        dep = services.create_dependency(actor=user, data=data)
    except FieldError as exc:
        if exc.field in ("supplier_project", "consumer_project") and exc.errors:
            # said at the picker, beside what was typed
            errors = {exc.field: field_message(exc)}
            return _dependency_page(request, form, status=422, field_errors=errors)
        messages.error(request, field_message(exc))
        return _dependency_page(request, form, status=422)
    except PermissionDeniedError as exc:  # neither project is theirs
        messages.error(request, field_message(exc))
        return _dependency_page(request, form, status=403)
    except DomainError as exc:
        messages.error(request, field_message(exc))
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
    dep = or_404(selectors.get_dependency, user, pk)
    try:
        version = posted_version(request)
        with refused_as_403():  # neither project is theirs
            services.update_dependency(
                actor=user,
                dep=dep,
                data={"status": request.POST.get("status", "")},
                version=version,
            )
    except DomainError as exc:
        messages.error(request, field_message(exc))
    return redirect("dependencies:dependency_list")


@login_required
@require_POST
def dependency_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a dependency from the register (version-checked)."""
    user = user_of(request)
    dep = or_404(selectors.get_dependency, user, pk)
    try:
        with refused_as_403():  # neither project is theirs
            services.delete_dependency(actor=user, dep=dep, version=posted_version(request))
    except DomainError as exc:
        messages.error(request, field_message(exc))
    else:
        messages.success(request, _("Dependency #%(id)s deleted.") % {"id": pk})
    return redirect("dependencies:dependency_list")
