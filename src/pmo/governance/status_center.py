"""Governance columns, flags and the project panel, registered into the status center."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from pmo.governance.models import PhaseDefinition
from pmo.portfolio.extensions import Column, ExportColumn, Flag, Panel, registry

__all__ = ["annotate", "register"]


def _next_phase(field: str) -> Subquery:
    """The phase the next gate leads into (gate ``n`` leads into phase ``n``)."""
    return Subquery(
        PhaseDefinition.objects.filter(
            template=OuterRef("lifecycle__template"), order=OuterRef("lifecycle__next_gate__order")
        ).values(field)[:1]
    )


def annotate(qs: QuerySet, today: dt.date) -> QuerySet:
    """Next gate, the phase it leads into and the current lifecycle phase by join; "gate
    overdue" and open conditions."""
    return qs.select_related("lifecycle__next_gate", "lifecycle__current_phase").annotate(
        next_phase_name=_next_phase("name"),
        next_phase_name_zh=_next_phase("name_zh"),
        gate_overdue=Case(
            When(
                Q(lifecycle__state="active", lifecycle__next_gate_due__lt=today),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        conditions_open=Coalesce(F("lifecycle__open_conditions"), Value(0)),
    )


def _lifecycle(project: Any) -> Any:
    """The project's lifecycle loaded by the status-center join, or ``None``."""
    try:
        return project.lifecycle
    except ObjectDoesNotExist:
        return None


def _current_phase(project: Any) -> str:
    lifecycle = _lifecycle(project)
    return lifecycle.current_phase.display_name if lifecycle else ""


def _next_gate(project: Any) -> str:
    lifecycle = _lifecycle(project)
    return lifecycle.next_gate.code if lifecycle and lifecycle.next_gate else ""


def _next_gate_due(project: Any) -> Any:
    lifecycle = _lifecycle(project)
    return lifecycle.next_gate_due if lifecycle else None


def _panel(project: Any, user: Any) -> dict[str, Any]:
    from pmo.governance.selectors import lifecycle_panel

    return lifecycle_panel(project, user)


def register() -> None:
    """Called once from ``GovernanceConfig.ready()``."""
    if annotate in registry.annotators:
        return
    registry.annotators.append(annotate)
    registry.flags["gate_overdue"] = Flag(
        "gate_overdue", _("Gate overdue"), lambda: Q(gate_overdue=True)
    )
    registry.flags["conditions_open"] = Flag(
        "conditions_open", _("Gate conditions open"), lambda: Q(conditions_open__gt=0)
    )
    registry.sort_keys["gate"] = "lifecycle__next_gate_due"
    registry.columns.append(
        Column(
            "governance/partials/_status_gate_header.html",
            "governance/partials/_status_gate_cell.html",
        )
    )
    registry.panels.append(Panel("governance/partials/_project_panel.html", _panel))
    registry.export_columns += [
        ExportColumn(_("Lifecycle phase"), _current_phase),
        ExportColumn(_("Next gate"), _next_gate),
        ExportColumn(_("Next gate due"), _next_gate_due),
        ExportColumn(_("Gate overdue"), lambda p: bool(p.gate_overdue)),
        ExportColumn(_("Open gate conditions"), lambda p: p.conditions_open),
    ]
