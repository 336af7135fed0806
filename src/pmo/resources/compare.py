"""Scenarios side by side: the current plan and up to four scenarios in one table.

For each layer (the current plan first) the heat map's overload on the same grouping and
periods, how many allocations the scenario changed and what that does to the planned labour
cost (per currency, :func:`pmo.resources.selectors.scenario_changes`, and added up in the base
currency at the exchange rates in force on the comparison's day, ADR 0016); and for every project
that changes
in some layer (its work ends on another day, allocations moved inside its dates or given to
another resource, a priority or pin set), the last day of its allocations per layer with the
difference to the current plan in calendar days, the allocations changed, and the priority
and pin set in each scenario. Leveling often moves work within a project's slack without
changing its end, so the changed count is what shows that. One ``Max`` query for every
layer (grouped by project id: the 5,000 projects of a big plan are not read, only the codes
and names of those listed, one query), the changes' per layer, one for the shifts and one
for the ids of the changed projects; the heat maps are
:func:`pmo.resources.heatmap.build_heatmap`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.core.errors import FieldError
from pmo.core.i18n import is_chinese
from pmo.portfolio.currencies import BaseTotal, base_currency, total_in_base
from pmo.portfolio.models import Project
from pmo.resources import calendars, selectors
from pmo.resources.costs import CENT, CostTotal
from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap import HeatMap, build_heatmap
from pmo.resources.models import Allocation, ProjectShift, Scenario

__all__ = [
    "MAX_SCENARIOS",
    "Comparison",
    "Layer",
    "ProjectCell",
    "ProjectLine",
    "compare_scenarios",
]

MAX_SCENARIOS = 4


@dataclass(frozen=True)
class Layer:
    """The current plan (``scenario=None``) or one scenario, with its heat map."""

    scenario: Scenario | None
    heatmap: HeatMap
    changed: int  # allocations that differ from the current plan's (0 for the plan)
    cost: list[CostTotal]  # planned labour cost against the current plan, per currency
    # that cost added up in the base currency at the rates of the comparison's day, to the
    # cent; no total (``None``) and the codes without a rate when a currency has none
    cost_in_base: BaseTotal

    @property
    def cost_note(self) -> str | None:
        """Why there is no total in the base currency (the currencies without a rate), in the
        active language; ``None`` when there is one."""
        if not self.cost_in_base.missing:
            return None
        return _("no total in %(base)s: no exchange rate for %(codes)s") % {
            "base": self.cost_in_base.currency,
            "codes": pgettext("list separator", ", ").join(self.cost_in_base.missing),
        }


@dataclass(frozen=True)
class ProjectCell:
    """A project in one layer."""

    end: dt.date | None  # the last day of its allocations (None: no work there)
    shift: int | None  # calendar days later than in the current plan
    priority: int | None  # the scenario's priority for it, if it sets one
    pinned: bool
    changed: int  # its allocations that differ from the current plan (or were added)


@dataclass(frozen=True)
class ProjectLine:
    """A project whose work ends differently (or is re-prioritised or pinned) somewhere."""

    code: str
    name: str
    cells: list[ProjectCell]  # by layer


@dataclass(frozen=True)
class Comparison:
    """The layers (the current plan first), the projects that change, and the day whose
    exchange rates convert the cost changes to the base currency."""

    layers: list[Layer]
    projects: list[ProjectLine]
    rates_day: dt.date

    @property
    def base_currency(self) -> str:
        return base_currency()

    @property
    def converts(self) -> bool:
        """Whether some layer's cost changes in a currency other than the base one (else the
        per-currency figures already are the total in the base currency)."""
        base = self.base_currency
        return any(c.currency != base for layer in self.layers for c in layer.cost)


def _in_base(cost: list[CostTotal], day: dt.date) -> BaseTotal:
    """The cost changes added up in the base currency at the rates valid on ``day``, rounded
    to the cent (:func:`pmo.portfolio.currencies.total_in_base`; one query, none for a
    layer without cost changes or with the base currency's only)."""
    converted = total_in_base({c.currency: c.total for c in cost}, day)
    if converted.total is None:
        return converted
    return replace(converted, total=converted.total.quantize(CENT))


def _ends(scenario_ids: list[int | None]) -> list[dict[int, dt.date]]:
    """The last day of each project's allocations (by project id) in each layer of
    ``scenario_ids``: one query for them all, grouped by project id without reading the
    projects (their codes and names are read for the projects listed only)."""
    layer = Q(scenario_id__in=[s for s in scenario_ids if s is not None])
    if None in scenario_ids:
        layer |= Q(scenario__isnull=True)
    ends: dict[int | None, dict[int, dt.date]] = {s: {} for s in scenario_ids}
    rows = (
        Allocation.objects.filter(layer)
        .values_list("scenario_id", "project_id")
        .annotate(end=Max("last"))
        .order_by()
    )
    for scenario_id, project_id, end in rows:
        ends[scenario_id][project_id] = end
    return [ends[s] for s in scenario_ids]


def _names(ids: set[int]) -> dict[int, tuple[str, str]]:
    """The code and name (in the reader's language) of the projects ``ids`` (one query)."""
    zh = is_chinese()  # once, not per row
    rows = Project.objects.filter(pk__in=ids).values_list("pk", "code", "name", "name_zh")
    return {pk: (code, (zh and name_zh) or name) for pk, code, name, name_zh in rows}


def compare_scenarios(
    ids: list[int],
    *,
    by: str = "role",
    scale: str = "week",
    start: dt.date,
    count: int = 12,
    unit: str = "fte",
    only: ResourceFilter | None = None,
    today: dt.date | None = None,
) -> Comparison:
    """Compare the scenarios ``ids`` (1 to :data:`MAX_SCENARIOS`, in that order) with the
    current plan; unknown ids are a :class:`FieldError`. ``today`` as in
    :func:`~pmo.resources.heatmap.build_heatmap`; it is also the day whose exchange rates
    convert each scenario's cost change to the base currency (default: the local date;
    ADR 0016: one day for every currency, the rates in force when the comparison is made)."""
    unique = list(dict.fromkeys(ids))
    if not 1 <= len(unique) <= MAX_SCENARIOS:
        raise FieldError("ids", _("choose 1 to %(most)s scenarios") % {"most": MAX_SCENARIOS})
    found = Scenario.objects.in_bulk(unique)
    missing = [i for i in unique if i not in found]
    if missing:
        raise FieldError(
            "ids",
            _("no scenario %(ids)s")
            % {"ids": pgettext("list separator", ", ").join(map(str, missing))},
        )
    scenarios: list[Scenario | None] = [None, *(found[i] for i in unique)]
    rates_day = today or timezone.localdate()
    overrides = calendars.load_overrides()  # once for every layer
    changes = [
        selectors.scenario_changes(s.pk, overrides) if s else selectors.ScenarioChanges({}, [])
        for s in scenarios
    ]
    layers = [
        Layer(
            scenario=s,
            changed=change.changed,
            cost=change.cost,
            cost_in_base=_in_base(change.cost, rates_day),
            heatmap=build_heatmap(
                by=by,
                scale=scale,
                start=start,
                count=count,
                scenario_id=s.pk if s else None,
                unit=unit,
                only=only,
                overrides=overrides,
                today=today,
            ),
        )
        for s, change in zip(scenarios, changes, strict=True)
    ]
    ends = _ends([s.pk if s else None for s in scenarios])
    marks_of = ProjectShift.objects.filter(scenario_id__in=unique)
    shifts = {(r.scenario_id, r.project_id): r for r in marks_of}
    # the changes are counted by project code: the ids of those codes, one query
    changed_codes = {code for change in changes for code in change.by_project}
    ids_of = dict(
        Project.objects.filter(code__in=changed_codes).values_list("code", "pk")
        if changed_codes
        else []
    )
    changed_ids: list[dict[int, int]] = [
        {ids_of[code]: n for code, n in change.by_project.items() if code in ids_of}
        for change in changes
    ]
    marked = {pk for (_s, pk), m in shifts.items() if m.priority or m.pinned}
    # a project with work in some layer whose end differs, or changed, re-prioritised or pinned
    every: set[int] = set().union(*ends)
    listed = ({pk for c in changed_ids for pk in c} | marked) & every
    for pk in every - listed:
        if len({layer.get(pk) for layer in ends}) > 1:
            listed.add(pk)
    names = _names(listed)
    lines = []
    for pk in sorted(listed, key=lambda i: names[i][0] if i in names else ""):
        if pk not in names:
            continue  # a project removed meanwhile
        code, name = names[pk]
        per_layer = [layer.get(pk) for layer in ends]
        base = per_layer[0]
        later = [
            (end - base).days if end is not None and base is not None else None for end in per_layer
        ]
        marks = [shifts.get((s.pk, pk)) if s else None for s in scenarios]
        rows_changed = [c.get(pk, 0) for c in changed_ids]
        if (
            len(set(per_layer)) == 1
            and not any(rows_changed)
            and not any(m and (m.priority or m.pinned) for m in marks)
        ):
            continue
        cells = [
            ProjectCell(
                end=end,
                shift=shift,
                priority=m.priority if m else None,
                pinned=bool(m and m.pinned),
                changed=n,
            )
            for end, shift, m, n in zip(per_layer, later, marks, rows_changed, strict=True)
        ]
        lines.append(ProjectLine(code=code, name=name, cells=cells))
    return Comparison(layers=layers, projects=lines, rates_day=rates_day)
