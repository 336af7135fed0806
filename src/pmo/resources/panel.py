"""The staffing panel on the project page (registered in ``portfolio.extensions``)."""

from __future__ import annotations

from typing import Any

from pmo.portfolio.extensions import Panel, registry
from pmo.resources import calendars, costs
from pmo.resources.access import can_view_capacity
from pmo.resources.models import Allocation


def _context(project: Any, user: Any) -> dict[str, Any]:
    if not can_view_capacity(user):
        return {"staffing": None}
    rows = list(
        Allocation.objects.filter(scenario=None, project=project).select_related("resource")
    )
    overrides = calendars.load_overrides() if rows else None
    planned = costs.row_costs(rows, overrides)
    return {"staffing": {"rows": len(rows), "cost": costs.totals(planned)}}


def register() -> None:
    """Called once from ``ResourcesConfig.ready()``."""
    if any(p.template == "resources/partials/_project_panel.html" for p in registry.panels):
        return
    registry.panels.append(Panel("resources/partials/_project_panel.html", _context))
