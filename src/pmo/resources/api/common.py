"""What the capacity-planning endpoints share: the scenario a body or a query names, the org
unit and the role a query names."""

from django.utils.translation import gettext as _

from pmo.accounts.selectors import get_org_unit
from pmo.core.errors import FieldError, NotFoundError, charged_to
from pmo.core.sentences import quoted
from pmo.resources import selectors
from pmo.resources.filters import role_names
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


ROLE_QUERY = (
    "a role of the role catalogue (GET /roles), any case, or its Chinese name: only its "
    "resources; a role no catalogue entry or resource has is refused (422)"
)


def _role(ref: str, field: str = "role") -> str:
    """The role a query names (any case, or its Chinese name), as given; a 422 at ``field``
    when neither the catalogue nor any resource has it (narrowing to it would show an empty
    map, read as "no overload"); ``""`` when none is named."""
    ref = ref.strip()
    if ref and not role_names(ref):
        raise FieldError(field, _("no role %(role)s") % {"role": quoted(ref)})
    return ref
