"""Changing a capacity change once saved, and the overlap rule every capacity change keeps.

:func:`pmo.resources.services.add_capacity_change` adds one and
:func:`~pmo.resources.services.delete_capacity_change` removes one (the resource's page and
the API); :func:`update_capacity_change` changes one's days, FTE or reason under the same
rules: resource managers and the PMO only, a draft scenario's or the current plan's,
no two changes of one resource (in one plan) overlapping, version-checked, audited.

A new or changed one may, when its user asks for it (``replace_overlap``), take its days
from the changes it overlaps (:func:`carve_out`): the newer, more specific entry wins on its
days, as two weeks of leave inside a part-time half year (ADR 0006, *Changes inside
changes*).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

from pmo.accounts.models import User
from pmo.audit.services import record_created, record_deleted, save_changed, snapshot
from pmo.core.errors import ConflictError, FieldError
from pmo.resources.access import require_manage
from pmo.resources.models import CapacityChange, Resource, Scenario
from pmo.resources.services.common import (
    _assign,
    _check_dates,
    _clean,
    lock_scenario,
    require_draft,
)

__all__ = [
    "CAPACITY_FIELDS",
    "REPLACE_LABEL",
    "CapacityOverlap",
    "Carved",
    "capacity_scope",
    "carve_out",
    "check_overlap",
    "lock_change",
    "lock_resource_changes",
    "overlapping",
    "plan_carve_out",
    "remove_capacity_change",
    "update_capacity_change",
]

CAPACITY_FIELDS = ["first", "last", "fte", "reason"]
REPLACE_LABEL = gettext_noop("Replace these days of the overlapping changes")


class CapacityOverlap(FieldError):
    """A capacity change that overlaps ``changes``, others of the same resource in the same
    plan (422 at ``first``; ``change`` the earliest); the API names its own way out."""

    def __init__(self, changes: list[CapacityChange], message: str) -> None:
        super().__init__("first", message)
        self.changes = changes
        self.change = changes[0]


def _fte_text(fte: Any) -> str:
    return f"{Decimal(str(fte)).normalize():f}"  # 0.5, 12: no trailing zeros


def _named(change: CapacityChange) -> str:
    return _("%(first)s – %(last)s (%(fte)s FTE)") % {
        "first": change.first,
        "last": change.last,
        "fte": _fte_text(change.fte),
    }


def overlapping(
    *,
    resource: Resource,
    scenario: Scenario | None,
    first: dt.date,
    last: dt.date,
    exclude_pk: int | None = None,
) -> list[CapacityChange]:
    """The changes of ``resource`` in the plan of ``scenario`` (``None``: the current plan)
    that share a day with ``first`` to ``last``, earliest first (``exclude_pk``: the one
    being changed)."""
    others = CapacityChange.objects.filter(
        resource=resource, scenario=scenario, first__lte=last, last__gte=first
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return list(others.order_by("first", "pk"))


def check_overlap(
    *,
    resource: Resource,
    scenario: Scenario | None,
    first: dt.date,
    last: dt.date,
    exclude_pk: int | None = None,
) -> None:
    """Refuse (:class:`CapacityOverlap`) a change of ``resource`` from ``first`` to ``last``
    that overlaps others of its changes in the same plan (``exclude_pk``: the one being
    changed); the message names them and the page's way of replacing their days."""
    others = overlapping(
        resource=resource, scenario=scenario, first=first, last=last, exclude_pk=exclude_pk
    )
    if not others:
        return
    raise CapacityOverlap(
        others,
        ngettext(
            "overlaps the capacity change %(changes)s: tick “%(replace)s” to give its days to "
            "this one (it is shortened, split or removed), or change or remove it first",
            "overlaps the capacity changes %(changes)s: tick “%(replace)s” to give their days "
            "to this one (each is shortened, split or removed), or change or remove them first",
            len(others),
        )
        % {
            "changes": pgettext("list separator", ", ").join(_named(c) for c in others),
            "replace": _(REPLACE_LABEL),
        },
    )


def capacity_scope(change: CapacityChange) -> str:
    """The audit scope of a capacity change: its scenario's, or the resources'."""
    return f"scenario:{change.scenario_id}" if change.scenario_id else "resources"


