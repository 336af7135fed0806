"""What-if scenarios: create, compare, move projects, refresh, reset, commit, discard
(part of the resources API)."""

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, Id, Pages, Version, VersionParam
from pmo.core.errors import charged_to
from pmo.portfolio.access import get_visible_project
from pmo.resources import compare, refresh, selectors, services
from pmo.resources.access import require_view
from pmo.resources.api.common import ORG_UNIT_QUERY, ROLE_QUERY, _org_unit_pk, _role
from pmo.resources.filters import ResourceFilter
from pmo.resources.models import ProjectShift, Scenario, ScenarioState

router = Router()


class ScenarioIn(Body):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""


PRIORITY_TEXT = (
    "the project's priority in this scenario: 1 (highest) to 5 (lowest); leveling delays "
    "higher-priority projects less. Left out: unchanged; null: the scenario's priority is "
    "removed and the project's own priority counts again. It stays the scenario's: "
    "committing the scenario does not change the project's priority (a PMO-only field of "
    "the project, PATCH /projects/{code}; ADR 0006)"
)


class _ShiftOptions(Body):
    priority: int | None = Field(default=None, ge=1, le=5, description=PRIORITY_TEXT)
    pinned: bool | None = Field(
        default=None, description="pinned projects are not moved by leveling; left out: unchanged"
    )
    version: Version | None = Field(
        default=None,
        description="the scenario's version you read (ScenarioOut.version): 409 naming who "
        "changed the scenario, and its current_version, if it changed since (nothing "
        "changed). Left out: not checked, the last writer wins (as before)",
    )


class ShiftIn(_ShiftOptions):
    project: str
    days: int = Field(
        ge=-3660,
        le=3660,
        description="calendar days to move the project's allocations by, ADDED to its "
        "shift so far (20 then 10 moves it 30 days): not safe to retry. To set the total "
        "shift, PUT /scenarios/{id}/shifts/{project}",
    )


class ShiftPut(_ShiftOptions):
    days: int = Field(
        ge=-3660,
        le=3660,
        description="the project's TOTAL shift in calendar days after the call (ShiftOut.days: "
        "Move project and leveling together): every allocation of the project that copies "
        "one of the current plan then starts `days` after the plan's (keeping its own "
        "length; a leveling delay of the row is replaced, not added to), so 0 is the "
        "current plan's dates, never earlier; an allocation the scenario added moves by the "
        "change of the project's Move project days. Sending the same value again changes "
        "nothing",
    )


class ShiftOut(Schema):
    project: str
    days: int = Field(
        description="calendar days the project's work is later in this scenario than in the "
        "current plan (Move project and leveling together; negative: earlier)"
    )
    priority: int | None = Field(
        description="the scenario's priority of the project, 1 (highest) to 5; null: none set "
        "(the project's own priority counts). It weighs leveling in this scenario only: a "
        "commit keeps the project's own priority"
    )
    pinned: bool = Field(description="not moved by leveling")


class ScenarioOut(Schema):
    id: int
    name: str
    description: str
    state: Literal["draft", "committed", "discarded"]
    created_at: dt.datetime
    closed_at: dt.datetime | None
    shifts: list[ShiftOut]
    version: int
    plans_to_change: list[str] = Field(
        description="committed: codes of the projects whose plans must change to match it"
    )
    out_of_date: bool = Field(
        description="a draft whose copy of the current plan is out of date: the current plan "
        "changed since it was created or last refreshed, so a commit is refused (409) until "
        "`POST /scenarios/{id}/refresh`; always false once committed or discarded"
    )
    out_of_date_reason: Literal["allocations", "capacity"] | None = Field(
        description="why it is out of date: allocations (the current plan's hand-entered "
        "allocations were added, changed or removed since the copy) or capacity (its "
        "capacity changes were); null when it is not"
    )

    @staticmethod
    def _out_of_date(obj: Scenario, context: dict[str, Any] | None) -> str | None:
        """The reason :func:`pmo.resources.selectors.scenario_out_of_date` gives, read once
        per scenario (the list reads every draft's at once: ``scenarios_out_of_date`` on the
        request)."""
        request = (context or {}).get("request")
        known = getattr(request, "scenarios_out_of_date", None)
        if known is not None and obj.pk in known:
            return known[obj.pk]  # type: ignore[no-any-return]
        if not hasattr(obj, "_out_of_date"):
            obj._out_of_date = selectors.scenario_out_of_date(obj)  # type: ignore[attr-defined]
        return obj._out_of_date  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_out_of_date(obj: Scenario, context: dict[str, Any] | None = None) -> bool:
        return ScenarioOut._out_of_date(obj, context) is not None

    @staticmethod
    def resolve_out_of_date_reason(
        obj: Scenario, context: dict[str, Any] | None = None
    ) -> str | None:
        return ScenarioOut._out_of_date(obj, context)

    @staticmethod
    def resolve_shifts(obj: object) -> list[dict[str, object]]:
        shifts = obj.shifts  # type: ignore[attr-defined]
        # the list reads them for every scenario at once (``with_shifts``); one alone here
        prefetched = "shifts" in getattr(obj, "_prefetched_objects_cache", {})
        return [
            {"project": s.project.code, "days": s.days, "priority": s.priority, "pinned": s.pinned}
            for s in (shifts.all() if prefetched else shifts.select_related("project"))
        ]


