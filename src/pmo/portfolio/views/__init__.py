"""Web pages of the status center. Thin: read via selectors, write via services."""

from pmo.portfolio.views.milestones import milestone_create, milestone_edit
from pmo.portfolio.views.project_edit import project_create, project_edit
from pmo.portfolio.views.projects import (
    project_detail,
    project_export,
    project_list,
    rag_history_chart,
)
from pmo.portfolio.views.raid import raid_create, raid_edit, raid_status
from pmo.portfolio.views.rates import exchangerate_delete, exchangerate_list
from pmo.portfolio.views.reminders import remind_reports_view
from pmo.portfolio.views.reports import (
    statusreport_create,
    statusreport_detail,
    statusreport_edit,
    statusreport_submit,
)

__all__ = [
    "exchangerate_delete",
    "exchangerate_list",
    "milestone_create",
    "milestone_edit",
    "project_create",
    "project_detail",
    "project_edit",
    "project_export",
    "project_list",
    "rag_history_chart",
    "raid_create",
    "raid_edit",
    "raid_status",
    "remind_reports_view",
    "statusreport_create",
    "statusreport_detail",
    "statusreport_edit",
    "statusreport_submit",
]