@dataclass(frozen=True)
class Carved:
    """What :func:`carve_out` did to one overlapping change: ``removed`` (the new days cover
    all of it), ``shortened`` to ``pieces[0]``, or ``split`` into ``pieces`` (before and
    after the new days; the second piece a new row). ``first``, ``last``, ``fte``: the change
    as it was."""

    kind: Literal["removed", "shortened", "split"]
    first: dt.date
    last: dt.date
    fte: Decimal
    pieces: tuple[tuple[dt.date, dt.date], ...] = ()

    def sentence(self) -> str:
        """What happened to it, for the page's message."""
        return _(_SAID[self.kind, False]) % self._values()

    def plan_sentence(self) -> str:
        """What ticking the page's *Replace* box does to it (:func:`plan_carve_out`)."""
        return _(_SAID[self.kind, True]) % self._values()

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "first": self.first,
            "last": self.last,
            "fte": _fte_text(self.fte),
        }
        if self.kind == "shortened":
            values["new_first"], values["new_last"] = self.pieces[0]
        elif self.kind == "split":
            (values["a_first"], values["a_last"]), (values["b_first"], values["b_last"]) = (
                self.pieces
            )
        return values


# what :class:`Carved` says, by its kind and whether it is the plan (before ticking the box)
_SAID = {
    ("removed", False): gettext_noop(
        "Removed the capacity change %(first)s – %(last)s (%(fte)s FTE): the new one covers "
        "all its days."
    ),
    ("shortened", False): gettext_noop(
        "Shortened the capacity change %(first)s – %(last)s (%(fte)s FTE) to "
        "%(new_first)s – %(new_last)s."
    ),
    ("split", False): gettext_noop(
        "Split the capacity change %(first)s – %(last)s (%(fte)s FTE) into "
        "%(a_first)s – %(a_last)s and %(b_first)s – %(b_last)s."
    ),
    ("removed", True): gettext_noop(
        "Ticking it removes the capacity change %(first)s – %(last)s (%(fte)s FTE): "
        "the new one covers all its days."
    ),
    ("shortened", True): gettext_noop(
        "Ticking it shortens the capacity change %(first)s – %(last)s (%(fte)s FTE) to "
        "%(new_first)s – %(new_last)s."
    ),
    ("split", True): gettext_noop(
        "Ticking it splits the capacity change %(first)s – %(last)s (%(fte)s FTE) into "
        "%(a_first)s – %(a_last)s and %(b_first)s – %(b_last)s."
    ),
}


def _one_day() -> dt.timedelta:
    return dt.timedelta(days=1)


def lock_resource_changes(resource_id: int, scenario_id: int | None) -> None:
    """Lock what a write of a resource's capacity changes in one plan needs, in the order
    every such write takes it: the scenario (as its commit and discard do, and only a draft
    is read), then the resource (two overlapping changes written at once: the second waits
    and sees the first)."""
    if scenario_id is not None:
        lock_scenario(scenario_id)
    Resource.objects.select_for_update().filter(pk=resource_id).values_list("pk").first()


def lock_change(pk: int, *related: str) -> CapacityChange:
    """A capacity change, locked after its scenario and resource
    (:func:`lock_resource_changes`), with ``related`` loaded."""
    keys = CapacityChange.objects.filter(pk=pk).values_list("resource_id", "scenario_id").first()
    if keys is not None:
        lock_resource_changes(*keys)
    return (
        CapacityChange.objects.select_for_update(of=("self",)).select_related(*related).get(pk=pk)
    )


def plan_carve_out(
    others: Sequence[CapacityChange], *, first: dt.date, last: dt.date
) -> list[Carved]:
    """What :func:`carve_out` of the days ``first`` to ``last`` does to ``others`` (each
    sharing a day with them), one :class:`Carved` each in their order, writing nothing: the
    page says it beside its box, and :func:`carve_out` does just this."""
    plan: list[Carved] = []
    for other in others:
        if other.last < first or last < other.first:
            raise ValueError(f"capacity change {other.pk} shares no day with {first}–{last}")
        if first <= other.first and other.last <= last:  # inside the new days: removed
            kind: Literal["removed", "shortened", "split"] = "removed"
            pieces: tuple[tuple[dt.date, dt.date], ...] = ()
        elif other.first < first and last < other.last:  # around them: split
            kind = "split"
            pieces = ((other.first, first - _one_day()), (last + _one_day(), other.last))
        elif other.first < first:  # ends inside them
            kind, pieces = "shortened", ((other.first, first - _one_day()),)
        else:  # starts inside them
            kind, pieces = "shortened", ((last + _one_day(), other.last),)
        plan.append(Carved(kind, other.first, other.last, other.fte, pieces))
    return plan


