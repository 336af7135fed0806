"""Portfolio use-cases: every write goes through here (permission, validation, version, audit).

Inputs are plain dicts of already-typed values (from API schemas or forms);
references arrive as codes or ids and are resolved here, so a bad reference
is reported against the field that carried it.

``projects`` opens and changes projects, ``status_reports`` writes and submits status reports,
``milestones`` and ``raid`` add and change a project's milestones and RAID entries, ``common``
holds what they share; the names other code imports are imported here. A test that patches a
module-level name patches it where the function reads it (the submodule), not here.
"""

from pmo.portfolio.services.common import scope_of
from pmo.portfolio.services.milestones import (
    MILESTONE_FIELDS,
    PLAN_MILESTONE_FIELDS,
    create_milestone,
    driven_milestones,
    milestones_source,
    update_milestone,
)
from pmo.portfolio.services.projects import (
    PMO_ONLY_FIELDS,
    PROJECT_FIELDS,
    create_project,
    update_project,
)
from pmo.portfolio.services.raid import (
    RAID_COMMON_FIELDS,
    RAID_FIELDS,
    create_raid_item,
    update_raid_item,
)
from pmo.portfolio.services.status_reports import (
    REPORT_FIELDS,
    create_status_report,
    refresh_project_status,
    require_reporting,
    submit_status_report,
    update_status_report,
)

__all__ = [
    "MILESTONE_FIELDS",
    "PLAN_MILESTONE_FIELDS",
    "PMO_ONLY_FIELDS",
    "PROJECT_FIELDS",
    "RAID_COMMON_FIELDS",
    "RAID_FIELDS",
    "REPORT_FIELDS",
    "create_milestone",
    "create_project",
    "create_raid_item",
    "create_status_report",
    "driven_milestones",
    "milestones_source",
    "refresh_project_status",
    "require_reporting",
    "scope_of",
    "submit_status_report",
    "update_milestone",
    "update_project",
    "update_raid_item",
    "update_status_report",
]
