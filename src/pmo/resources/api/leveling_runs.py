"""Leveling runs: level a draft scenario in the background, follow a run, cancel it
(part of the resources API)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Pages
from pmo.resources import leveling, leveling_runs, selectors
from pmo.resources.access import require_view
from pmo.resources.models import LevelingRun

router = Router()


class LevelIn(Body):
    time_limit: int = Field(default=30, ge=1, le=leveling.MAX_TIME_LIMIT, description="seconds")
    backend: Literal["cpsat", "heuristic"] = "cpsat"
    pinned: list[str] | None = Field(
        default=None, description="project codes to pin (replaces the scenario's pins)"
    )


State = Literal["queued", "running", "done", "failed", "cancelled"]
Phase = Literal["queued", "building", "solving", "applying", "done", "failed", "cancelled"]


class LevelingProjectOut(Schema):
    project: str = Field(description="project code")
    priority: int = Field(
        description="the priority leveling used: 1 (highest) to 5 (lowest); the scenario's "
        "priority of the project, else the project's own, else 3"
    )
    weight: int = Field(0, description="the priority's weight in the objective (higher for 1)")
    pinned: bool = Field(False, description="pinned (or ended): its work was not moved")
    delay: int = Field(
        description="WORKING days the project's last work ends later than before the run "
        "(Monday to Friday and the resources' holidays do not count)"
    )
    delay_resource: str = Field(
        "", description="code of the resource whose work ends last: the delay counts its calendar"
    )
    delay_calendar: str = Field(
        "", description="that resource's working calendar: CN (mainland China) or '' (Mon-Fri)"
    )
    moved: int = Field(0, description="how many of its allocations the run moved")


class LevelingMoveOut(Schema):
    id: int = Field(description="the scenario allocation moved (or cut, when kept_last is set)")
    new_id: int | None = Field(
        None, description="the allocation created for the moved rest of work under way, else null"
    )
    project: str
    resource: str = Field(description="resource code")
    resource_name: str = ""
    kind: Literal["task", "allocation"] = Field(
        "allocation",
        description="task: demand from the project's schedule (its plan must change); "
        "allocation: entered by hand",
    )
    fte: float
    first: dt.date = Field(description="before the run")
    last: dt.date
    new_first: dt.date = Field(description="after the run")
    new_last: dt.date
    kept_last: dt.date | None = Field(
        None, description="work under way: the part before today stays and now ends on this day"
    )
    days: int = Field(description="WORKING days the work starts later")


class NotLevelableOut(Schema):
    id: int
    project: str
    resource: str = Field("", description="resource code")
    first: dt.date
    last: dt.date
    fte: float
    reason: Literal["capacity", "no_room"] = Field(
        "capacity",
        description="capacity: more than the resource has, even alone; no_room: no room left "
        "once moved work was fitted to each resource's working days (left where the solver "
        "put it)",
    )


class PinnedOverloadOut(Schema):
    resource: str = Field(description="resource code")
    first: dt.date
    last: dt.date
    fte_days: float = Field(description="FTE-days above capacity in first..last")
    projects: list[str] = Field(description="the pinned or ended projects whose rows are there")


class SolverOut(Schema):
    status: Literal["optimal", "feasible", "nothing to move"] = Field(
        description="optimal: the objective equals the bound (proven best); feasible: a valid "
        "schedule, not proven best; nothing to move: every project was pinned or ended"
    )
    objective: int | float | None = Field(
        description="weighted delay of the schedule: sum over projects of weight x delay "
        "in working days"
    )
    bound: int | float | None = Field(description="proven lower bound of the objective")
    gap: float = Field(description="(objective - bound) / objective, 0 when proven optimal")
    solver: str | None = Field(None, description="the back-end that found the schedule")
    seconds: float | None = Field(None, description="solving time in seconds")


class LevelingResultOut(Schema):
    projects: list[LevelingProjectOut] = Field(
        default_factory=list, description="every project the run considered, most delayed first"
    )
    moved: list[LevelingMoveOut] = Field(default_factory=list)
    not_levelable: list[NotLevelableOut] = Field(
        default_factory=list,
        description="allocations leveling cannot place within capacity (e.g. more FTE than "
        "the resource ever has); left where they are",
    )
    pinned_overload: list[PinnedOverloadOut] = Field(
        default_factory=list,
        description="overload that rows of pinned or ended projects alone make (they do not "
        "move): part of overload_after that leveling cannot remove",
    )
    calendars: list[str] = Field(
        default_factory=list, description="working calendars of the resources levelled"
    )
    solver: SolverOut | None = Field(None, description="null until the run is done")


class LevelingRunOut(Schema):
    id: int
    scenario_id: int
    state: State
    phase: Phase
    progress: int = Field(description="0-100")
    time_limit: int = Field(description="seconds")
    backend: Literal["cpsat", "heuristic"]
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    queued_for_seconds: int | None = Field(
        description="queued: seconds it has waited for a worker; null once a worker took it"
    )
    hint: str | None = Field(
        description="queued longer than a worker takes: why, as far as the server can tell "
        "(its worker stopped, or waits for a busy database; another run being done first; "
        "else no worker is running: start `pmo db_worker`, or `pmo serve` without "
        "`--no-worker`); else null"
    )
    overload_before: float | None = Field(description="FTE-days above capacity")
    overload_after: float | None
    objective: int | None = Field(description="weighted delay (working days x weight)")
    error: str
    result: LevelingResultOut = Field(
        description="what the run did (empty lists until it is done); days are working days"
    )
    outdated_at: dt.datetime | None = Field(
        description="the scenario was refreshed from the current plan (or a project of it "
        "reset) since: the result tells what the run did then"
    )
    url: str = Field(description="this run's address")

    @staticmethod
    def resolve_progress(obj: LevelingRun) -> int:
        return leveling.shown_progress(obj)

    @staticmethod
    def resolve_queued_for_seconds(obj: LevelingRun) -> int | None:
        return leveling_runs.queued_for(obj)

    @staticmethod
    def resolve_hint(obj: LevelingRun) -> str | None:
        return leveling_runs.no_worker_hint(obj)

    @staticmethod
    def resolve_url(obj: LevelingRun) -> str:
        return leveling_runs.run_url(obj.pk)

    @staticmethod
    def resolve_error(obj: LevelingRun) -> str:
        return leveling_runs.shown_error(obj)


@router.post(
    "/scenarios/{pk}/level",
    response={202: LevelingRunOut},
    summary="Level the portfolio in a draft scenario (in the background)",
    description="202 with the queued run; its address is in `Location`. 409 while another "
    "run of the scenario is under way, with that run's `run_id` and `run_url`.",
    operation_id="pmo_resources_api_level",
)
def level(request: HttpRequest, response: HttpResponse, pk: int, payload: LevelIn) -> Status:
    run = leveling.start_leveling(
        actor=user_of(request),
        scenario=selectors.get_scenario(pk),
        time_limit=payload.time_limit,
        backend=payload.backend,
        pinned=payload.pinned,
    )
    response["Location"] = leveling_runs.run_url(run.pk)
    return Status(202, run)


@router.get(
    "/scenarios/{pk}/leveling-runs",
    response=list[LevelingRunOut],
    summary="The scenario's leveling runs, newest first",
    operation_id="pmo_resources_api_list_leveling_runs",
)
@paginate(Pages, page_size=50)
def list_leveling_runs(request: HttpRequest, pk: int) -> object:
    require_view(user_of(request))
    return selectors.get_scenario(pk).runs.order_by("-created_at", "-pk")


@router.get(
    "/leveling-runs/{pk}",
    response=LevelingRunOut,
    summary="A leveling run",
    operation_id="pmo_resources_api_get_leveling_run",
)
def get_leveling_run(request: HttpRequest, pk: int) -> LevelingRun:
    require_view(user_of(request))
    return leveling.get_leveling_run(pk)


@router.post(
    "/leveling-runs/{pk}/cancel",
    response=LevelingRunOut,
    summary="Cancel a queued or running leveling run (the scenario stays as it is)",
    operation_id="pmo_resources_api_cancel_leveling_run",
)
def cancel_leveling_run(request: HttpRequest, pk: int) -> LevelingRun:
    return leveling.cancel_leveling(actor=user_of(request), run=leveling.get_leveling_run(pk))
