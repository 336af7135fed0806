"""Scenarios: the list, the comparison and a scenario's page beside the current plan
(its changes, last refresh and leveling run)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.accounts.models import User, user_of
from pmo.core.errors import DomainError, FieldError
from pmo.core.models import as_id
from pmo.portfolio.access import can_edit_project
from pmo.resources import compare, costs, heatmap, refresh, selectors, services
from pmo.resources.access import can_manage_resources
from pmo.resources.forms import CapacityChangeForm, resource_picker
from pmo.resources.views.common import (
    _options,
    _scenario,
    _view_choices,
    _viewer,
    refuse_non_manager,
)
from pmo.resources.views.leveling_runs import _run_context
from pmo.resources.views.scenario_pickers import (
    chosen_project,
    field_message,
    move_box,
    picked,
    pins,
    staffing_picker,
)
from pmo.resources.views.scenario_seen import seen_mark

__all__ = ["scenario_compare", "scenario_detail", "scenario_list"]


@login_required
def scenario_compare(request: HttpRequest) -> HttpResponse:
    """The current plan and up to four scenarios side by side (``?ids=1&ids=2``)."""
    _viewer(request)
    options = _options(request)
    ids = [pk for v in request.GET.getlist("ids") if (pk := as_id(v)) is not None]
    try:
        comparison = compare.compare_scenarios(
            ids,
            by=options["by"],
            scale=options["scale"],
            start=options["start"],
            count=options["count"],
            unit=options["unit"],
            only=options["only"],
            today=timezone.localdate(),
        )
    except DomainError as exc:
        # the ticked boxes are the field: the page says what is wrong, not the parameter name
        messages.error(request, exc.errors[0]["message"] if exc.errors else exc.message)
        return redirect("resources:scenario_list")
    return render(
        request,
        "resources/scenario_compare.html",
        {
            **options,
            "comparison": comparison,
            "ids": ids,
            **_view_choices(),
        },
    )


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    """Scenarios; a resource manager creates one by copying the current plan."""
    _viewer(request)
    user = user_of(request)
    creating: dict[str, str] = {}
    if request.method == "POST":
        refuse_non_manager(request, reverse("resources:scenario_list"))  # a post: the 403
        creating = {k: request.POST.get(k, "") for k in ("name", "description")}
        try:
            scenario = services.create_scenario(actor=user, **creating)
        except FieldError as exc:
            # the form comes back as typed, the error at its field (above the form otherwise)
            message = exc.errors[0]["message"] if exc.errors else exc.message
            where = exc.field if exc.field in creating else "form"
            creating = {**creating, "where": where, "error": message}
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("resources:scenario_list")
        else:
            return redirect("resources:scenario_detail", pk=scenario.pk)
    return render(
        request,
        "resources/scenario_list.html",
        {
            "scenarios": _flag_out_of_date(selectors.list_scenarios()),
            "can_manage": can_manage_resources(user),
            "creating": creating,
        },
        status=422 if creating else 200,
    )


def _flag_out_of_date(scenarios: Any) -> list[Any]:
    """The scenarios, each draft with ``out_of_date`` (why it can no longer be committed)."""
    rows = list(scenarios)
    reasons = selectors.scenarios_out_of_date(rows)
    for s in rows:
        s.out_of_date = reasons[s.pk]
    return rows


@login_required
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The scenario beside the current plan: both heat maps and the overload totals."""
    _viewer(request)
    scenario = _scenario(request, str(pk))
    if request.GET.get("part") == "move":
        # the Move project box follows the project picked in it (htmx, on the pick)
        project = chosen_project(user_of(request), request.GET.get("project", ""))
        return render(
            request,
            "resources/partials/_shift_move.html",
            {"scenario": scenario, **move_box(scenario, project)},
        )
    if request.GET.get("go") == "staffing":
        # Change allocations: the project picked, or what was typed in its box (no script)
        chose = picked(request, "project")
        if chose.code:
            url = reverse("resources:scenario_staffing", args=[scenario.pk])
            return redirect(f"{url}?{urlencode({'project': chose.code})}")
        return _scenario_page(
            request,
            scenario,
            CapacityChangeForm(),
            status=422,
            errors={"staffing": chose.error or _("Choose a project.")},
            typed={"staffing": request.GET.get("project_text", "")},
        )
    return _scenario_page(request, scenario, CapacityChangeForm())


