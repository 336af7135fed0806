"""REST endpoints of capacity planning: resources, capacity, allocations, scenarios, heat map."""

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, Id, Pages
from pmo.core.errors import FieldError, NotFoundError
from pmo.portfolio.access import get_visible_project
from pmo.resources import (
    calendars,
    compare,
    costs,
    heatmap,
    leveling,
    refresh,
    selectors,
    services,
    xlsx,
)
from pmo.resources.access import require_view
from pmo.resources.filters import ResourceFilter
from pmo.resources.models import (
    Allocation,
    CalendarDay,
    CapacityChange,
    LevelingRun,
    Resource,
    Scenario,
)

router = Router(tags=["resources"])

Kind = Literal["person", "pool"]
Status_ = Literal["proposed", "committed"]


class ResourceIn(Body):
    code: str = Field(max_length=60)
    name: str = Field(max_length=200)
    name_zh: str = ""
    kind: Kind
    role: str = Field(max_length=100)
    role_zh: str = Field(default="", max_length=100)
    skills: str = ""
    org_unit_id: Id
    person_id: Id | None = None
    fte: Decimal = Field(default=Decimal("1"), ge=0, le=99999)
    hours_per_day: Decimal = Field(default=Decimal("8"), gt=0, le=24)
    cost_rate: Decimal = Field(default=Decimal("0"), ge=0, le=99999999)
    currency: str = Field(default="CNY", max_length=3)
    calendar: str = Field(
        default="CN", max_length=4, description='working calendar: "CN" or "" (Monday-Friday)'
    )
    available_from: Date | None = None
    available_until: Date | None = None
    active: bool = True


class ResourcePatch(Body):
    version: int
    name: str | None = Field(default=None, max_length=200)
    name_zh: str | None = None
    role: str | None = Field(default=None, max_length=100)
    role_zh: str | None = Field(default=None, max_length=100)
    skills: str | None = None
    org_unit_id: Id | None = None
    fte: Decimal | None = Field(default=None, ge=0, le=99999)
    cost_rate: Decimal | None = Field(default=None, ge=0, le=99999999)
    available_from: Date | None = None
    available_until: Date | None = None
    active: bool | None = None


class ResourceOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str
    kind: str
    role: str
    role_zh: str
    skills: str
    org_unit_id: int
    person_id: int | None
    fte: float
    hours_per_day: float
    cost_rate: float
    currency: str
    calendar: str
    available_from: dt.date | None
    available_until: dt.date | None
    active: bool
    version: int


class CapacityIn(Body):
    first: Date
    last: Date
    fte: Decimal = Field(ge=0, le=99999)
    reason: str = Field(default="", max_length=200)
    scenario_id: Id | None = None


class CapacityOut(Schema):
    id: int
    resource_id: int
    scenario_id: int | None
    first: dt.date
    last: dt.date
    fte: float
    reason: str


class AllocationIn(Body):
    resource_id: Id
    project: str = Field(description="project code")
    first: Date
    last: Date
    fte: Decimal = Field(gt=0, le=99999)
    status: Status_ = "proposed"
    note: str = Field(default="", max_length=200)
    scenario_id: Id | None = None


class AllocationPatch(Body):
    version: int
    resource_id: Id | None = None
    first: Date | None = None
    last: Date | None = None
    fte: Decimal | None = Field(default=None, gt=0, le=99999)
    status: Status_ | None = None
    note: str | None = Field(default=None, max_length=200)


def _planned(obj: Allocation, context: Any) -> costs.RowCost:
    """The allocation's planned hours and cost, computed once per object; the hand-entered
    calendar days are read once per request."""
    cached = obj.__dict__.get("_planned")
    if cached is None:
        request = (context or {}).get("request")
        overrides = getattr(request, "_pmo_calendar_days", None)
        if overrides is None:
            overrides = calendars.load_overrides()
            if request is not None:
                request._pmo_calendar_days = overrides
        cached = obj.__dict__["_planned"] = costs.row_cost(obj, overrides)
    return cached


