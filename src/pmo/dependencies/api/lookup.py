"""The search behind the impact page's task picker: ``GET /lookup/tasks?project=&q=`` (the
open tasks of a project the caller may read, by name or id, a few at a time)."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from pmo.accounts.models import user_of
from pmo.dependencies.services import find_project
from pmo.dependencies.task_lookup import search_tasks
from pmo.portfolio.api.lookup import PicksOut

__all__ = ["router"]

router = Router()


class TaskLookup(Schema):
    project: str = Field(..., min_length=1, max_length=40, description="the project's code")
    q: str = Field("", max_length=100, description="part of the task's name, or its id")
    limit: int = Field(20, ge=1, le=50)


@router.get(
    "/lookup/tasks",
    response=PicksOut,
    summary="Search the open tasks of a project (the impact page's task picker)",
    operation_id="pmo_dependencies_api_lookup_tasks",
)
def lookup_tasks(request: HttpRequest, params: Query[TaskLookup]) -> dict[str, object]:
    project = find_project(user_of(request), params.project)
    tasks, more = search_tasks(project, params.q, limit=params.limit)
    return {"items": [{"value": str(pk), "label": label} for pk, label in tasks], "more": more}