class VersionIn(Body):
    version: Version | None = None


class LateProjectOut(Schema):
    code: str
    planned_finish: dt.date
    allocations_end: dt.date = Field(description="the project's last allocation ends then now")
    working_days_late: int = Field(
        description="Monday-to-Friday days after the planned finish up to allocations_end"
    )


class CommitOut(Schema):
    created: int = Field(description="allocations of the current plan created")
    updated: int
    deleted: int
    capacity_changes: int = Field(
        description="the current plan's capacity changes now (the unchanged ones keep their ids)"
    )
    plans_to_change: list[str]
    late_projects: list[LateProjectOut] = Field(
        description="projects the commit changed whose work now ends after their planned "
        "finish, latest first"
    )


@router.get(
    "/scenarios",
    response=list[ScenarioOut],
    summary="What-if scenarios",
    operation_id="pmo_resources_api_list_scenarios",
)
@paginate(Pages, page_size=50)
def list_scenarios(request: HttpRequest) -> object:
    require_view(user_of(request))
    # whether each draft is out of date: five queries for the whole list, not four a draft
    request.scenarios_out_of_date = selectors.scenarios_out_of_date(  # type: ignore[attr-defined]
        list(Scenario.objects.filter(state=ScenarioState.DRAFT))
    )
    return selectors.list_scenarios(with_shifts=True)


@router.post(
    "/scenarios",
    response={201: ScenarioOut},
    summary="Copy the current plan",
    operation_id="pmo_resources_api_create_scenario",
)
def create_scenario(request: HttpRequest, payload: ScenarioIn) -> Status:
    scenario = services.create_scenario(
        actor=user_of(request), name=payload.name, description=payload.description
    )
    return Status(201, scenario)


IDS_QUERY = Query(..., description="1 to 4 scenario ids, repeated: ?ids=1&ids=2")


class CompareCellOut(Schema):
    end: dt.date | None
    shift: int | None = Field(description="calendar days later than in the current plan")
    priority: int | None
    pinned: bool
    changed: int = Field(
        description="its allocations that differ from the current plan (dates, resource, FTE)"
    )


class CompareProjectOut(Schema):
    code: str
    name: str
    cells: list[CompareCellOut] = Field(description="by layer: the current plan, then each id")


class CostChangeOut(Schema):
    currency: str
    committed: float
    proposed: float
    total: float


class CostInBaseOut(Schema):
    currency: str = Field(description="the base currency (PMO_BASE_CURRENCY)")
    total: float | None = Field(
        description="the cost changes added up in the base currency at the exchange rates in "
        "force on rates_on, to the cent; null when a currency has no rate (see missing_rates)"
    )
    missing_rates: list[str] = Field(
        description="the currencies with no exchange rate on rates_on (then total is null)"
    )
    rates_on: dt.date = Field(description="the day whose exchange rates apply (today)")
    note: str | None = Field(
        description="why there is no total, naming the currencies without a rate; else null"
    )


class CompareLayerOut(Schema):
    scenario_id: int | None
    name: str
    state: Literal["current", "draft", "committed", "discarded"]
    overloaded_cells: int
    overload: float
    changed: int = Field(
        description="allocations that differ from the current plan (dates, resource, FTE)"
    )
    cost_change: list[CostChangeOut] = Field(
        description="planned labour cost against the current plan, per currency"
    )
    cost_change_in_base: CostInBaseOut = Field(
        description="cost_change added up in the base currency (ADR 0016)"
    )