class AllocationOut(Schema):
    id: int
    scenario_id: int | None
    resource_id: int
    resource: str
    project: str
    first: dt.date
    last: dt.date
    fte: float
    status: str
    source: str
    note: str
    version: int
    hours: float = Field(description="planned hours: FTE x hours per day x working days")
    cost: float = Field(description="planned labour cost: hours x the resource's cost rate")
    currency: str

    @staticmethod
    def resolve_resource(obj: Allocation) -> str:
        return obj.resource.code

    @staticmethod
    def resolve_hours(obj: Allocation, context: Any) -> float:
        return float(_planned(obj, context).hours)

    @staticmethod
    def resolve_cost(obj: Allocation, context: Any) -> float:
        return float(_planned(obj, context).cost)

    @staticmethod
    def resolve_currency(obj: Allocation) -> str:
        return obj.resource.currency

    @staticmethod
    def resolve_project(obj: Allocation) -> str:
        return obj.project.code


class ScenarioIn(Body):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""


class ShiftIn(Body):
    project: str
    days: int = Field(ge=-3660, le=3660)
    priority: int | None = Field(default=None, ge=1, le=5)
    pinned: bool | None = None


class ShiftOut(Schema):
    project: str
    days: int
    priority: int | None
    pinned: bool


class ScenarioOut(Schema):
    id: int
    name: str
    description: str
    state: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    shifts: list[ShiftOut]
    version: int
    plans_to_change: list[str] = Field(
        description="committed: codes of the projects whose plans must change to match it"
    )

    @staticmethod
    def resolve_shifts(obj: object) -> list[dict[str, object]]:
        return [
            {"project": s.project.code, "days": s.days, "priority": s.priority, "pinned": s.pinned}
            for s in obj.shifts.select_related("project")  # type: ignore[attr-defined]
        ]


class VersionIn(Body):
    version: int | None = None


class CommitOut(Schema):
    created: int
    updated: int
    deleted: int
    capacity_changes: int
    plans_to_change: list[str]


class LevelIn(Body):
    time_limit: int = Field(default=30, ge=1, le=leveling.MAX_TIME_LIMIT, description="seconds")
    backend: Literal["cpsat", "heuristic"] = "cpsat"
    pinned: list[str] | None = Field(
        default=None, description="project codes to pin (replaces the scenario's pins)"
    )


class LevelingRunOut(Schema):
    id: int
    scenario_id: int
    state: str
    phase: str
    progress: int
    time_limit: int
    backend: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    overload_before: float | None = Field(description="FTE-days above capacity")
    overload_after: float | None
    objective: int | None = Field(description="weighted delay (working days x weight)")
    error: str
    result: dict[str, object]
    outdated_at: dt.datetime | None = Field(
        description="the scenario was refreshed from the current plan (or a project of it "
        "reset) since: the result tells what the run did then"
    )

    @staticmethod
    def resolve_progress(obj: LevelingRun) -> int:
        return leveling.shown_progress(obj)


class CellOut(Schema):
    capacity: float
    demand: float
    overloaded: bool = Field(description="over capacity on the days from today on")
    past: bool = Field(
        description="over capacity only on days already gone (history: not counted as overloaded)"
    )


class RowOut(Schema):
    key: str
    label: str
    cells: list[CellOut]


class PeriodOut(Schema):
    first: dt.date
    last: dt.date
    label: str


class HeatMapOut(Schema):
    by: str
    scale: str
    unit: str = Field(description="fte: average FTE over the weekdays; hours: person-hours")
    periods: list[PeriodOut]
    rows: list[RowOut]
    overloaded_cells: int
    overload: float = Field(
        description="sum over overloaded cells of demand above capacity, in the unit"
    )
    assumed_years: list[int] = Field(
        description="years whose public holidays are not known: counted Monday to Friday"
    )


class CauseOut(Schema):
    code: str
    name: str
    priority: int
    demand: float
    committed: float
    proposed: float


class RoomOut(Schema):
    resource_id: int
    label: str
    capacity: float
    demand: float
    free: float


class ImportOut(Schema):
    resources_created: int
    resources_updated: int
    capacity_changes: int


def _resource(pk: int) -> Resource:
    return services.get_resource(pk)


def _body_scenario(scenario_id: int | None) -> Scenario | None:
    """The scenario a body names, or a 422 naming ``scenario_id`` (not the address's 404)."""
    if not scenario_id:
        return None
    try:
        return selectors.get_scenario(scenario_id)
    except NotFoundError as exc:
        raise FieldError("scenario_id", exc.message) from None


def _scenario_id(user: object, scenario_id: int | None) -> int | None:
    if scenario_id is None:
        return None
    return selectors.get_scenario(scenario_id).pk


