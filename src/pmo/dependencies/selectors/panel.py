"""The dependency panel of a project's page."""

from __future__ import annotations

from typing import Any

from pmo.accounts.models import User
from pmo.dependencies.changes import thresholds
from pmo.dependencies.selectors.changes import list_change_requests
from pmo.dependencies.selectors.register import label, list_dependencies

__all__ = ["project_panel"]


def project_panel(project: Any, user: User) -> dict[str, Any]:
    """The dependencies and change requests shown on the project page."""
    deps = list(list_dependencies(user, project=project.code)[:50])
    for d in deps:
        d.supplier_label = label(d, "supplier")  # type: ignore[attr-defined]
        d.consumer_label = label(d, "consumer")  # type: ignore[attr-defined]
    changes = list(list_change_requests(user, project=project.code)[:20])
    return {"dependencies": deps, "changes": changes, "thresholds": thresholds()}
