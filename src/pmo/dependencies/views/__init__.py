"""Web pages: dependency register and network, what-if impact, change requests, notifications.

Thin: read via selectors, write via services; domain errors become messages. One module per
page group (``register``, ``what_if``, ``change_requests``); ``common`` holds what they share.
The views ``urls`` names are imported here.
"""

from pmo.dependencies.views.change_requests import (
    change_create,
    change_detail,
    change_list,
    change_respond,
    change_transition,
    notification_list,
)
from pmo.dependencies.views.register import (
    dependency_create,
    dependency_delete,
    dependency_endpoints,
    dependency_list,
    dependency_status,
)
from pmo.dependencies.views.what_if import impact

__all__ = [
    "change_create",
    "change_detail",
    "change_list",
    "change_respond",
    "change_transition",
    "dependency_create",
    "dependency_delete",
    "dependency_endpoints",
    "dependency_list",
    "dependency_status",
    "impact",
    "notification_list",
]
