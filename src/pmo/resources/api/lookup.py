"""The search behind the resource pickers: ``GET /lookup/resources?q=`` (active resources by
name, code or role, a few at a time; for those who may see capacity)."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from pmo.accounts.models import user_of
from pmo.core.api import known_query_only
from pmo.portfolio.api.lookup import PicksOut
from pmo.resources.access import require_view
from pmo.resources.lookup import resource_label, search_resources

__all__ = ["router"]

router = Router()


class ResourceLookup(Schema):
    q: str = Field("", max_length=100, description="part of the name, code or role")
    limit: int = Field(20, ge=1, le=50)


@router.get(
    "/lookup/resources",
    response=PicksOut,
    summary="Search the active resources by name, code or role (the forms' resource pickers)",
    operation_id="pmo_resources_api_lookup_resources",
)
@known_query_only
def lookup_resources(request: HttpRequest, params: Query[ResourceLookup]) -> dict[str, object]:
    require_view(user_of(request))
    resources, more = search_resources(params.q, limit=params.limit)
    return {
        "items": [{"value": str(r.pk), "label": resource_label(r)} for r in resources],
        "more": more,
    }
