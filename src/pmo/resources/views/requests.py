"""Requests to commit: every proposed allocation of the current plan, across projects, with
whether it fits beside the committed work; resource managers commit or decline several at
once (:func:`pmo.resources.services.decide_requests`, all or none)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, PermissionDeniedError
from pmo.core.http import refuse_unless
from pmo.core.sentences import join_sentences
from pmo.resources import selectors, services
from pmo.resources.access import can_manage_resources
from pmo.resources.filters import ResourceFilter
from pmo.resources.forms_requests import DecisionForm, RequestsFilterForm
from pmo.resources.heatmap.requests import Requests, pending_requests
from pmo.resources.services.requests import REASON_MAX
from pmo.resources.views.common import _viewer

__all__ = ["LIMIT", "requests_to_commit"]

LIMIT = 500  # requests listed at most: a page a resource manager can read and tick


@login_required
def requests_to_commit(request: HttpRequest) -> HttpResponse:
    """The requests, earliest first, narrowed by project, role, org unit or skill (the query); a
    post decides the ticked ones and comes back to the same filters (post, redirect, get).
    Anyone who reads capacity sees them; only resource managers and the PMO decide."""
    _viewer(request)
    user = user_of(request)
    manager = can_manage_resources(user)
    if request.method == "POST":
        # a project manager's or executive's post: the 403, before anything posted is read
        refuse_unless(
            request,
            manager,
            _("Only the PMO and resource managers may commit or decline requests."),
            request.get_full_path(),
        )
    filters = RequestsFilterForm(request.GET or None, roles=selectors.list_roles(), user=user)
    if request.GET and not filters.is_valid():
        messages.error(request, _not_applied(filters))
        return _page(request, filters, None, manager, status=422)
    if request.method != "POST":
        return _page(request, filters, _listed(filters), manager)
    decision = DecisionForm(request.POST)
    try:
        if not decision.is_valid():
            raise ValueError(join_sentences(e for es in decision.errors.values() for e in es))
        chosen = decision.chosen()
        action, reason = decision.cleaned_data["action"], decision.cleaned_data["reason"]
        decided = services.decide_requests(
            actor=user,
            commit=chosen if action == "commit" else (),
            decline=chosen if action == "decline" else (),
            reason=reason if action == "decline" else "",
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except (DomainError, ValueError) as exc:
        status = exc.status_code if isinstance(exc, DomainError) else 422
        messages.error(request, exc.message if isinstance(exc, DomainError) else str(exc))
        return _page(request, filters, _listed(filters), manager, decision=decision, status=status)
    messages.success(request, _decided(len(decided.committed), len(decided.declined)))
    return redirect(request.get_full_path())


def _listed(filters: RequestsFilterForm) -> Requests:
    """The requests the (valid or empty) filters keep."""
    data = filters.cleaned_data if filters.is_bound else {}
    project, unit = data.get("project"), data.get("org_unit")
    return pending_requests(
        only=ResourceFilter(
            org_unit=unit.pk if unit else None,
            role=data.get("role") or "",
            skill=(data.get("skill") or "").strip(),
        ),
        project_id=project.pk if project else None,
        limit=LIMIT,
    )


def _not_applied(filters: RequestsFilterForm) -> str:
    """The message of filters that name nothing: each wrong field by its label."""
    names = [str(filters.fields[name].label) for name in filters.errors if name in filters.fields]
    return _("The requests are not listed: correct %(fields)s.") % {
        "fields": pgettext("list separator", ", ").join(names) if names else _("the filters")
    }


def _decided(committed: int, declined: int) -> str:
    said = []
    if committed:
        said.append(
            ngettext("%(n)s request committed.", "%(n)s requests committed.", committed)
            % {"n": committed}
        )
    if declined:
        said.append(
            ngettext(
                "%(n)s request declined: its project's manager is told why.",
                "%(n)s requests declined: their projects' managers are told why.",
                declined,
            )
            % {"n": declined}
        )
    return join_sentences(said)


def _page(
    request: HttpRequest,
    filters: RequestsFilterForm,
    found: Requests | None,
    manager: bool,
    *,
    decision: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    ticked = decision.ticked() if decision is not None else set()
    context: dict[str, Any] = {
        "filters": filters,
        "found": found,
        "rows": [(r, r.allocation.pk in ticked) for r in found.rows] if found else [],
        "manager": manager,
        "reason": decision.data.get("reason", "") if decision is not None else "",
        "reason_max": REASON_MAX,
        "project": filters.cleaned_data.get("project") if filters.is_bound else None,
    }
    return render(request, "resources/requests.html", context, status=status)