class CompareOut(Schema):
    unit: str
    layers: list[CompareLayerOut]
    projects: list[CompareProjectOut]


@router.get(
    "/scenarios/compare",
    response=CompareOut,
    summary="Scenarios side by side",
    operation_id="pmo_resources_api_get_comparison",
)
def get_comparison(
    request: HttpRequest,
    ids: list[Id] = IDS_QUERY,
    by: Literal["role", "org_unit", "resource"] = "role",
    scale: Literal["week", "month"] = "week",
    start: Date | None = None,
    periods: int = Query(12, ge=1, le=104),
    unit: Literal["fte", "hours"] = "fte",
    org_unit: str | None = Query(None, max_length=40, description=ORG_UNIT_QUERY),
    role: str = Query("", max_length=100, description=ROLE_QUERY),
    skill: str = "",
) -> dict[str, object]:
    require_view(user_of(request))
    result = compare.compare_scenarios(
        ids,
        by=by,
        scale=scale,
        start=start or timezone.localdate(),
        count=periods,
        unit=unit,
        only=ResourceFilter(org_unit=_org_unit_pk(org_unit), role=_role(role), skill=skill),
        today=timezone.localdate(),
    )
    return {
        "unit": unit,
        "layers": [
            {
                "scenario_id": layer.scenario.pk if layer.scenario else None,
                "name": layer.scenario.name if layer.scenario else "current plan",
                "state": layer.scenario.state if layer.scenario else "current",
                "overloaded_cells": layer.heatmap.overloaded_cells,
                "overload": layer.heatmap.overload,
                "changed": layer.changed,
                "cost_change": layer.cost,
                "cost_change_in_base": {
                    "currency": layer.cost_in_base.currency,
                    "total": layer.cost_in_base.total,
                    "missing_rates": list(layer.cost_in_base.missing),
                    "rates_on": result.rates_day,
                    "note": layer.cost_note,
                },
            }
            for layer in result.layers
        ],
        "projects": result.projects,
    }


@router.get(
    "/scenarios/{pk}",
    response=ScenarioOut,
    summary="A scenario",
    operation_id="pmo_resources_api_get_scenario",
)
def get_scenario(request: HttpRequest, pk: int) -> object:
    require_view(user_of(request))
    return selectors.get_scenario(pk)


def _shift_out(code: str, shift: ProjectShift) -> dict[str, object]:
    return {"project": code, "days": shift.days, "priority": shift.priority, "pinned": shift.pinned}


@router.post(
    "/scenarios/{pk}/shifts",
    response=ShiftOut,
    summary="Move a project in a scenario by some days more (adds to its shift)",
    description="`days` is added to the project's shift so far: a retried call moves the "
    "project twice. A client that may retry sets the total with "
    "`PUT /scenarios/{id}/shifts/{project}`.",
    operation_id="pmo_resources_api_post_shift",
)
def post_shift(request: HttpRequest, pk: int, payload: ShiftIn) -> dict[str, object]:
    user = user_of(request)
    scenario = selectors.get_scenario(pk)
    with charged_to("project"):  # the body's project, not the address: 422
        project = get_visible_project(user, payload.project)
    shift = services.shift_project(
        actor=user,
        scenario=scenario,
        project=project,
        days=payload.days,
        priority=payload.priority,
        pinned=payload.pinned,
        clear_priority="priority" in payload.model_fields_set and payload.priority is None,
        version=payload.version,
    )
    return _shift_out(payload.project, shift)


@router.put(
    "/scenarios/{pk}/shifts/{code}",
    response=ShiftOut,
    summary="Set a project's total shift in a scenario (safe to retry)",
    description="The project ends up moved by `days` calendar days in all: sending the same "
    "body again changes nothing (no new scenario version). With `version`, a scenario "
    "changed since it was read is a 409 naming who changed it (nothing changed).",
    operation_id="pmo_resources_api_put_shift",
)
def put_shift(request: HttpRequest, pk: int, code: str, payload: ShiftPut) -> dict[str, object]:
    user = user_of(request)
    scenario = selectors.get_scenario(pk)
    project = get_visible_project(user, code)
    shift = services.shift_project(
        actor=user,
        scenario=scenario,
        project=project,
        days=payload.days,
        priority=payload.priority,
        pinned=payload.pinned,
        clear_priority="priority" in payload.model_fields_set and payload.priority is None,
        total=True,
        version=payload.version,
    )
    return _shift_out(project.code, shift)