@router.get("/resources", response=list[ResourceOut], summary="Resources and role pools")
@paginate(Pages, page_size=100)
def list_resources(request: HttpRequest, role: str | None = None) -> object:
    require_view(user_of(request))
    qs = selectors.list_resources()
    return qs.filter(role=role) if role else qs


@router.post("/resources", response={201: ResourceOut}, summary="Create a resource")
def create_resource(request: HttpRequest, payload: ResourceIn) -> Status:
    resource = services.create_resource(actor=user_of(request), data=payload.dict())
    return Status(201, resource)


@router.get("/resources/{pk}", response=ResourceOut, summary="A resource")
def get_resource(request: HttpRequest, pk: int) -> Resource:
    require_view(user_of(request))
    return _resource(pk)


@router.patch("/resources/{pk}", response=ResourceOut, summary="Change a resource")
def patch_resource(request: HttpRequest, pk: int, payload: ResourcePatch) -> Resource:
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.update_resource(
        actor=user_of(request), resource=_resource(pk), data=data, version=version
    )


@router.get("/resources/{pk}/capacity", response=list[CapacityOut], summary="Capacity changes")
def list_capacity(request: HttpRequest, pk: int, scenario_id: Id | None = None) -> object:
    require_view(user_of(request))
    return CapacityChange.objects.filter(resource=_resource(pk), **{"scenario_id": scenario_id})


@router.post("/resources/{pk}/capacity", response={201: CapacityOut}, summary="Change capacity")
def add_capacity(request: HttpRequest, pk: int, payload: CapacityIn) -> Status:
    scenario = _body_scenario(payload.scenario_id)
    change = services.add_capacity_change(
        actor=user_of(request),
        resource=_resource(pk),
        first=payload.first,
        last=payload.last,
        fte=payload.fte,
        reason=payload.reason,
        scenario=scenario,
    )
    return Status(201, change)


@router.get("/allocations", response=list[AllocationOut], summary="Allocations")
@paginate(Pages, page_size=200)
def list_allocations(
    request: HttpRequest,
    project: str | None = None,
    resource_id: Id | None = None,
    scenario_id: Id | None = None,
) -> object:
    user = user_of(request)
    require_view(user)
    project_id = get_visible_project(user, project).pk if project else None
    return selectors.list_allocations(
        scenario_id=_scenario_id(user, scenario_id),
        project_id=project_id,
        resource_id=resource_id,
    )


@router.post("/allocations", response={201: AllocationOut}, summary="Allocate a resource")
def create_allocation(request: HttpRequest, payload: AllocationIn) -> Status:
    user = user_of(request)
    data = payload.dict()
    code = data.pop("project")
    try:
        project = get_visible_project(user, code)
    except NotFoundError as exc:  # a field of the body, not the address: 422 naming it
        raise FieldError("project", exc.message) from None
    scenario_id = data.pop("scenario_id")
    scenario = _body_scenario(scenario_id)
    data["project_id"] = project.pk
    allocation = services.create_allocation(actor=user, data=data, scenario=scenario)
    return Status(
        201, Allocation.objects.select_related("resource", "project").get(pk=allocation.pk)
    )


def _allocation(user: object, pk: int) -> Allocation:
    allocation = Allocation.objects.select_related("resource", "project").filter(pk=pk).first()
    if allocation is None:
        raise NotFoundError(_("no allocation %(allocation)s") % {"allocation": pk})
    return allocation


@router.patch("/allocations/{pk}", response=AllocationOut, summary="Change an allocation")
def patch_allocation(request: HttpRequest, pk: int, payload: AllocationPatch) -> Allocation:
    user = user_of(request)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.update_allocation(
        actor=user, allocation=_allocation(user, pk), data=data, version=version
    )
    return _allocation(user, pk)


@router.delete("/allocations/{pk}", response={204: None}, summary="Remove an allocation")
def delete_allocation(request: HttpRequest, pk: int, version: int) -> Status:
    user = user_of(request)
    services.delete_allocation(actor=user, allocation=_allocation(user, pk), version=version)
    return Status(204, None)