def _cost_text(cost: list[costs.CostTotal]) -> str:
    """A scenario's labour cost change, each currency signed ("+1,200.00 CNY; -300.00 GBP");
    an amount and its currency never split over two lines (a no-break space between them)."""
    return pgettext("list of problems", "; ").join(
        f"{'+' if c.total > 0 else ''}{floatformat(c.total, '2g')}\u00a0{c.currency}" for c in cost
    )


def _scenario_page(
    request: HttpRequest,
    scenario: Any,
    capacity_form: CapacityChangeForm,
    status: int = 200,
    *,
    since: list[str] | None = None,
    chosen: str = "",
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    move_days: str | None = None,
    posted_pins: list[str] | None = None,
) -> HttpResponse:
    """The scenario's page; ``since``: what changed since a refused form was opened
    (:mod:`.scenario_seen`), ``chosen``: the project its forms choose (else ``?project``);
    ``errors`` and ``typed``: a refused project picker's message and text, by form
    (``shift``, ``staffing``, ``pin``); ``move_days`` and ``posted_pins``: what a refused
    Move project or Level post held, shown again as it was entered."""
    errors = {form: field_message(message) for form, message in (errors or {}).items()}
    typed = typed or {}
    user = user_of(request)
    options = _options(request)
    kwargs = {
        "by": options["by"],
        "scale": options["scale"],
        "start": options["start"],
        "count": options["count"],
        "today": timezone.localdate(),
    }
    current = heatmap.build_heatmap(**kwargs)
    what_if = heatmap.build_heatmap(**kwargs, scenario_id=scenario.pk)
    shifts = list(scenario.shifts.select_related("project").order_by("project__code"))
    run = scenario.runs.select_related("created_by", "scenario").first()
    pinned = {s.project.code for s in shifts if s.pinned}
    chosen = chosen or request.GET.get("project") or request.POST.get("project") or ""
    project = chosen_project(user, chosen)
    changes = selectors.scenario_changes(scenario.pk)
    draft = scenario.state == "draft"
    manages = can_manage_resources(user) and draft
    out_of_date = selectors.scenario_out_of_date(scenario)
    plan_changed, plan_changed_more = (
        selectors.plan_changes_since(scenario) if out_of_date else ([], 0)
    )
    return render(
        request,
        "resources/scenario_detail.html",
        {
            **options,
            "scenario": scenario,
            "draft": draft,
            "seen": seen_mark(scenario),
            "since": since or [],
            **move_box(
                scenario,
                project,
                shifts,
                error=errors.get("shift", ""),
                typed=typed.get("shift", ""),
                typed_days=move_days,
            ),
            "out_of_date": out_of_date,
            "plan_changed": plan_changed,
            "plan_changed_more": plan_changed_more,
            "current": current,
            "what_if": what_if,
            "shifts": shifts,
            "shift_priorities": any(s.priority for s in shifts),
            "shift_pins": bool(pinned),
            # moved in this scenario already (Move project, earlier runs): a pin keeps that
            "moved_before": [s for s in shifts if s.days],
            # the pins are in the manager's Level the portfolio form only
            **(
                pins(
                    scenario,
                    shifts,
                    error=errors.get("pin", ""),
                    typed=typed.get("pin", ""),
                    posted=posted_pins,
                )
                if manages
                else {}
            ),
            "staffing_picker": staffing_picker(
                project, error=errors.get("staffing", ""), typed=typed.get("staffing", "")
            ),
            "changes": changes,
            "project_rows": _project_rows(shifts, changes.by_project),
            "last_refresh": _last_refresh(scenario) if draft else None,
            "cost_text": _cost_text(changes.cost),
            "plans_to_change": [
                {**p, "editable": can_edit_project(user, p["project"])}
                for p in selectors.projects_of(scenario.plans_to_change)
            ],
            "pinned": pinned,
            "resource_picker": resource_picker(capacity_form),
            "capacity_form": capacity_form,
            # a draft lists what it changes against the plan; a committed one what it set
            "capacity_diff": selectors.scenario_capacity_changes(scenario.pk) if draft else None,
            "capacity_changes": scenario.capacity_changes.select_related("resource"),
            "can_manage": manages,
            **_run_context(run, user),
        },
        status=status,
    )


