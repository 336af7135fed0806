"""The search behind the project pickers: ``GET /lookup/projects?q=`` (the projects the
caller may read, by code or name in English or Chinese, a few at a time)."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from pmo.accounts.models import user_of
from pmo.portfolio.lookup import project_label, search_projects

__all__ = ["PickOut", "PicksOut", "router"]

router = Router(tags=["projects"])


class PickOut(Schema):
    value: str = Field(description="what the form submits (the project's code)")
    label: str = Field(description="what the picker shows: code · name in the reader's language")


class PicksOut(Schema):
    items: list[PickOut]
    more: bool = Field(description="more match than listed: type more to narrow them down")


class ProjectLookup(Schema):
    q: str = Field("", max_length=100, description="part of the code or of the name")
    running: bool = Field(False, description="leave closed and cancelled projects out")
    scenario: int | None = Field(
        None, ge=1, description="only the projects with work in this what-if scenario"
    )
    limit: int = Field(20, ge=1, le=50)


@router.get(
    "/lookup/projects",
    response=PicksOut,
    summary="Search the projects you may see by code or name (the forms' project pickers)",
)
def lookup_projects(request: HttpRequest, params: Query[ProjectLookup]) -> dict[str, object]:
    projects, more = search_projects(
        user_of(request),
        params.q,
        running=params.running,
        scenario=params.scenario,
        limit=params.limit,
    )
    return {"items": [{"value": p.code, "label": project_label(p)} for p in projects], "more": more}
