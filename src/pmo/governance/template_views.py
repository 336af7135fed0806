"""Web pages of governance: lifecycle templates (list, detail, new revision, delete). Thin:
read via selectors, write via services."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError
from pmo.core.http import refuse_unless
from pmo.core.models import as_id
from pmo.governance import selectors, services
from pmo.governance.forms import (
    PhaseFormSet,
    TemplateForm,
    TemplateHeaderForm,
    definition_from_forms,
    initial_from_definition,
    template_error_text,
)
from pmo.governance.models import (
    LifecycleTemplate,
)


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
    if (
        refused := refuse_unless(
            request,
            user_of(request).is_pmo_admin,
            _("Only a PMO admin may define lifecycle templates."),
            reverse("governance:template_list"),
        )
    ) is not None:
        return refused
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
    if not user_of(request).is_pmo_admin:  # the service's words
        raise PermissionDenied(_("only a PMO admin may delete lifecycle templates"))
    try:
        services.delete_template(actor=user_of(request), template=template)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("governance:template_detail", template_id=template.pk)
    messages.success(request, _("Template deleted."))
    return redirect("governance:template_list")
