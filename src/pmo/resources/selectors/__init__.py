"""Reads of capacity data: drill-down of a heat-map cell, staffing of a project, loads.

Resources, roles, allocations and when a project ended are read in :mod:`.resources`, a
heat-map cell's projects in :mod:`.causes`, scenarios in :mod:`.scenarios`, and what a
scenario changes against the current plan (and the plan since the scenario's copy) in
:mod:`.changes`; every name is imported here (``from pmo.resources import selectors``).
"""

from pmo.resources.selectors.causes import CauseRow, list_cell_causes
from pmo.resources.selectors.changes import (
    CapacityDiff,
    ScenarioChanges,
    plan_changes_since,
    plans_to_change,
    scenario_capacity_changes,
    scenario_changes,
    scenario_out_of_date,
    scenarios_out_of_date,
)
from pmo.resources.selectors.history import resource_events, resource_history
from pmo.resources.selectors.resources import (
    RESOURCE_STATES,
    catalogue_roles,
    ended_on,
    ended_text,
    list_allocations,
    list_resource_allocations,
    list_resources,
    list_roles,
    look_alike_roles,
    search_resources,
    with_projects,
)
from pmo.resources.selectors.scenarios import (
    get_scenario,
    list_scenarios,
    projects_of,
    run_names,
    schedule_moves,
    shifted_days,
)
from pmo.resources.selectors.twice import counted_twice

__all__ = [
    "RESOURCE_STATES",
    "CapacityDiff",
    "CauseRow",
    "ScenarioChanges",
    "catalogue_roles",
    "counted_twice",
    "ended_on",
    "ended_text",
    "get_scenario",
    "list_allocations",
    "list_cell_causes",
    "list_resource_allocations",
    "list_resources",
    "list_roles",
    "list_scenarios",
    "look_alike_roles",
    "plan_changes_since",
    "plans_to_change",
    "projects_of",
    "resource_events",
    "resource_history",
    "run_names",
    "scenario_capacity_changes",
    "scenario_changes",
    "scenario_out_of_date",
    "scenarios_out_of_date",
    "schedule_moves",
    "search_resources",
    "shifted_days",
    "with_projects",
]