@router.post(
    "/scenarios/{pk}/commit",
    response=CommitOut,
    summary="Commit a scenario",
    description="409 while a leveling run of it is under way (`run_id`, `run_url`), and when "
    "the current plan changed since the scenario's copy: then `refresh_url` is "
    "`POST /scenarios/{id}/refresh`, which copies the plan again and keeps the scenario's "
    "own changes that still apply; commit after it.",
    operation_id="pmo_resources_api_commit",
)
def commit(request: HttpRequest, pk: int, payload: VersionIn) -> object:
    return services.commit_scenario(
        actor=user_of(request), scenario=selectors.get_scenario(pk), version=payload.version
    )


class DroppedOut(Schema):
    kind: Literal["allocation", "capacity"]
    reason: Literal[
        "removed_in_plan", "changed_in_plan", "restored", "capacity_overlap", "project_ended"
    ] = Field(
        description="removed_in_plan, changed_in_plan, restored (a row the scenario removed "
        "is back: the plan changed it), capacity_overlap or project_ended (the project was "
        "closed or cancelled: a row the scenario added or stretched past its end)"
    )
    message: str
    project: str = Field(description="project code (allocations)")
    resource: str = Field(description="resource code")
    resource_name: str
    first: dt.date = Field(description="the scenario's row (dropped)")
    last: dt.date
    fte: Decimal
    plan_first: dt.date | None = Field(
        None, description="the current plan's row the scenario has in its place now, if any"
    )
    plan_last: dt.date | None = None
    plan_fte: Decimal | None = None


class RefreshOut(Schema):
    scenario: ScenarioOut
    kept: int = Field(description="the scenario's own changes kept")
    from_plan: int = Field(description="allocations copied in from the current plan")
    dropped: list[DroppedOut] = Field(description="the scenario's changes that no longer apply")
    leveling_runs_out_of_date: int


class ResetOut(Schema):
    scenario: ScenarioOut
    project: str
    removed: int = Field(description="the scenario's allocations of the project, removed")
    copied: int = Field(description="the current plan's allocations of the project, copied in")
    shift_removed: bool = Field(description="its move, priority or pin was removed")
    leveling_runs_out_of_date: int


@router.post(
    "/scenarios/{pk}/refresh",
    response=RefreshOut,
    summary="Refresh a draft scenario from the current plan, keeping its changes that apply",
    operation_id="pmo_resources_api_refresh_scenario",
)
def refresh_scenario(request: HttpRequest, pk: int, payload: VersionIn) -> dict[str, object]:
    result = refresh.refresh_scenario(
        actor=user_of(request), scenario=selectors.get_scenario(pk), version=payload.version
    )
    return {
        "scenario": result.scenario,
        "kept": result.kept,
        "from_plan": result.from_plan,
        "dropped": [
            {**asdict(d), "message": refresh.dropped_message(d.reason)} for d in result.dropped
        ],
        "leveling_runs_out_of_date": result.runs_out_of_date,
    }


@router.post(
    "/scenarios/{pk}/projects/{code}/reset",
    response=ResetOut,
    summary="Reset one project of a draft scenario to the current plan",
    operation_id="pmo_resources_api_reset_project",
)
def reset_project(
    request: HttpRequest, pk: int, code: str, payload: VersionIn
) -> dict[str, object]:
    user = user_of(request)
    scenario = selectors.get_scenario(pk)
    result = refresh.reset_project(
        actor=user,
        scenario=scenario,
        project=get_visible_project(user, code),
        version=payload.version,
    )
    return {
        "scenario": result.scenario,
        "project": result.project,
        "removed": result.removed,
        "copied": result.copied,
        "shift_removed": result.shift_removed,
        "leveling_runs_out_of_date": result.runs_out_of_date,
    }


@router.post(
    "/scenarios/{pk}/discard",
    response=ScenarioOut,
    summary="Discard a scenario",
    operation_id="pmo_resources_api_discard",
)
def discard(request: HttpRequest, pk: int, version: VersionParam | None = None) -> object:
    """``?version=``, when sent, must be the scenario's version you read (409 otherwise, and
    nothing is discarded)."""
    return services.discard_scenario(
        actor=user_of(request), scenario=selectors.get_scenario(pk), version=version
    )
