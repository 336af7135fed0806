"""Reads of the dependency register, change requests and notifications."""

from pmo.dependencies.selectors.changes import (
    ChangeImpact,
    SlipSummary,
    find_change_request,
    get_change_request,
    impact_projects,
    list_change_requests,
    pending_above_threshold,
    slip_summary,
    visible_change_impact,
    visible_impact,
)
from pmo.dependencies.selectors.notifications import (
    notifications_shown,
    unread_count,
)
from pmo.dependencies.selectors.panel import (
    project_panel,
)
from pmo.dependencies.selectors.register import (
    dependency_flags,
    endpoint_choices,
    get_critical_chain,
    get_dependency,
    hidden_project_codes,
    label,
    list_dependencies,
    register_rows,
    with_dates,
)
from pmo.dependencies.selectors.steering import (
    steering_cost_line,
)

__all__ = [
    "ChangeImpact",
    "SlipSummary",
    "dependency_flags",
    "endpoint_choices",
    "find_change_request",
    "get_change_request",
    "get_critical_chain",
    "get_dependency",
    "hidden_project_codes",
    "impact_projects",
    "label",
    "list_change_requests",
    "list_dependencies",
    "notifications_shown",
    "pending_above_threshold",
    "project_panel",
    "register_rows",
    "slip_summary",
    "steering_cost_line",
    "unread_count",
    "visible_change_impact",
    "visible_impact",
    "with_dates",
]