@router.get("/capacity/heatmap", response=HeatMapOut, summary="Demand against capacity")
def get_heatmap(
    request: HttpRequest,
    by: Literal["role", "org_unit", "resource"] = "role",
    scale: Literal["week", "month"] = "week",
    start: Date | None = None,
    periods: int = Query(12, ge=1, le=104),
    scenario_id: Id | None = None,
    committed_only: bool = False,
    unit: Literal["fte", "hours"] = "fte",
    org_unit: Id | None = Query(None, description="only this org unit and its sub-units"),  # noqa: B008
    role: str = "",
    skill: str = Query("", description="only resources whose skills contain this text"),
) -> dict[str, object]:
    user = user_of(request)
    require_view(user)
    result = heatmap.build_heatmap(
        by=by,
        scale=scale,
        start=start or timezone.localdate(),
        count=periods,
        scenario_id=_scenario_id(user, scenario_id),
        committed_only=committed_only,
        unit=unit,
        only=ResourceFilter(org_unit=org_unit, role=role, skill=skill),
        today=timezone.localdate(),
    )
    return {
        "by": result.by,
        "scale": result.scale,
        "unit": result.unit,
        "periods": result.periods,
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "cells": [
                    {
                        "capacity": c.capacity,
                        "demand": c.demand,
                        "overloaded": c.overloaded,
                        "past": c.past_overload,
                    }
                    for c in r.cells
                ],
            }
            for r in result.rows
        ],
        "overloaded_cells": result.overloaded_cells,
        "overload": result.overload,
        "assumed_years": list(result.assumed_years),
    }


@router.get("/capacity/causes", response=list[CauseOut], summary="Projects behind a cell")
def get_causes(
    request: HttpRequest,
    by: Literal["role", "org_unit", "resource"],
    key: str,
    first: Date,
    last: Date,
    scenario_id: Id | None = None,
    committed_only: bool = False,
    unit: Literal["fte", "hours"] = "fte",
    org_unit: Id | None = None,
    role: str = "",
    skill: str = "",
) -> object:
    user = user_of(request)
    require_view(user)
    if last < first:
        raise FieldError("last", _("the end date is before the start date"))
    return selectors.list_cell_causes(
        by=by,
        key=key,
        first=first,
        last=last,
        scenario_id=_scenario_id(user, scenario_id),
        unit=unit,
        only=ResourceFilter(org_unit=org_unit, role=role, skill=skill),
        committed_only=committed_only,
    )


@router.get(
    "/capacity/room", response=list[RoomOut], summary="Same-role resources with room in a period"
)
def get_room(
    request: HttpRequest,
    resource_id: Id,
    first: Date,
    last: Date,
    scenario_id: Id | None = None,
    unit: Literal["fte", "hours"] = "fte",
    committed_only: bool = False,
) -> object:
    """The other resources of the resource's role with capacity left in the heat-map period
    ``first..last`` (a week or a month), most room first."""
    user = user_of(request)
    require_view(user)
    if last < first:
        raise FieldError("last", _("the end date is before the start date"))
    if not selectors.list_resources().filter(pk=resource_id).exists():
        raise NotFoundError(_("no resource %(resource)s") % {"resource": resource_id})
    return heatmap.room_in_role(
        resource_id,
        first=first,
        last=last,
        scenario_id=_scenario_id(user, scenario_id),
        unit=unit,
        committed_only=committed_only,
    )


@router.get("/scenarios", response=list[ScenarioOut], summary="What-if scenarios")
@paginate(Pages, page_size=50)
def list_scenarios(request: HttpRequest) -> object:
    require_view(user_of(request))
    return selectors.list_scenarios()


@router.post("/scenarios", response={201: ScenarioOut}, summary="Copy the current plan")
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


class CompareLayerOut(Schema):
    scenario_id: int | None
    name: str
    state: str
    overloaded_cells: int
    overload: float
    changed: int = Field(
        description="allocations that differ from the current plan (dates, resource, FTE)"
    )
    cost_change: list[CostChangeOut] = Field(
        description="planned labour cost against the current plan, per currency"
    )


class CompareOut(Schema):
    unit: str
    layers: list[CompareLayerOut]
    projects: list[CompareProjectOut]


@router.get("/scenarios/compare", response=CompareOut, summary="Scenarios side by side")
def get_comparison(
    request: HttpRequest,
    ids: list[Id] = IDS_QUERY,
    by: Literal["role", "org_unit", "resource"] = "role",
    scale: Literal["week", "month"] = "week",
    start: Date | None = None,
    periods: int = Query(12, ge=1, le=104),
    unit: Literal["fte", "hours"] = "fte",
    org_unit: Id | None = None,
    role: str = "",
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
        only=ResourceFilter(org_unit=org_unit, role=role, skill=skill),
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
            }
            for layer in result.layers
        ],
        "projects": result.projects,
    }


