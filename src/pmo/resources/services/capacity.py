"""Changing a capacity change once saved, and the overlap rule every capacity change keeps.

:func:`pmo.resources.services.add_capacity_change` adds one and
:func:`~pmo.resources.services.delete_capacity_change` removes one (the resource's page and
the API); :func:`update_capacity_change` changes one's days, FTE or reason under the same
rules: resource managers and the PMO only, a draft scenario's or the current plan's,
no two changes of one resource (in one plan) overlapping, version-checked, audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.services import save_changed, snapshot
from pmo.core.errors import FieldError
from pmo.resources.access import require_manage
from pmo.resources.models import CapacityChange, Resource, Scenario
from pmo.resources.services.common import _assign, _check_dates, _clean, require_draft

__all__ = [
    "CAPACITY_FIELDS",
    "CapacityOverlap",
    "capacity_scope",
    "check_overlap",
    "remove_capacity_change",
    "update_capacity_change",
]

CAPACITY_FIELDS = ["first", "last", "fte", "reason"]


class CapacityOverlap(FieldError):
    """A capacity change that overlaps ``change``, another of the same resource in the same
    plan (422 at ``first``); the API names its own way of removing ``change``."""

    def __init__(self, change: CapacityChange, message: str) -> None:
        super().__init__("first", message)
        self.change = change


def _fte_text(fte: Any) -> str:
    return f"{Decimal(str(fte)).normalize():f}"  # 0.5, 12: no trailing zeros


def check_overlap(
    *,
    resource: Resource,
    scenario: Scenario | None,
    first: dt.date,
    last: dt.date,
    exclude_pk: int | None = None,
) -> None:
    """Refuse (:class:`CapacityOverlap`) a change of ``resource`` from ``first`` to ``last``
    that overlaps another of its changes in the same plan (``exclude_pk``: the one being
    changed)."""
    others = CapacityChange.objects.filter(
        resource=resource, scenario=scenario, first__lte=last, last__gte=first
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    overlap = others.order_by("first").first()
    if overlap is None:
        return
    raise CapacityOverlap(
        overlap,
        _(
            "overlaps the capacity change %(first)s – %(last)s (%(fte)s FTE): remove that "
            "one first, then add the new one"
        )
        % {"first": overlap.first, "last": overlap.last, "fte": _fte_text(overlap.fte)},
    )


def capacity_scope(change: CapacityChange) -> str:
    """The audit scope of a capacity change: its scenario's, or the resources'."""
    return f"scenario:{change.scenario_id}" if change.scenario_id else "resources"


@transaction.atomic
def update_capacity_change(
    *, actor: User, change: CapacityChange, data: dict[str, Any], version: int | None
) -> CapacityChange:
    """Change a capacity change's ``first``, ``last``, ``fte`` or ``reason``: its own
    rules are those of adding one (:func:`check_overlap` against the resource's other
    changes). A change that changes nothing keeps its version and writes no audit event."""
    require_manage(actor)
    change = (
        CapacityChange.objects.select_for_update(of=("self",))
        .select_related("scenario")
        .get(pk=change.pk)
    )
    require_draft(change.scenario)
    change.check_version(version)
    before = snapshot(change)
    _assign(change, data, CAPACITY_FIELDS)
    _check_dates(change.first, change.last)
    _clean(change, exclude=["resource", "scenario"])
    check_overlap(
        resource=change.resource,
        scenario=change.scenario,
        first=change.first,
        last=change.last,
        exclude_pk=change.pk,
    )
    save_changed(
        actor=actor,
        instance=change,
        before=before,
        scope=capacity_scope(change),
        # the resource's page finds its capacity events by ``resource`` (selectors.history)
        also={"resource": [change.resource_id, change.resource_id]},
    )
    return change


@transaction.atomic
def remove_capacity_change(*, actor: User, change: CapacityChange, version: int | None) -> None:
    """:func:`~pmo.resources.services.delete_capacity_change` of the ``version`` read (409 on
    a stale one): the API's delete, which names the version as every delete of it does."""
    from pmo.resources.services.resources import delete_capacity_change

    require_manage(actor)
    change = (
        CapacityChange.objects.select_for_update(of=("self",))
        .select_related("scenario", "resource")  # the resource names it in the trail
        .get(pk=change.pk)
    )
    change.check_version(version)
    delete_capacity_change(actor=actor, change=change)