def _project_rows(shifts: list[Any], changed: dict[str, int]) -> list[dict[str, Any]]:
    """The projects the scenario changes: moved, given a priority or pinned, or with
    allocations that differ from the current plan; by code."""
    rows = {
        s.project.code: {"code": s.project.code, "name": s.project.display_name, "shift": s}
        for s in shifts
    }
    missing = [code for code in changed if code not in rows]
    for project in selectors.projects_of(missing):
        rows[project["code"]] = {"code": project["code"], "name": project["name"], "shift": None}
    return [{**rows[c], "changed": changed.get(c, 0)} for c in sorted(rows)]


def _person_name(pk: Any) -> str:
    """The name of the user ``pk`` as pages show people (their person's name)."""
    user = User.objects.filter(pk=pk or 0).select_related("person").first()
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.display_name if person is not None else user.get_full_name() or user.username


def _kept_text(kept: dict[str, Any]) -> str:
    """One project's changes a refresh kept: "P0003 (2 allocations, moved +14 days)"."""
    parts = []
    if kept.get("allocations"):
        parts.append(
            ngettext("%(count)s allocation", "%(count)s allocations", kept["allocations"])
            % {"count": kept["allocations"]}
        )
    if kept.get("days"):
        parts.append(
            ngettext("moved %(days)s day", "moved %(days)s days", abs(kept["days"]))
            % {"days": f"{kept['days']:+d}"}
        )
    if kept.get("priority"):
        parts.append(_("priority %(priority)s") % {"priority": kept["priority"]})
    if kept.get("pinned"):
        parts.append(_("pinned"))
    if not parts:
        return str(kept["project"])
    return _("%(project)s (%(changes)s)") % {
        "project": kept["project"],
        "changes": pgettext("list separator", ", ").join(parts),
    }


def _plan_text(first: str | None, last: str | None, fte: str | None) -> str:
    """A row's dates and FTE, "2027-02-08 – 2027-03-29, 0.60 FTE"."""
    return _("%(first)s – %(last)s, %(fte)s FTE") % {"first": first, "last": last, "fte": fte}


def _last_refresh(scenario: Any) -> dict[str, Any] | None:
    """The scenario's last refresh from the current plan and its last project reset, with
    who did them, what each refresh kept (by project) and each dropped change with its
    reason and both versions (the scenario's and the current plan's now)."""
    report = scenario.last_refresh or {}
    reset = report.get("last_reset")
    shown: dict[str, Any] = {"refresh": None, "reset": None}
    if report.get("at"):
        kept = [_kept_text(k) for k in report.get("kept_projects", [])]
        if report.get("kept_capacity"):
            kept.append(
                ngettext(
                    "%(count)s capacity change",
                    "%(count)s capacity changes",
                    report["kept_capacity"],
                )
                % {"count": report["kept_capacity"]}
            )
        shown["refresh"] = {
            "at": dt.datetime.fromisoformat(report["at"]),
            "by": _person_name(report.get("by")),
            "kept": report.get("kept", 0),
            "kept_list": kept,
            "from_plan": report.get("from_plan", 0),
            "dropped": [
                {
                    **d,
                    "message": refresh.dropped_message(d["reason"]),
                    "scenario_text": _plan_text(d["first"], d["last"], d["fte"]),
                    "plan_text": _plan_text(d["plan_first"], d.get("plan_last"), d.get("plan_fte"))
                    if d.get("plan_first")
                    else "",
                }
                for d in report.get("dropped", [])
            ],
        }
    if reset:
        shown["reset"] = {
            **reset,
            "at": dt.datetime.fromisoformat(reset["at"]),
            "by": _person_name(reset.get("by")),
        }
    return shown if shown["refresh"] or shown["reset"] else None