def carve_out(
    *,
    actor: User | None,
    resource: Resource,
    scenario: Scenario | None,
    first: dt.date,
    last: dt.date,
    exclude_pk: int | None = None,
    seen: dict[int, int] | None = None,
) -> list[Carved]:
    """Take the days ``first`` to ``last`` from the other changes of ``resource`` in the plan
    of ``scenario``: one wholly inside them is removed, one partly inside shortened, one
    around them split in two (same FTE and reason; the later piece a new row). Each write
    audited as the page's own (scope, ``resource`` beside an update). ``seen``: the id and
    version of each overlapping change the user was shown; another overlapping change, or
    one changed since, is a 409 and nothing is carved. Call inside the caller's transaction
    (the new change is saved after)."""
    query = (
        CapacityChange.objects.select_for_update(of=("self",))
        .select_related("resource")  # the trail names the resource
        .filter(resource=resource, scenario=scenario, first__lte=last, last__gte=first)
        .order_by("first", "pk")
    )
    if exclude_pk is not None:
        query = query.exclude(pk=exclude_pk)
    others = list(query)
    if seen is not None and {c.pk: c.version for c in others} != seen:
        raise ConflictError(
            _(
                "The capacity changes these days overlap changed since the page showed them: "
                "nothing was saved. Check them below and save again."
            )
        )
    done = plan_carve_out(others, first=first, last=last)
    for other, plan in zip(others, done, strict=True):
        scope = capacity_scope(other)
        if plan.kind == "removed":
            record_deleted(actor=actor, instance=other, scope=scope)
            other.delete()
            continue
        before = snapshot(other)
        other.first, other.last = plan.pieces[0]
        other.copied = False  # a scenario's own now, not the plan's copy (refresh keeps it)
        save_changed(
            actor=actor,
            instance=other,
            before=before,
            scope=scope,
            also={"resource": [other.resource_id, other.resource_id]},
        )
        if plan.kind == "split":
            piece = CapacityChange.objects.create(
                resource=other.resource,
                scenario=scenario,
                first=plan.pieces[1][0],
                last=plan.pieces[1][1],
                fte=other.fte,
                reason=other.reason,
            )
            record_created(actor=actor, instance=piece, scope=scope)
    return done


@transaction.atomic
def update_capacity_change(
    *,
    actor: User,
    change: CapacityChange,
    data: dict[str, Any],
    version: int | None,
    replace_overlap: bool = False,
    carved: list[Carved] | None = None,
) -> CapacityChange:
    """Change a capacity change's ``first``, ``last``, ``fte`` or ``reason``: its own
    rules are those of adding one (:func:`check_overlap` against the resource's other
    changes, or with ``replace_overlap`` :func:`carve_out` of them, what it did appended to
    ``carved``). A change that changes nothing keeps its version and writes no audit
    event."""
    require_manage(actor)
    change = lock_change(change.pk, "scenario")
    require_draft(change.scenario)
    change.check_version(version)
    before = snapshot(change)
    _assign(change, data, CAPACITY_FIELDS)
    _check_dates(change.first, change.last)
    _clean(change, exclude=["resource", "scenario"])
    if replace_overlap:
        done = carve_out(
            actor=actor,
            resource=change.resource,
            scenario=change.scenario,
            first=change.first,
            last=change.last,
            exclude_pk=change.pk,
        )
        if carved is not None:
            carved.extend(done)
    else:
        check_overlap(
            resource=change.resource,
            scenario=change.scenario,
            first=change.first,
            last=change.last,
            exclude_pk=change.pk,
        )
    if change.scenario_id and any(before[f] != snapshot(change)[f] for f in CAPACITY_FIELDS):
        change.copied = False  # the scenario's own now: a refresh keeps it
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
    change = lock_change(change.pk, "scenario", "resource")  # the resource names it
    change.check_version(version)
    delete_capacity_change(actor=actor, change=change)
