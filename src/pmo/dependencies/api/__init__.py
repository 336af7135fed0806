"""REST endpoints: dependency register, what-if impact, change requests and their workflow.

One router per resource group, combined here into the app's router (mounted by
``pmo.config.api``): the dependency register (:mod:`.register`), the what-if impact of a slip
(:mod:`.what_if`), change requests and their workflow (:mod:`.change_requests`), and the
answers of the affected projects (:mod:`.responses`), and the impact page's task search
(:mod:`.lookup`). Each endpoint names
its operation id (``pmo_dependencies_api_<name>``): the ids clients know, from the days the
endpoints lived in one module. The routers are added in that order, which is the order of the
paths in the OpenAPI document.
"""

from ninja import Router

from pmo.dependencies.api import change_requests, lookup, register, what_if
from pmo.dependencies.api.change_requests import (
    ChangeRequestIn,
    ChangeRequestOut,
    ChangeRequestPatch,
    ChangeRequestRow,
    ChangeStepOut,
    TransitionIn,
    create_change_request,
    get_change_request,
    list_change_requests,
    patch_change_request,
    transition,
)
from pmo.dependencies.api.register import (
    CritName,
    DependencyIn,
    DependencyOut,
    DependencyPatch,
    DepStatus,
    DepType,
    create_dependency,
    delete_dependency,
    get_dependency,
    list_dependencies,
    patch_dependency,
)
from pmo.dependencies.api.responses import router as responses_router
from pmo.dependencies.api.what_if import (
    ImpactIn,
    ImpactItemOut,
    ImpactOut,
    ImpactProjectOut,
    impact,
)

__all__ = [
    "ChangeRequestIn",
    "ChangeRequestOut",
    "ChangeRequestPatch",
    "ChangeRequestRow",
    "ChangeStepOut",
    "CritName",
    "DepStatus",
    "DepType",
    "DependencyIn",
    "DependencyOut",
    "DependencyPatch",
    "ImpactIn",
    "ImpactItemOut",
    "ImpactOut",
    "ImpactProjectOut",
    "TransitionIn",
    "create_change_request",
    "create_dependency",
    "delete_dependency",
    "get_change_request",
    "get_dependency",
    "impact",
    "list_change_requests",
    "list_dependencies",
    "patch_change_request",
    "patch_dependency",
    "router",
    "transition",
]

router = Router(tags=["dependencies"])
router.add_router("", register.router)
router.add_router("", what_if.router)
router.add_router("", change_requests.router)
router.add_router("/", responses_router)
router.add_router("", lookup.router)
