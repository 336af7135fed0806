"""What the capacity-planning services share: validation as 422s, field assignment, the
date order, the draft-only check and the audit scope of an allocation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from pmo.core.errors import ConflictError, FieldError, ValidationFailed
from pmo.core.i18n import mid_sentence
from pmo.core.sentences import quoted
from pmo.resources.models import Allocation, Scenario, ScenarioState


def _scope(allocation: Allocation) -> str:
    if allocation.scenario_id:
        return f"scenario:{allocation.scenario_id}"
    return f"project:{allocation.project_id}"


def _clean(
    instance: models.Model, exclude: list[str] | None = None, names: dict[str, str] | None = None
) -> None:
    """``full_clean`` as a 422; ``names`` renames model fields to the request's ("resource"
    is ``resource_id`` in an allocation's body)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        failed = ValidationFailed.from_django(exc)
        if not names:
            raise failed from None
        errors = [{**e, "field": names.get(e["field"], e["field"])} for e in failed.errors]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise ValidationFailed(summary, errors=errors) from None


def _assign(instance: models.Model, data: dict[str, Any], fields: list[str]) -> None:
    for name, value in data.items():
        if name not in fields:
            raise FieldError(name, _("unknown field"))
        setattr(instance, name, value)


def _check_dates(first: dt.date | None, last: dt.date | None, field: str = "last") -> None:
    if first and last and last < first:
        raise FieldError(field, _("the end date is before the start date"))


def require_draft(scenario: Scenario | None, *, during_run: bool = False) -> None:
    """Refuse (409) to change a scenario that is no longer a draft (committed or discarded),
    or, unless ``during_run``, one with a leveling run under way (the run would fail on the
    change at its end; the 409 names the run). ``None`` is the current plan, which always
    changes. One rule for every edit of a scenario: allocations, shifts, capacity changes,
    refresh, reset, commit, another run (discard alone is ``during_run``)."""
    if scenario is not None and scenario.state != ScenarioState.DRAFT:
        raise ConflictError(
            _("scenario %(name)s is %(state)s; it cannot change")
            % {"name": quoted(scenario.name), "state": mid_sentence(scenario.get_state_display())}
        )
    if scenario is not None and not during_run:
        from pmo.resources.leveling_runs import refuse_while_leveling  # it imports this module

        refuse_while_leveling(scenario)