@router.get("/scenarios/{pk}", response=ScenarioOut, summary="A scenario")
def get_scenario(request: HttpRequest, pk: int) -> object:
    require_view(user_of(request))
    return selectors.get_scenario(pk)


@router.post("/scenarios/{pk}/shifts", response=ShiftOut, summary="Move a project in a scenario")
def post_shift(request: HttpRequest, pk: int, payload: ShiftIn) -> dict[str, object]:
    user = user_of(request)
    shift = services.shift_project(
        actor=user,
        scenario=selectors.get_scenario(pk),
        project=get_visible_project(user, payload.project),
        days=payload.days,
        priority=payload.priority,
        pinned=payload.pinned,
    )
    return {
        "project": payload.project,
        "days": shift.days,
        "priority": shift.priority,
        "pinned": shift.pinned,
    }


@router.post("/scenarios/{pk}/commit", response=CommitOut, summary="Commit a scenario")
def commit(request: HttpRequest, pk: int, payload: VersionIn) -> object:
    return services.commit_scenario(
        actor=user_of(request), scenario=selectors.get_scenario(pk), version=payload.version
    )


class DroppedOut(Schema):
    kind: Literal["allocation", "capacity"]
    reason: str = Field(
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


@router.post("/scenarios/{pk}/discard", response=ScenarioOut, summary="Discard a scenario")
def discard(request: HttpRequest, pk: int) -> object:
    return services.discard_scenario(actor=user_of(request), scenario=selectors.get_scenario(pk))


@router.post(
    "/scenarios/{pk}/level",
    response={202: LevelingRunOut},
    summary="Level the portfolio in a draft scenario (in the background)",
)
def level(request: HttpRequest, pk: int, payload: LevelIn) -> Status:
    run = leveling.start_leveling(
        actor=user_of(request),
        scenario=selectors.get_scenario(pk),
        time_limit=payload.time_limit,
        backend=payload.backend,
        pinned=payload.pinned,
    )
    return Status(202, run)


@router.get("/leveling-runs/{pk}", response=LevelingRunOut, summary="A leveling run")
def get_leveling_run(request: HttpRequest, pk: int) -> LevelingRun:
    require_view(user_of(request))
    return leveling.get_leveling_run(pk)


@router.post(
    "/leveling-runs/{pk}/cancel",
    response=LevelingRunOut,
    summary="Cancel a queued or running leveling run (the scenario stays as it is)",
)
def cancel_leveling_run(request: HttpRequest, pk: int) -> LevelingRun:
    return leveling.cancel_leveling(actor=user_of(request), run=leveling.get_leveling_run(pk))


@router.post("/capacity/import", response=ImportOut, summary="Import a capacity sheet (XLSX)")
def import_capacity(request: HttpRequest, file: File[UploadedFile]) -> object:
    return xlsx.import_capacity(actor=user_of(request), stream=file)


class CalendarDayOut(Schema):
    id: int
    calendar: str
    day: dt.date
    working: bool
    name: str


class CalendarDaysIn(Body):
    calendar: Literal["CN", ""] = "CN"
    days: str = Field(
        description="one per line: YYYY-MM-DD [off|work] [name], e.g. '2027-02-06 work 调休'",
        max_length=20000,
    )


class SavedOut(Schema):
    saved: int


@router.get("/calendar-days", response=list[CalendarDayOut], summary="Calendar days by hand")
def list_calendar_days(request: HttpRequest) -> object:
    require_view(user_of(request))
    return CalendarDay.objects.all()


@router.post(
    "/calendar-days", response={201: SavedOut}, summary="Enter calendar days (all or none)"
)
def post_calendar_days(request: HttpRequest, payload: CalendarDaysIn) -> Status:
    saved = services.add_calendar_days(
        actor=user_of(request), calendar=payload.calendar, text=payload.days
    )
    return Status(201, {"saved": saved})


@router.delete("/calendar-days/{pk}", response={204: None}, summary="Remove a calendar day")
def delete_calendar_day(request: HttpRequest, pk: int) -> Status:
    entry = CalendarDay.objects.filter(pk=pk).first()
    if entry is None:
        raise NotFoundError(_("no calendar day %(day)s") % {"day": pk})
    services.delete_calendar_day(actor=user_of(request), entry=entry)
    return Status(204, None)
