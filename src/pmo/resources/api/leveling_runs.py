"""Leveling runs: level a draft scenario in the background, follow a run, cancel it
(part of the resources API)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from pmo.accounts.models import user_of
from pmo.core.api import Body
from pmo.resources import leveling, selectors
from pmo.resources.access import require_view
from pmo.resources.models import LevelingRun

router = Router()


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


@router.post(
    "/scenarios/{pk}/level",
    response={202: LevelingRunOut},
    summary="Level the portfolio in a draft scenario (in the background)",
    operation_id="pmo_resources_api_level",
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
