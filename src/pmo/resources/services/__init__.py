"""Use-cases of capacity planning: resources, capacity, allocations, scenarios.

Every write checks permission (:mod:`pmo.resources.access`), validates, checks the
version (409 on a stale one), is audited and runs in one transaction.

One module per group: resources, their capacity changes and the calendar days entered by
hand (:mod:`.resources`), allocations and schedule demand (:mod:`.allocations`), what-if
scenarios and their commit (:mod:`.scenarios`); :mod:`.common` holds what they share. The
names other code uses are imported here: ``pmo.resources.services.create_scenario`` and
the like stay where they were.
"""

from pmo.resources.services.allocations import (
    ALLOCATION_FIELDS,
    DemandRow,
    allocation_warnings,
    create_allocation,
    delete_allocation,
    record_schedule_demand,
    release_project,
    unmatched_plan_names,
    update_allocation,
    upsert_allocation,
)
from pmo.resources.services.requests import Decided, decide_requests
from pmo.resources.services.resources import (
    OFF_WORDS,
    RESOURCE_FIELDS,
    RESOURCES_SCOPE,
    WORK_WORDS,
    add_calendar_days,
    add_capacity_change,
    create_resource,
    delete_calendar_day,
    delete_capacity_change,
    get_resource,
    parse_calendar_days,
    set_calendar_year,
    update_resource,
)
from pmo.resources.services.roles import (
    ROLE_FIELDS,
    create_role,
    delete_role,
    get_role,
    merge_role,
    update_role,
)
from pmo.resources.services.scenarios import (
    CommitResult,
    commit_scenario,
    create_scenario,
    discard_scenario,
    shift_project,
)

__all__ = [
    "ALLOCATION_FIELDS",
    "OFF_WORDS",
    "RESOURCES_SCOPE",
    "RESOURCE_FIELDS",
    "ROLE_FIELDS",
    "WORK_WORDS",
    "CommitResult",
    "Decided",
    "DemandRow",
    "add_calendar_days",
    "add_capacity_change",
    "allocation_warnings",
    "commit_scenario",
    "create_allocation",
    "create_resource",
    "create_role",
    "create_scenario",
    "decide_requests",
    "delete_allocation",
    "delete_calendar_day",
    "delete_capacity_change",
    "delete_role",
    "discard_scenario",
    "get_resource",
    "get_role",
    "merge_role",
    "parse_calendar_days",
    "record_schedule_demand",
    "release_project",
    "set_calendar_year",
    "shift_project",
    "unmatched_plan_names",
    "update_allocation",
    "update_resource",
    "update_role",
    "upsert_allocation",
]

# doctest looks for examples in the functions a module defines; these live in the
# submodules, so name them (``doctest.testmod(pmo.resources.services)`` runs them)
__test__ = {"parse_calendar_days": parse_calendar_days}
