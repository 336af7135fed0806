"""What the capacity-planning endpoints share: the scenario a body or a query names."""

from pmo.core.errors import FieldError, NotFoundError
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
