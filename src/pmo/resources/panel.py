"""The staffing panel on the project page (registered in ``portfolio.extensions``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum

from pmo.portfolio.extensions import Panel, registry
from pmo.resources.access import can_view_capacity
from pmo.resources.models import Allocation


def _context(project: Any, user: Any) -> dict[str, Any]:
    if not can_view_capacity(user):
        return {"staffing": None}
    totals = Allocation.objects.filter(scenario=None, project=project).aggregate(
        rows=Count("pk"), fte=Sum("fte")
    )
    return {"staffing": totals}


def register() -> None:
    """Called once from ``ResourcesConfig.ready()``."""
    if any(p.template == "resources/partials/_project_panel.html" for p in registry.panels):
        return
    registry.panels.append(Panel("resources/partials/_project_panel.html", _context))
