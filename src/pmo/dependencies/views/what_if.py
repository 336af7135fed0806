"""The what-if page: what moves when a milestone slips or a task gets more work, and the
form that raises a change request with that impact."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, NotFoundError
from pmo.dependencies import changes, ended, selectors, services
from pmo.dependencies.models import ChangeType
from pmo.dependencies.task_lookup import open_tasks, resolve_task, task_label
from pmo.dependencies.views.common import field_message, running_projects_lookup
from pmo.portfolio.lookup import picked_project_code, project_label
from pmo.portfolio.models import Milestone
from pmo.scheduling.models import Task
from pmo.scheduling.walltime import from_db

__all__ = ["TASKS_LISTED", "impact", "impact_page"]

#: The open tasks of the chosen project the page lists to pick from, earliest start first.
TASKS_LISTED = 1000


@login_required
def impact(request: HttpRequest) -> HttpResponse:
    """What if a milestone slips N working days, or a task gets N working days of added work
    (a scope change): affected projects, gates and items. htmx requests get the result only."""
    return impact_page(request, request.GET)


def impact_page(
    request: HttpRequest,
    params: Mapping[str, Any],
    raising: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The what-if page for ``params`` (its query); ``raising``: the change-request form as
    typed when it came back with an error (``field``, ``error``)."""
    user = user_of(request)
    raising = raising or {}
    # the project picker: the code picked, or what was typed in its box (no script)
    typed = params.get("project_text")
    picked = picked_project_code(
        user, str(params.get("project") or ""), None if typed is None else str(typed)
    )
    code, project_error = picked.code, picked.error
    project = milestones = tasks = result = None
    tasks_more = False
    chosen: Any = None
    task_error = task_text = ""
    days = str(params.get("days", "15"))
    source = "task" if params.get("source") == "task" else "milestone"
    error = ""
    if code:
        try:
            project = services.find_project(user, code)
            code = project.code  # as typed: "p0004 " is P0004
        except NotFoundError:
            project_error = _("no project with code %(code)s") % {"code": code}
    found = project
    ended_note = ended.ended_note(project)
    if ended_note is not None and not raising:
        # closed or cancelled: nothing of it slips any more, so nothing to choose or raise
        error = _("%(ended)s: its milestones, tasks and gates no longer move") % {
            "ended": ended_note
        }
        project = None
    if project is not None:
        milestones = list(
            Milestone.objects.filter(project=project, actual_date__isnull=True).order_by(
                "forecast_date", "id"
            )
        )
        # (pk, name, finish day): plan dates are wall-clock times stored as if UTC, so the day
        # is read with from_db, never through the template's conversion to the server's zone
        tasks = [
            (pk, name, wall.date() if (wall := from_db(finish)) else None)
            for pk, name, finish in open_tasks(project).values_list("pk", "name", "finish")[
                : TASKS_LISTED + 1
            ]
        ]
        # more than a select should hold: the page offers a task picker instead
        tasks_more = len(tasks) > TASKS_LISTED
        del tasks[TASKS_LISTED:]
        chosen = params.get(source)
        typed_task = params.get("task_text")
        if source == "task" and typed_task is not None:
            task_id, task_error = resolve_task(project, str(chosen or ""), str(typed_task))
            chosen = str(task_id or "")
            task_text = str(typed_task)
        if source == "task" and chosen and str(chosen).isdigit() and len(str(chosen)) < 12:
            # the picker's box shows the task chosen (picked, typed or in the address)
            row = open_tasks(project).filter(pk=int(chosen)).values_list("name", "finish").first()
            task_text = task_label(*row) if row else task_text
        if task_error and not tasks_more:
            error = task_error  # no picker on the page to show it at
        if chosen:
            try:
                if source == "task":
                    task = Task.objects.get(pk=int(chosen), plan__project=project, summary=False)
                    result = changes.compute_impact(task=task, days=int(days))
                else:
                    milestone = Milestone.objects.get(pk=int(chosen), project=project)
                    result = changes.compute_impact(milestone=milestone, days=int(days))
            except (ValueError, Milestone.DoesNotExist, Task.DoesNotExist):
                error = _("choose a milestone or a task of the project and a whole number of days")
            except DomainError as exc:
                error = field_message(exc)
    if result is not None:
        result = selectors.visible_impact(user, result)
        result["projects"] = selectors.impact_projects(result)
    elif raising.get("error") and raising.get("where") != "project":
        error = raising["error"]  # no raise form on the page to show it at
    if raising.get("where") == "project":
        error = ""  # said at the project field
    context = {
        "project": project,
        "code": code,
        "milestones": milestones,
        "tasks": tasks,
        "source": source,
        "milestone": str(params.get("milestone") or "") if source == "milestone" else "",
        "task": str(chosen or "") if source == "task" else "",
        "task_picker": {
            "url": f"{reverse('api:lookup_tasks')}?{urlencode({'project': code})}",
            "text": task_text,
            "error": task_error,
        },
        "days": days,
        "result": result,
        "error": error,
        "types": ChangeType.choices,
        "raising": raising,
        # a closed or cancelled project takes no change request: said instead of the form
        "raise_refused": ended.raise_refusal(project) if project is not None else None,
        # the box shows the project picked, else what was typed (the code from the address)
        "project_text": project_label(found)
        if found is not None
        else str(typed if typed is not None else code),
        "project_error": project_error,
        # a change request refused for its project: said under the form, the box marked
        "project_described_by": "raise-error" if raising.get("where") == "project" else "",
        "projects_lookup": running_projects_lookup(),
        "tasks_more": tasks_more,
    }
    if request.headers.get("HX-Request"):
        return render(request, "dependencies/partials/_impact.html", context, status=status)
    return render(request, "dependencies/impact.html", context, status=status)
