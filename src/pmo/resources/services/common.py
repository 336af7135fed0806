"""What the capacity-planning services share: validation as 422s, field assignment, the
date order, the draft-only check and the audit scope of an allocation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from pmo.audit.last import last_change
from pmo.core.errors import ConflictError, FieldError, ValidationFailed
from pmo.core.i18n import mid_sentence
from pmo.core.sentences import quoted
from pmo.resources.models import Allocation, CapacityChange, Scenario, ScenarioState


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


def lock_current_plan() -> tuple[int, int]:
    """Hold off every other write of allocations and capacity changes until the transaction
    ends, and answer the highest id of each table (0: none): what a scenario copies (create,
    refresh) or replaces (commit) is then all of the plan, and a row written after it has a
    higher id.

    On PostgreSQL the tables are locked in ``EXCLUSIVE`` mode: reads go on, a transaction
    that has locked or written a row of them ends first (a weaker mode would let it wait for
    this one while this one waits for its row: a deadlock), later writers wait, and there is
    one copy at a time. SQLite runs one writing transaction at a time anyway (``BEGIN
    IMMEDIATE``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_current_plan() needs a transaction")  # a programming error
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(m._meta.db_table) for m in (Allocation, CapacityChange)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    allocations = Allocation.objects.order_by("-pk").values_list("pk", flat=True).first()
    changes = CapacityChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    return allocations or 0, changes or 0


def check_scenario_version(scenario: Scenario, version: int | None) -> None:
    """409 when ``version`` is given and is not the scenario's (someone changed it since),
    naming who changed the scenario last and when (its audit trail), ``current_version``
    in the body. Every change of a scenario that takes a version reads it here."""
    if version is None or version == scenario.version:
        return
    params: dict[str, Any] = {"yours": version, "current": scenario.version}
    change = last_change(Scenario, scenario.pk)
    if change is None:
        message = _("the scenario was changed (your version %(yours)s, current %(current)s)")
    else:
        params.update(change.named())
        message = _(
            "the scenario was changed by %(who)s at %(when)s (your version %(yours)s, "
            "current %(current)s)"
        )
    raise ConflictError(message % params, current_version=scenario.version)


def lock_scenario(pk: int) -> str | None:
    """Lock scenario ``pk`` (the first lock every write of a scenario takes, so that a
    commit or discard and an edit never wait for each other crosswise) and answer its state
    as locked (``None``: no such scenario)."""
    return (
        Scenario.objects.select_for_update().filter(pk=pk).values_list("state", flat=True).first()
    )


def require_draft(scenario: Scenario | None, *, during_run: bool = False) -> None:
    """Refuse (409) to change a scenario that is no longer a draft (committed or discarded),
    or, unless ``during_run``, one with a leveling run under way (the run would fail on the
    change at its end; the 409 names the run). ``None`` is the current plan, which always
    changes. One rule for every edit of a scenario: allocations, shifts, capacity changes,
    refresh, reset, commit, another run (discard alone is ``during_run``)."""
    if scenario is not None and scenario.pk is not None:
        # read under a lock: a commit or discard under way ends before this edit goes on
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("require_draft() needs a transaction")  # a programming error
        scenario.state = lock_scenario(scenario.pk) or scenario.state
    if scenario is not None and scenario.state != ScenarioState.DRAFT:
        raise ConflictError(
            _("scenario %(name)s is %(state)s; it cannot change")
            % {"name": quoted(scenario.name), "state": mid_sentence(scenario.get_state_display())}
        )
    if scenario is not None and not during_run:
        from pmo.resources.leveling_runs import refuse_while_leveling  # it imports this module

        refuse_while_leveling(scenario)
