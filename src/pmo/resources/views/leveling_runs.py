"""Leveling runs: start one in a scenario, follow it (the htmx panel, the workbook),
cancel it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import ConflictError, DomainError, NotFoundError
from pmo.core.http import posted_version
from pmo.resources import exports, leveling, leveling_runs, selectors
from pmo.resources.access import can_manage_resources
from pmo.resources.views.common import _scenario, _viewer, _xlsx, refuse_non_manager
from pmo.resources.views.scenario_pickers import in_scenario, not_in_scenario, picked
from pmo.resources.views.scenario_seen import changed_since, refuse_stale

__all__ = ["leveling_cancel", "leveling_run", "scenario_level"]


def _run_context(run: Any, user: Any) -> dict[str, Any]:
    if run is None:
        return {"run": None}
    phases = {
        "queued": _("Waiting for a worker"),
        "building": _("Building the model"),
        "solving": _("Solving (at most %(seconds)s s)") % {"seconds": run.time_limit},
        "applying": _("Writing the scenario"),
        "done": _("Done"),
        "failed": _("Failed"),
        "cancelled": _("Cancelled"),
    }
    solver = (run.result or {}).get("solver", {})
    statuses = {
        "optimal": _("optimal"),
        "feasible": _("feasible, not proven optimal"),
        "nothing to move": _("nothing to move"),
    }
    result = run.result or {}
    project_names, resource_names = selectors.run_names(result)
    moved_days = selectors.shifted_days(run.scenario_id) if run.scenario_id else {}
    projects = [
        {
            **p,
            "name": project_names.get(p["project"], ""),
            # a pin keeps the dates the scenario gave the project before this run
            "moved_before": moved_days.get(p["project"], 0) if p["pinned"] else 0,
        }
        for p in result.get("projects", [])
    ]
    affected = [p for p in projects if p["delay"] or p["moved"] or p["pinned"]]
    longest = max((p["delay"] for p in affected), default=0)
    # bar lengths for the delay chart, in percent of the longest delay
    affected = [{**p, "bar": round(100 * p["delay"] / longest) if longest else 0} for p in affected]

    def named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                **r,
                "project_name": project_names.get(r["project"], ""),
                "resource_label": resource_names.get(r["resource"])
                or r.get("resource_name")
                or r["resource"],
            }
            for r in rows
        ]

    return {
        "run": run,
        "run_closed": run.scenario_id is not None and run.scenario.state != "draft",
        "run_projects": affected,
        "run_all_projects": projects,
        "run_moved": named(result.get("moved", [])),
        "run_not_levelable": named(result.get("not_levelable", [])),
        "run_status": statuses.get(solver.get("status", ""), solver.get("status", "")),
        "run_unaffected": len(projects) - len(affected),
        "run_progress": leveling.shown_progress(run),
        "run_phase": phases.get(run.phase, run.phase),
        "run_can_cancel": run.active and can_manage_resources(user),
        # queued 30 s and no worker took it: say so (the panel polls, so it appears by itself)
        "run_no_worker": leveling_runs.no_worker_hint(run),
    }


@login_required
@require_POST
def scenario_level(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a leveling run of the scenario (pins from the checkboxes)."""
    scenario = _scenario(request, str(pk))
    refuse_non_manager(request, reverse("resources:scenario_detail", args=[pk]))  # a post: 403
    # the boxes replace the scenario's pins: from an out-of-date page they would unpin what
    # someone pinned since (issue #6), so such a post is refused with what changed
    stale = _(
        "This scenario changed since you opened the page: nothing was levelled and no pin "
        "changed. Check what changed (listed below) and the pins, then level again."
    )
    if (since := changed_since(request, scenario)) is not None:
        return refuse_stale(request, scenario, stale, since)
    pinned = [code for code in request.POST.getlist("pin") if code]
    # a big scenario lists its pinned projects only: another is pinned with a picker
    if request.POST.get("pin_project_text", "").strip():
        another = picked(request, "pin_project")
        refused = another.error
        if not refused and another.code and not in_scenario(scenario, another.code):
            refused = not_in_scenario(another.code)  # the run would refuse every pin
        if refused:
            from pmo.resources.forms import CapacityChangeForm
            from pmo.resources.views.scenarios import _scenario_page  # it imports this module

            messages.error(request, _("Nothing was levelled: correct the pins below."))
            return _scenario_page(
                request,
                scenario,
                CapacityChangeForm(),
                status=422,
                errors={"pin": refused},
                typed={"pin": request.POST.get("pin_project_text", "")},
                posted_pins=pinned,
            )
        if another.code:
            pinned.append(another.code)
    try:
        leveling.start_leveling(
            actor=user_of(request),
            scenario=scenario,
            time_limit=int(request.POST.get("time_limit") or 30),
            pinned=list(dict.fromkeys(pinned)),
            version=posted_version(request),
        )
    except ValueError:
        messages.error(request, _("Enter a time limit in whole seconds."))
    except ConflictError as exc:
        if exc.current_version is None:
            messages.error(request, exc.message)
        else:
            scenario.refresh_from_db()
            return refuse_stale(request, scenario, stale, [exc.message])
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("resources:scenario_detail", pk=scenario.pk)


@login_required
@require_POST
def leveling_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a queued or running run; back to its scenario."""
    try:
        run = leveling.get_leveling_run(pk)
    except NotFoundError:
        raise Http404("no such run") from None
    refuse_non_manager(request, reverse("resources:scenario_detail", args=[run.scenario_id]))
    try:
        leveling.cancel_leveling(actor=user_of(request), run=run)
        messages.success(request, _("Leveling run cancelled; the scenario is unchanged."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("resources:scenario_detail", pk=run.scenario_id)


@login_required
def leveling_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The run panel (htmx polls it while the run is under way; reloads the page when done)."""
    _viewer(request)
    try:
        run = leveling.get_leveling_run(pk)
    except NotFoundError:
        raise Http404("no such run") from None
    context = _run_context(run, user_of(request))
    if request.GET.get("format") == "xlsx":
        if run.state != "done":
            raise Http404("the run has no result (yet)")
        when = timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M")
        book = exports.leveling_run_workbook(
            heading=_("Leveling run of scenario %(name)s, started %(when)s")
            % {"name": run.scenario.name, "when": when},
            projects=context["run_all_projects"],
            moved=context["run_moved"],
            not_levelable=context["run_not_levelable"],
            pinned_overload=(run.result or {}).get("pinned_overload", []),
        )
        return _xlsx(book, f"pmo-leveling-run-{run.pk}.xlsx")
    # htmx polls the panel; a link opened on its own gets the page around it
    template = "resources/partials/_leveling_run.html"
    if not request.htmx:  # type: ignore[attr-defined]
        template = "resources/leveling_run.html"
    response = render(request, template, {**context, "polling": True})
    if request.GET.get("poll") and not run.active:
        response["HX-Refresh"] = "true"  # the heat maps and tables changed: show them
    return response
