"""What the project page's milestone table marks: the milestones a plan drives, and today."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from pmo.portfolio.services import driven_milestones, milestones_source

register = template.Library()


@register.simple_tag
def milestone_marks(project: Any) -> dict[str, Any]:
    """``driven``: the project's milestones its plan sets (id → the plan's address);
    ``source``: the plan's address when the plan sets them all (none is added by hand);
    ``today``: the day a forecast before which, with no actual date, is overdue."""
    return {
        "driven": driven_milestones(project),
        "source": milestones_source(project),
        "today": timezone.localdate(),
    }
