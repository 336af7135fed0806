"""A committed scenario's dates applied to a plan, and the portfolio's milestone Gantt."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import (
    DomainError,
    NotFoundError,
)
from pmo.core.i18n import pick
from pmo.portfolio.access import (
    visible_projects,
)
from pmo.portfolio.models import Milestone
from pmo.portfolio.views.common import refuse_reader
from pmo.resources.selectors import get_scenario
from pmo.scheduling import gantt
from pmo.scheduling.scenario import apply_scenario_dates
from pmo.scheduling.views.plan import (
    _plan_or_404,
)


@login_required
@require_POST
def scenario_apply(request: HttpRequest, code: str, scenario_id: int) -> HttpResponse:
    """Move the plan's tasks to a committed capacity scenario's dates (the plan's manager)."""
    project, plan = _plan_or_404(request, code)
    try:
        scenario = get_scenario(scenario_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    if (refused := refuse_reader(request, project)) is not None:  # a post: the 403
        return refused
    try:
        done = apply_scenario_dates(actor=user_of(request), plan=plan, scenario=scenario)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("resources:scenario_detail", pk=scenario.pk)
    if done.moved:
        messages.success(
            request,
            ngettext(
                "%(n)s task now starts no earlier than scenario %(name)s has it: %(tasks)s",
                "%(n)s tasks now start no earlier than scenario %(name)s has them: %(tasks)s",
                len(done.moved),
            )
            % {
                "n": len(done.moved),
                "name": scenario.name,
                "tasks": pgettext("list of names", ", ").join(done.moved),
            },
        )
    if done.under_way:
        messages.warning(
            request,
            _("Under way, left as they are (change their remaining work by hand): %(tasks)s")
            % {"tasks": pgettext("list of names", ", ").join(done.under_way)},
        )
    return redirect("scheduling:plan_detail", code=code)


MILESTONE_PROJECTS = 300
"""Projects on the portfolio milestone chart (the first by code; the page says how many more)."""


@login_required
def milestone_gantt(request: HttpRequest) -> HttpResponse:
    """Key milestones of every visible project on one time line (baseline vs forecast)."""
    projects = (
        visible_projects(user_of(request))
        .filter(state="active", pk__in=Milestone.objects.filter(is_key=True).values("project"))
        .order_by("code")
    )
    shown = list(projects.only("id", "code", "name", "name_zh")[:MILESTONE_PROJECTS])
    grouped: dict[int, list[tuple[Any, ...]]] = {p.pk: [] for p in shown}
    rows = (
        Milestone.objects.filter(project__in=[p.pk for p in shown], is_key=True)
        .order_by("project__code", "forecast_date", "id")
        .values_list(
            "project_id", "name", "name_zh", "baseline_date", "forecast_date", "actual_date"
        )
    )
    for project_id, name, name_zh, *dates in rows:
        grouped[project_id].append((pick(name, name_zh), *dates))
    data = [(p.code, p.display_name, grouped[p.pk]) for p in shown]
    chart = gantt.milestone_layout(data, today=timezone.localdate())
    total = len(shown) if len(shown) < MILESTONE_PROJECTS else projects.count()
    return render(
        request,
        "scheduling/milestone_gantt.html",
        {"chart": chart, "total": total, "shown": len(data)},
    )
