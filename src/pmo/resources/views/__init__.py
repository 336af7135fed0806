"""Web pages of capacity planning: heat map with drill-down, staffing, loads, scenarios.

One module per page group: resources and calendar days (:mod:`.resources`), the capacity
sheet's upload, preview and Apply (:mod:`.capacity_sheet`), the heat map (:mod:`.maps`),
who is free (:mod:`.availability`), requests to commit (:mod:`.requests`), staffing and
allocations (:mod:`.staffing`), scenarios (:mod:`.scenarios`) and the changes to a draft
one (:mod:`.scenario_edits`), leveling runs (:mod:`.leveling_runs`), the role catalogue
(:mod:`.roles`); :mod:`.common` holds what they share. The views ``urls`` names are
imported here.
"""

from pmo.resources.views.availability import availability
from pmo.resources.views.leveling_runs import _run_context as _run_context
from pmo.resources.views.leveling_runs import leveling_cancel, leveling_run, scenario_level
from pmo.resources.views.maps import heatmap_cell, heatmap_view
from pmo.resources.views.requests import requests_to_commit
from pmo.resources.views.resources import (
    calendar_days,
    resource_detail,
    resource_form,
    resource_list,
)
from pmo.resources.views.roles import role_delete, role_form, role_list, role_merge
from pmo.resources.views.scenario_edits import (
    scenario_capacity,
    scenario_close,
    scenario_refresh,
    scenario_reset,
    scenario_shift,
)
from pmo.resources.views.scenarios import scenario_compare, scenario_detail, scenario_list
from pmo.resources.views.staffing import (
    FormInvalid,
    allocation_edit,
    project_staffing,
    scenario_allocation_edit,
    scenario_staffing,
)

__all__ = [
    "FormInvalid",
    "allocation_edit",
    "availability",
    "calendar_days",
    "heatmap_cell",
    "heatmap_view",
    "leveling_cancel",
    "leveling_run",
    "project_staffing",
    "requests_to_commit",
    "resource_detail",
    "resource_form",
    "resource_list",
    "role_delete",
    "role_form",
    "role_list",
    "role_merge",
    "scenario_allocation_edit",
    "scenario_capacity",
    "scenario_close",
    "scenario_compare",
    "scenario_detail",
    "scenario_level",
    "scenario_list",
    "scenario_refresh",
    "scenario_reset",
    "scenario_shift",
    "scenario_staffing",
]
