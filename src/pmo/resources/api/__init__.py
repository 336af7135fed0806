"""REST endpoints of capacity planning: resources, roles, capacity, allocations, scenarios,
heat map.

One router per resource group, combined here into the app's router (mounted by
``pmo.config.api``): resources and their capacity changes (:mod:`.resources`), the role
catalogue (:mod:`.roles`), requests to commit and their decisions (:mod:`.requests`: before
allocations, whose ``/allocations/{pk}`` would take their paths), allocations
(:mod:`.allocations`), the heat map and its drill-down (:mod:`.maps`), who is free
(:mod:`.availability`), scenarios (:mod:`.scenarios`), leveling runs (:mod:`.leveling_runs`),
the capacity sheet import (:mod:`.capacity_import`), calendar days (:mod:`.calendar_days`),
the resource pickers' search (:mod:`.lookup`); :mod:`.common` holds what they share. Each
endpoint names its operation id (``pmo_resources_api_<name>``): the ids clients know, from
the days the endpoints lived in one module. The routers are added in that order, which is
the order of the paths in the OpenAPI document.
"""

from ninja import Router

from pmo.resources.api import (
    allocations,
    availability,
    calendar_days,
    capacity_import,
    leveling_runs,
    lookup,
    maps,
    requests,
    resources,
    roles,
    scenarios,
)

__all__ = ["router"]

router = Router(tags=["resources"])
router.add_router("", resources.router)
router.add_router("", roles.router)
# before allocations: /allocations/{pk} would take /allocations/requests (405)
router.add_router("", requests.router)
router.add_router("", allocations.router)
router.add_router("", maps.router)
router.add_router("", availability.router)
router.add_router("", scenarios.router)
router.add_router("", leveling_runs.router)
router.add_router("", capacity_import.router)
router.add_router("", calendar_days.router)
router.add_router("", lookup.router)
