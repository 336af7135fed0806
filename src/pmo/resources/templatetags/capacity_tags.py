"""Template tags of a resource's capacity changes: the *Add capacity change* form and
whether a change is time off (ADR 0006)."""

from __future__ import annotations

from typing import Any

from django import template

from pmo.resources import leveling_runs
from pmo.resources.calendars import is_absence
from pmo.resources.forms import ResourceCapacityForm

register = template.Library()

__all__ = ["capacity_change_form", "time_off"]


@register.inclusion_tag("resources/partials/_capacity_change_form.html", takes_context=True)
def capacity_change_form(
    context: template.Context, resource: Any, form: ResourceCapacityForm | None = None
) -> dict[str, Any]:
    """The form that adds a capacity change of the current plan to ``resource``: empty on the
    resource's page, ``form`` with what was typed and its errors when it was refused."""
    return {
        "resource": resource,
        "form": form if form is not None else ResourceCapacityForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def time_off(change: Any) -> bool:
    """Whether the capacity change is an absence (0 FTE for at most two weeks): its days
    count neither capacity nor demand, as a holiday."""
    return is_absence(change.fte, change.first, change.last)


@register.filter
def run_error(run: Any) -> str:
    """A leveling run's error in the reader's language where it has one (a lost run's)."""
    return leveling_runs.shown_error(run)
