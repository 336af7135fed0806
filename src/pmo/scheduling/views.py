"""Web pages of plans: the Gantt with its task table, edits by htmx, the milestone Gantt."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.errors import (
    ConflictError,
    DomainError,
    FieldError,
    NotFoundError,
    ValidationFailed,
)
from pmo.core.http import posted_version
from pmo.core.i18n import pick
from pmo.core.models import as_id
from pmo.portfolio.access import (
    can_edit_project,
    get_visible_project,
    require_edit,
    visible_projects,
)
from pmo.portfolio.models import Milestone, Project
from pmo.resources.selectors import get_scenario
from pmo.scheduling import gantt, selectors, services
from pmo.scheduling.forms import INPUTS, RowInputs, input_of, row_inputs, task_changes, typed_inputs
from pmo.scheduling.models import MAX_BASELINES, Baseline, LinkType, Plan
from pmo.scheduling.scenario import apply_scenario_dates
from pmo.scheduling.services import Moved
from pmo.scheduling.walltime import from_db

DAY = 480
MAX_ROWS = 600  # rows drawn at once; deeper plans are browsed by outline level
FAR_STATUS_DATE_DAYS = 31
"""A status date more than this many days after today is set only once confirmed on the page
(a typo'd year moves every forecast); up to the end of a monthly reporting period it is not
asked (ADR 0003, Status date)."""
LINK_INPUTS = {"pred_uid": "pred", "succ_uid": "succ", "type": "type", "lag": "lag_days"}
"""The link form's input for each field a link's errors name."""


def _project_or_404(request: HttpRequest, code: str) -> Project:
    try:
        return get_visible_project(user_of(request), code)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


def _plan_or_404(request: HttpRequest, code: str) -> tuple[Project, Plan]:
    """The project the reader may see and its plan (404 for either missing)."""
    project = _project_or_404(request, code)
    plan = selectors.get_plan(project)
    if plan is None:
        raise Http404("no plan")
    return project, plan


def _table(
    rows: list[selectors.TaskRow], editable: bool, edit: tuple[int, RowInputs] | None
) -> list[tuple[selectors.TaskRow, RowInputs | None]]:
    """The task table: each row with its inputs (``None``: read only; a summary's progress
    and dates are rolled up). A refused edit's row shows what was typed and the errors."""
    table: list[tuple[selectors.TaskRow, RowInputs | None]] = []
    for row in rows:
        inputs = None
        if editable and not row.task.summary:
            typed = edit is not None and edit[0] == row.task.uid
            inputs = edit[1] if edit is not None and typed else row_inputs(row)
        table.append((row, inputs))
    return table


def _context(
    request: HttpRequest,
    project: Project,
    plan: Plan | None,
    *,
    moved: list[Moved] | None = None,
    error: str = "",
    queued: bool = False,
    edit: tuple[int, RowInputs] | None = None,
    status_edit: dict[str, str] | None = None,
    link_edit: dict[str, Any] | None = None,
) -> dict[str, Any]:
    zoom = request.GET.get("zoom") or request.POST.get("zoom") or "week"
    zoom = zoom if zoom in gantt.ZOOMS else "week"
    can_edit = can_edit_project(user_of(request), project)
    context: dict[str, Any] = {
        "project": project,
        "plan": plan,
        "zoom": zoom,
        "zooms": list(gantt.ZOOMS),
        "can_edit": can_edit,
        "moved": moved,
        "error": error,
        "queued": queued,
        "link_types": LinkType.values,
        "link_edit": link_edit
        or {"values": {"lag_days": "0"}, "errors": {}, "invalid": [], "message": ""},
    }
    if plan is not None:
        number = request.GET.get("baseline", "0")
        chosen = as_id(number)
        baseline = chosen if chosen is not None and chosen <= 10 else 0
        all_rows = selectors.list_task_rows(plan, baseline)
        text = request.GET.get("depth") or request.POST.get("depth") or ""
        depth = as_id(text) or None
        rows = [r for r in all_rows if depth is None or r.task.outline_level <= depth]
        context.update(
            rows=rows[:MAX_ROWS],
            table=_table(rows[:MAX_ROWS], can_edit, edit),
            status_date=from_db(plan.status_date),
            status_edit=status_edit,
            inputs=INPUTS,
            first_date=FIRST_DATE,
            last_date=LAST_DATE,
            hidden_rows=max(len(rows) - MAX_ROWS, 0),
            total_rows=len(all_rows),
            depth=depth or "",
            depths=sorted({r.task.outline_level for r in all_rows}),
            chart=gantt.layout(
                rows[:MAX_ROWS],
                list(selectors.list_links(plan)),
                zoom=zoom,
                today=timezone.localdate(),
            ),
            baseline=baseline,
            assumed_years=_assumed_years(plan),
            **_baseline_choices(list(selectors.list_baselines(plan))),
            critical_count=sum(1 for r in all_rows if r.task.critical),
            milestones=_milestone_labels(
                [r for r in all_rows if r.task.milestone and not r.task.summary]
            ),
        )
    return context


def _assumed_years(plan: Plan) -> list[int]:
    """The years whose holidays the plan's calendar does not know, as numbers: the page joins
    them with the reader's list separator ("2027、2028"). The plan stores them as the API's
    ``holidays_assumed_for`` text ("2027, 2028")."""
    return [int(y) for y in plan.assumed_years.replace(",", " ").split() if y.isdigit()]


def _baseline_choices(baselines: list[Baseline]) -> dict[str, Any]:
    """The saved baselines, and the choices of *Set baseline*: every number 0..10 with its
    label and the baseline saved under it (``None``: free), the first free one chosen."""
    saved = {b.number: b for b in baselines}
    free = next((n for n in range(MAX_BASELINES) if n not in saved), 0)
    return {
        "baselines": baselines,
        "baseline_slots": [
            (n, str(Baseline(number=n)), saved.get(n)) for n in range(MAX_BASELINES)
        ],
        "baseline_next": free,
    }


def _milestone_labels(rows: list[Any]) -> list[tuple[Any, str]]:
    """The plan's milestones, each named as the status center names it for the reader: the
    Chinese name entered on the project's milestone when the page is Chinese."""
    linked = [r.task.portfolio_milestone_id for r in rows if r.task.portfolio_milestone_id]
    chinese = dict(
        Milestone.objects.filter(pk__in=linked).exclude(name_zh="").values_list("pk", "name_zh")
    )
    return [(r, pick(r.task.name, chinese.get(r.task.portfolio_milestone_id, ""))) for r in rows]


def _render(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The plan: the ``#plan`` fragment for htmx (``gantt.js`` lets htmx swap in a 409 or
    422 one too, which shows the error), else the page."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "scheduling/partials/_plan.html", context, status=status)
    return render(request, "scheduling/plan_detail.html", context, status=status)


@login_required
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The project's Gantt: WBS, bars, baseline, critical path, links, today; zoom by htmx."""
    project = _project_or_404(request, code)
    return _render(request, _context(request, project, selectors.get_plan(project)))


def _refused(
    request: HttpRequest, project: Project, plan: Plan, exc: DomainError, row: int | None
) -> HttpResponse:
    """The plan again with the error: at the inputs of the edited row that it names (with
    what was typed), in the row for a stale version (what was typed kept, to save again over
    the newer values or reload), else above the plan. Stored values are shown as they are."""
    errors: dict[str, str] = {}
    inputs = row is not None and plan.tasks.filter(uid=row, summary=False).exists()
    for e in exc.errors if inputs else []:
        name = input_of(e.get("field", ""))
        if name is not None and name in request.POST:
            label = INPUTS[name]
            errors.setdefault(
                name, _("%(field)s: %(message)s") % {"field": label, "message": e["message"]}
            )
    edit = (row, typed_inputs(request.POST, errors)) if row is not None and errors else None
    if row is not None and inputs and not errors and isinstance(exc, ConflictError):
        edit = (row, typed_inputs(request.POST, {}, exc.message))
    context = _context(request, project, plan, error="" if edit else exc.message, edit=edit)
    return _render(request, context, status=exc.status_code)


def _edit(request: HttpRequest, code: str, action: Any, row: int | None = None) -> HttpResponse:
    project, plan = _plan_or_404(request, code)
    try:
        moved = action(plan)
    except DomainError as exc:
        return _refused(request, project, plan, exc, row)
    except (TypeError, ValueError, OverflowError):  # not a number, NaN, infinity
        context = _context(request, project, plan, error=_("Enter a number."))
        return _render(request, context, status=422)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Rescheduled."))
    project = _project_or_404(request, code)  # its forecast moved with the plan
    return _render(
        request,
        _context(
            request,
            project,
            selectors.get_plan(project),
            moved=moved or [],
            queued=moved is None,
        ),
    )


@login_required
@require_POST
def task_update(request: HttpRequest, code: str, uid: int) -> HttpResponse:
    """Change a task's duration (working days), % complete, actual start or actual finish
    (dates) and reschedule; shows what moved, or the errors at the row's inputs."""

    def action(plan: Plan) -> list[Moved] | None:
        task = plan.tasks.select_related("calendar", "plan__calendar").filter(uid=uid).first()
        if task is None:
            raise NotFoundError(_("No such task."))
        version = posted_version(request)
        return services.update_task(
            actor=user_of(request),
            task=task,
            data=task_changes(task, request.POST),
            version=version,
        )

    return _edit(request, code, action, row=uid)


class _AskFirst(Exception):
    """Rolls back a status date set far ahead that was not confirmed yet."""


@login_required
@require_POST
def status_date_update(request: HttpRequest, code: str) -> HttpResponse:
    """Set (``status_date``, a date: work not done is scheduled from that day on) or clear
    (``clear``) the plan's status date and reschedule; shows what moved, or the error at the
    input with what was typed (a stale version: the form then carries the current one).

    A date more than :data:`FAR_STATUS_DATE_DAYS` after today is first asked about (422,
    nothing changed); it is set when posted again with ``confirm`` equal to it."""
    project, plan = _plan_or_404(request, code)
    clear = bool(request.POST.get("clear"))
    typed = request.POST.get("status_date", "").strip()
    try:
        version = posted_version(request)
        if clear:
            day = None
        elif not typed:
            raise FieldError("status_date", _("Enter a date, or clear the status date."))
        else:
            try:
                day = dt.datetime.combine(dt.date.fromisoformat(typed), dt.time.min)
            except ValueError:
                raise FieldError("status_date", _("Enter a valid date.")) from None
        ahead = (day.date() - timezone.localdate()).days if day is not None else 0
        ask = ahead > FAR_STATUS_DATE_DAYS and request.POST.get("confirm") != typed
        with transaction.atomic():  # a date to ask about: checked like any, then undone
            moved = services.set_status_date(
                actor=user_of(request), plan=plan, status_date=day, version=version
            )
            if ask:
                raise _AskFirst
    except _AskFirst:
        # asked, not refused: Microsoft Project takes any date, but a mistyped year moves
        # every forecast and fires dependency risks (ADR 0003, Status date)
        plan.refresh_from_db()
        message = _(
            "%(date)s is %(days)s days after today: work not done would be scheduled from "
            "that day on, and forecasts and dependency risks would follow. Set it anyway?"
        ) % {"date": typed, "days": number_format(ahead, force_grouping=True)}
        edit = {"value": typed, "message": message, "field": "", "confirm": typed}
        context = _context(request, project, plan, status_edit=edit)
        return _render(request, context, status=422)
    except DomainError as exc:
        plan.refresh_from_db()  # a stale form gets the current version: Set again overwrites
        if not can_edit_project(user_of(request), project):
            context = _context(request, project, plan, error=exc.message)
            return _render(request, context, status=exc.status_code)
        message = exc.message
        if isinstance(exc, FieldError) and exc.field == "status_date":
            label = _("Status date")
            message = _("%(field)s: %(message)s") % {
                "field": label,
                "message": exc.errors[0]["message"],
            }
        edit = {"value": typed, "message": message, "field": getattr(exc, "field", "")}
        context = _context(request, project, plan, status_edit=edit)
        return _render(request, context, status=exc.status_code)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Rescheduled."))
    project = _project_or_404(request, code)  # its forecast moved with the plan
    context = _context(
        request, project, selectors.get_plan(project), moved=moved or [], queued=moved is None
    )
    return _render(request, context)


def _link_inputs(posted: Any, *, remove: bool) -> tuple[int, int, float]:
    """The predecessor and successor UIDs and the lag in days typed in the link form (an
    empty lag is 0; a removal reads no lag); every input not a number is named at once."""
    errors: list[dict[str, str]] = []
    uids = []
    for name, field in (("pred", "pred_uid"), ("succ", "succ_uid")):
        uid = as_id(posted.get(name, ""))
        if uid is None:
            errors.append({"field": field, "message": _("Enter a whole number.")})
        uids.append(uid or 0)
    lag = 0.0
    if not remove:
        try:
            lag = float(posted.get("lag_days", "").strip() or 0)
        except ValueError:
            lag = math.nan
        if not math.isfinite(lag):
            errors.append({"field": "lag", "message": _("Enter a number.")})
    if errors:
        raise ValidationFailed(errors[0]["message"], errors=errors)
    return uids[0], uids[1], lag


def _link_refused(
    request: HttpRequest, project: Project, plan: Plan, exc: DomainError, typed: dict[str, str]
) -> HttpResponse:
    """The plan again with the link form as typed and the error at it: each field's message
    under its input; one message for several (a cycle names both tasks) or for none above the
    form's buttons (``role="alert"``). A missing link to remove is a 422 too, so htmx shows it."""
    labels = {
        "pred": _("Predecessor ID"),
        "succ": _("Successor ID"),
        "type": _("Type"),
        "lag_days": _("Lag (days)"),
    }
    named: dict[str, str] = {}
    for e in exc.errors:
        name = LINK_INPUTS.get(e.get("field", ""))
        if name is not None:
            named.setdefault(name, e["message"])
    shared = len(named) > 1 and len(set(named.values())) == 1
    errors = {} if shared else named
    message = "" if errors else exc.message
    if isinstance(exc, NotFoundError):
        message = _("Nothing removed: there is no link from UID %(pred)s to UID %(succ)s.") % {
            "pred": typed["pred"],
            "succ": typed["succ"],
        }
    edit = {
        "values": typed,
        "errors": {
            name: _("%(field)s: %(message)s") % {"field": labels[name], "message": text}
            for name, text in errors.items()
        },
        "invalid": list(named),
        "message": message,
    }
    status = 422 if isinstance(exc, NotFoundError) else exc.status_code
    return _render(request, _context(request, project, plan, link_edit=edit), status=status)


@login_required
@require_POST
def link_update(request: HttpRequest, code: str) -> HttpResponse:
    """Add, change or remove a link (predecessor UID, successor UID, type, lag in days).

    A refusal keeps what was typed and shows the error at the form (at the input it is
    about), not above the plan."""
    project, plan = _plan_or_404(request, code)
    typed = {name: request.POST.get(name, "").strip() for name in ("pred", "succ", "lag_days")}
    typed["type"] = request.POST.get("type", "FS")
    remove = bool(request.POST.get("remove"))
    try:
        require_edit(user_of(request), project)  # a viewer is refused whatever was typed
        pred, succ, lag = _link_inputs(request.POST, remove=remove)
        data = None if remove else {"type": typed["type"], "lag": round(lag * DAY)}
        moved = services.update_link(
            actor=user_of(request), plan=plan, pred_uid=pred, succ_uid=succ, data=data
        )
    except DomainError as exc:
        if not can_edit_project(user_of(request), project):
            context = _context(request, project, plan, error=exc.message)
            return _render(request, context, status=exc.status_code)
        return _link_refused(request, project, plan, exc, typed)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Rescheduled."))
    project = _project_or_404(request, code)  # its forecast moved with the plan
    context = _context(
        request, project, selectors.get_plan(project), moved=moved or [], queued=moved is None
    )
    return _render(request, context)


@login_required
@require_POST
def baseline_create(request: HttpRequest, code: str) -> HttpResponse:
    """Save the current dates as a baseline (0..10).

    Saving over a baseline that exists needs ``overwrite`` equal to its number: the page asks
    first ("Overwrite Approved plan, saved on ...?") and sends it once confirmed, so a page
    opened before someone else saved that number does not replace it unasked. The name is
    kept unless another is typed."""
    project, plan = _plan_or_404(request, code)
    try:
        require_edit(user_of(request), project)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("scheduling:plan_detail", code=code)
    number = as_id(request.POST.get("number", ""))
    if number is None:
        messages.error(request, _("Choose a baseline from the list."))
        return redirect("scheduling:plan_detail", code=code)
    existing = plan.baselines.filter(number=number).first()
    if existing is not None and request.POST.get("overwrite") != str(number):
        messages.error(
            request,
            _(
                "%(baseline)s, saved on %(saved)s, was not overwritten: choose it again and "
                "confirm to overwrite it."
            )
            % {
                "baseline": existing,
                "saved": timezone.localtime(existing.saved_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
        return redirect("scheduling:plan_detail", code=code)
    try:
        baseline = services.set_baseline(
            actor=user_of(request), plan=plan, number=number, name=request.POST.get("name", "")
        )
        messages.success(request, _("Baseline saved: %(name)s") % {"name": baseline})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("scheduling:plan_detail", code=code)


@login_required
@require_POST
def scenario_apply(request: HttpRequest, code: str, scenario_id: int) -> HttpResponse:
    """Move the plan's tasks to a committed capacity scenario's dates (the plan's manager)."""
    _project, plan = _plan_or_404(request, code)
    try:
        scenario = get_scenario(scenario_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
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
