"""REST endpoints of stage-gate governance; thin: parse, call a service or selector, serialise.

One router per resource group, combined here into the app's router (mounted by
``pmo.config.api``): lifecycle templates and project lifecycles (:mod:`.lifecycles`), gate
reviews, decisions and conditions (:mod:`.reviews`), the gate calendar (:mod:`.calendar`),
steering meetings (:mod:`.steering`). Each endpoint names its operation id
(``pmo_governance_api_<name>``): the ids clients know, from the days the endpoints lived in
one module.
"""

from ninja import Router

from pmo.governance.api import calendar, lifecycles, reviews, steering

__all__ = ["router"]

router = Router(tags=["governance"])
router.add_router("", lifecycles.router)
router.add_router("", reviews.router)
router.add_router("", calendar.router)
router.add_router("", steering.router)
