"""What the capacity-planning endpoints share: the scenario a body or a query names, the org
unit a query names."""

from pmo.accounts.selectors import get_org_unit
from pmo.core.errors import FieldError, NotFoundError, charged_to
from pmo.resources import selectors
from pmo.resources.models import Scenario


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


ORG_UNIT_QUERY = "an org unit's code or id: only it and its sub-units"


def _org_unit_pk(ref: str | None, field: str = "org_unit") -> int | None:
    """The id of the org unit a query names by code or id (ids came first: a number is an
    id), a 422 at ``field`` when there is none; ``None`` when none is named."""
    if ref is None or not ref.strip():
        return None
    with charged_to(field):
        return get_org_unit(ref).pk
