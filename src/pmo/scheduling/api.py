"""REST endpoints of plans: the plan, its tasks with baseline variance, edits and baselines.

Dates are wall-clock times of the plan's calendar (no time zone).
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, DateTime, Pages, PlanTime, Version, refuse_body
from pmo.core.errors import NotFoundError
from pmo.portfolio.access import get_visible_project
from pmo.resources.selectors import get_scenario
from pmo.scheduling import selectors, services
from pmo.scheduling.models import MAX_MINUTES, Plan
from pmo.scheduling.scenario import apply_scenario_dates
from pmo.scheduling.services import Moved
from pmo.scheduling.walltime import from_db

router = Router(tags=["scheduling"])

LinkTypeName = Literal["FS", "SS", "FF", "SF"]
ConstraintName = Literal["ASAP", "ALAP", "SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO"]


class BaselineOut(Schema):
    number: int
    name: str
    saved_at: dt.datetime


class PlanOut(Schema):
    project: str
    name: str
    start: PlanTime
    finish: PlanTime | None
    status_date: PlanTime | None
    state: str
    problem: str
    holidays_assumed_for: str
    on_project_calendar: list[int] = Field(
        description="Always empty: every task is scheduled on its own calendar (task "
        "calendar, its resources' calendars, or 24 hours for elapsed durations). Kept for "
        "compatibility; it listed tasks scheduled on the project calendar instead"
    )
    tasks: int
    baselines: list[BaselineOut]
    version: int


class TaskOut(Schema):
    uid: int
    wbs: str
    name: str
    outline_level: int
    parent_uid: int | None
    duration: int = Field(description="working minutes")
    milestone: bool
    summary: bool
    constraint: str
    constraint_date: PlanTime | None
    start: PlanTime | None
    finish: PlanTime | None
    early_start: PlanTime | None
    early_finish: PlanTime | None
    late_start: PlanTime | None
    late_finish: PlanTime | None
    total_float: int | None = Field(description="working minutes")
    free_float: int | None
    critical: bool
    percent_complete: float
    actual_start: PlanTime | None
    actual_finish: PlanTime | None
    baseline_start: PlanTime | None
    baseline_finish: PlanTime | None
    finish_variance_days: int | None
    predecessors: list[int]
    version: int


class TaskPatch(Body):
    version: Version
    name: str | None = None
    duration: int | None = Field(None, ge=0, le=MAX_MINUTES, description="working minutes")
    percent_complete: float | None = Field(
        None,
        ge=0,
        le=100,
        description="a summary's is rolled up; above 0 without an actual start sets the "
        "scheduled start as actual start, 100 without an actual finish the scheduled finish "
        "as actual finish, below 100 clears the actual finish, 0 the actuals; a milestone "
        "is 0 or 100",
    )
    constraint: ConstraintName | None = None
    constraint_date: DateTime | None = None
    actual_start: DateTime | None = Field(
        None, description="null clears it (the task is not started: 0 % complete)"
    )
    actual_finish: DateTime | None = Field(
        None,
        description="needs an actual start (a milestone's sets it: one date); sets 100 % "
        "complete; null reopens the task",
    )


class MovedOut(Schema):
    uid: int
    name: str
    old_start: PlanTime | None
    old_finish: PlanTime | None
    start: PlanTime | None
    finish: PlanTime | None
    finish_days: int | None


class RescheduleOut(Schema):
    queued: bool = Field(description="a large plan recomputes in the background")
    finish: PlanTime | None
    moved: list[MovedOut]


class LinkIn(Body):
    pred_uid: int = Field(ge=0, le=services.MAX_UID)
    succ_uid: int = Field(ge=0, le=services.MAX_UID)
    type: LinkTypeName = "FS"
    lag: int = Field(
        0, ge=-MAX_MINUTES, le=MAX_MINUTES, description="working minutes; negative is a lead"
    )


class LinkOut(Schema):
    pred_uid: int
    succ_uid: int
    type: LinkTypeName
    lag: int
    elapsed: bool
    lag_percent: int | None = None


class StatusDateIn(Body):
    status_date: Date | None = Field(
        description="the day up to which progress is recorded (stored at 00:00: work not done "
        "is scheduled from that day on); may be after today, not more than 10 years after "
        "the plan's finish; null clears it"
    )
    version: Version = Field(description="the plan's version; a stale one gets 409")


class BaselineIn(Body):
    number: int = Field(0, ge=0, le=10)
    name: str = Field("", max_length=100)


def _plan(request: HttpRequest, code: str) -> Plan:
    project = get_visible_project(user_of(request), code)
    plan = selectors.get_plan(project)
    if plan is None:
        raise NotFoundError(_("project %(code)s has no plan yet (import one)") % {"code": code})
    return plan


def plan_out(plan: Plan) -> dict[str, Any]:
    """The JSON of a plan (also used by the import endpoint)."""
    return {
        "project": plan.project.code,
        "name": plan.name,
        "start": from_db(plan.start),
        "finish": from_db(plan.finish),
        "status_date": from_db(plan.status_date),
        "state": plan.state,
        "problem": plan.problem,
        "holidays_assumed_for": plan.assumed_years,
        "on_project_calendar": [],
        "tasks": plan.tasks.count(),
        "baselines": list(selectors.list_baselines(plan)),
        "version": plan.version,
    }


def _task_out(row: selectors.TaskRow, parents: dict[int, int]) -> dict[str, Any]:
    t = row.task
    return {
        "uid": t.uid,
        "wbs": t.wbs,
        "name": t.name,
        "outline_level": t.outline_level,
        "parent_uid": parents.get(t.parent_id) if t.parent_id else None,
        "duration": t.duration,
        "milestone": t.milestone,
        "summary": t.summary,
        "constraint": t.constraint,
        "constraint_date": from_db(t.constraint_date),
        "start": row.start,
        "finish": row.finish,
        "early_start": from_db(t.early_start),
        "early_finish": from_db(t.early_finish),
        "late_start": from_db(t.late_start),
        "late_finish": from_db(t.late_finish),
        "total_float": t.total_float,
        "free_float": t.free_float,
        "critical": t.critical,
        "percent_complete": t.percent_complete,
        "actual_start": from_db(t.actual_start),
        "actual_finish": from_db(t.actual_finish),
        "baseline_start": row.baseline_start,
        "baseline_finish": row.baseline_finish,
        "finish_variance_days": row.finish_variance_days,
        "predecessors": row.predecessors,
        "version": t.version,
    }


def _reschedule(plan: Plan, moved: list[Moved] | None) -> dict[str, Any]:
    plan.refresh_from_db()
    return {
        "queued": moved is None,
        "finish": from_db(plan.finish),
        "moved": [
            {
                "uid": m.uid,
                "name": m.name,
                "old_start": m.old_start,
                "old_finish": m.old_finish,
                "start": m.start,
                "finish": m.finish,
                "finish_days": m.finish_days,
            }
            for m in moved or []
        ],
    }


@router.get("/projects/{code}/plan", response=PlanOut, summary="The project's plan")
def get_plan(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return plan_out(_plan(request, code))


@router.get(
    "/projects/{code}/plan/tasks",
    response=list[TaskOut],
    summary="Tasks in WBS order with computed dates and variance against a baseline",
)
@paginate(Pages, page_size=100)
def list_tasks(request: HttpRequest, code: str, baseline: int = 0):  # type: ignore[no-untyped-def]
    plan = _plan(request, code)
    rows = selectors.list_task_rows(plan, baseline)
    parents = {r.task.pk: r.task.uid for r in rows}
    return [_task_out(r, parents) for r in rows]


@router.patch(
    "/projects/{code}/plan/tasks/{uid}",
    response=RescheduleOut,
    summary="Change a task (version-checked) and reschedule; returns what moved",
)
def update_task(request: HttpRequest, code: str, uid: int, payload: TaskPatch):  # type: ignore[no-untyped-def]
    plan = _plan(request, code)
    task = plan.tasks.filter(uid=uid).first()
    if task is None:
        raise NotFoundError(
            _("no task with UID %(uid)s in the plan of %(code)s") % {"uid": uid, "code": code}
        )
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    moved = services.update_task(actor=user_of(request), task=task, data=data, version=version)
    return _reschedule(plan, moved)


@router.put(
    "/projects/{code}/plan/status-date",
    response=RescheduleOut,
    summary="Set or clear the plan's status date (version-checked) and reschedule; returns "
    "what moved",
)
def put_status_date(request: HttpRequest, code: str, payload: StatusDateIn):  # type: ignore[no-untyped-def]
    plan = _plan(request, code)
    day = payload.status_date
    moved = services.set_status_date(
        actor=user_of(request),
        plan=plan,
        status_date=None if day is None else dt.datetime.combine(day, dt.time.min),
        version=payload.version,
    )
    return _reschedule(plan, moved)


@router.get("/projects/{code}/plan/links", response=list[LinkOut], summary="Links")
@paginate(Pages, page_size=200)
def list_links(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return [
        {
            "pred_uid": k.pred.uid,
            "succ_uid": k.succ.uid,
            "type": k.type,
            "lag": k.lag,
            "elapsed": k.elapsed,
            "lag_percent": k.lag_percent,
        }
        for k in selectors.list_links(_plan(request, code))
    ]


@router.put(
    "/projects/{code}/plan/links",
    response=RescheduleOut,
    summary="Add or change a link and reschedule",
)
def put_link(request: HttpRequest, code: str, payload: LinkIn):  # type: ignore[no-untyped-def]
    plan = _plan(request, code)
    moved = services.update_link(
        actor=user_of(request),
        plan=plan,
        pred_uid=payload.pred_uid,
        succ_uid=payload.succ_uid,
        data={"type": payload.type, "lag": payload.lag},
    )
    return _reschedule(plan, moved)


@router.delete(
    "/projects/{code}/plan/links/{pred_uid}/{succ_uid}",
    response=RescheduleOut,
    summary="Remove a link and reschedule",
)
def delete_link(request: HttpRequest, code: str, pred_uid: int, succ_uid: int):  # type: ignore[no-untyped-def]
    refuse_body(request)
    plan = _plan(request, code)
    moved = services.update_link(
        actor=user_of(request), plan=plan, pred_uid=pred_uid, succ_uid=succ_uid, data=None
    )
    return _reschedule(plan, moved)


@router.get("/projects/{code}/plan/baselines", response=list[BaselineOut], summary="Baselines")
def list_baselines(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return list(selectors.list_baselines(_plan(request, code)))


@router.post(
    "/projects/{code}/plan/baselines",
    response={201: BaselineOut},
    summary="Save the current dates as baseline 0..10",
)
def set_baseline(request: HttpRequest, code: str, payload: BaselineIn):  # type: ignore[no-untyped-def]
    baseline = services.set_baseline(
        actor=user_of(request),
        plan=_plan(request, code),
        number=payload.number,
        name=payload.name,
    )
    return Status(201, baseline)


class ScenarioAppliedOut(Schema):
    moved: list[str] = Field(description="tasks that now start no earlier than the scenario has")
    under_way: list[str] = Field(description="tasks under way, left as they are")


@router.post(
    "/projects/{code}/plan/scenario/{scenario_id}",
    response=ScenarioAppliedOut,
    summary="Move the plan's tasks to a committed capacity scenario's dates (PM / PMO)",
)
def apply_scenario(request: HttpRequest, code: str, scenario_id: int):  # type: ignore[no-untyped-def]
    return apply_scenario_dates(
        actor=user_of(request), plan=_plan(request, code), scenario=get_scenario(scenario_id)
    )
