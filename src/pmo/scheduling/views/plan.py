"""The plan page: the Gantt with its task table, and a task row edited by htmx."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
)
from pmo.core.http import posted_version
from pmo.core.i18n import pick
from pmo.core.models import as_id
from pmo.portfolio.access import (
    can_edit_project,
    get_visible_project,
)
from pmo.portfolio.models import Milestone, Project
from pmo.scheduling import gantt, selectors, services
from pmo.scheduling.forms import INPUTS, RowInputs, input_of, row_inputs, task_changes, typed_inputs
from pmo.scheduling.models import MAX_BASELINES, Baseline, LinkType, Plan
from pmo.scheduling.services import Moved
from pmo.scheduling.walltime import from_db

DAY = 480
MAX_ROWS = 600  # rows drawn at once; deeper plans are browsed by outline level


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


def _reader_refused(request: HttpRequest, project: Project, plan: Plan) -> HttpResponse | None:
    """A post of someone who may only read the plan: the plan again saying so, a 403, before
    anything posted is read (``None`` for its editors). The plan's forms post by htmx, which
    shows the answer in place: the site's 403 page would land inside the plan."""
    if can_edit_project(user_of(request), project):
        return None
    context = _context(
        request, project, plan, error=_("You may read this project but not change it.")
    )
    return _render(request, context, status=403)


def _edit(request: HttpRequest, code: str, action: Any, row: int | None = None) -> HttpResponse:
    project, plan = _plan_or_404(request, code)
    if (refused := _reader_refused(request, project, plan)) is not None:
        return refused
    try:
        moved = action(plan)
    except DomainError as exc:
        return _refused(request, project, plan, exc, row)
    except (TypeError, ValueError, OverflowError):  # not a number, NaN, infinity
        context = _context(request, project, plan, error=_("Enter a number."))
        return _render(request, context, status=422)
    return _rescheduled(request, code, moved)


def _rescheduled(request: HttpRequest, code: str, moved: list[Moved] | None) -> HttpResponse:
    """The plan page after an edit rescheduled it: what moved (``None``: a recompute queued)."""
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Rescheduled."))
    project = _project_or_404(request, code)  # its forecast moved with the plan
    context = _context(
        request, project, selectors.get_plan(project), moved=moved or [], queued=moved is None
    )
    return _render(request, context)


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
