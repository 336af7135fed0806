"""Extension point for apps above scheduling that keep rows pointing at a plan's tasks.

Replacing a plan (an import) deletes the old tasks and the project's milestones. An app whose
rows point at them (cross-project dependencies, change requests) registers a
:data:`PLAN_REPLACE_HOOKS` function in its ``AppConfig.ready()``: scheduling never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pmo.accounts.models import User
    from pmo.portfolio.models import Project
    from pmo.scheduling.models import Plan

__all__ = ["PLAN_REPLACE_HOOKS", "AfterReplace", "PlanReplaceHook", "register_plan_replace_hook"]

#: Called with the new plan once it is stored, scheduled and the project's milestones synced;
#: raising a ``DomainError`` refuses the import (the transaction rolls back).
AfterReplace = Callable[["Plan"], None]

#: Called as ``hook(actor, project)`` inside ``replace_plan``'s transaction, before the old plan
#: and milestones are deleted; returns what to do once the new plan is in place.
PlanReplaceHook = Callable[["User | None", "Project"], AfterReplace]

PLAN_REPLACE_HOOKS: list[PlanReplaceHook] = []


def register_plan_replace_hook(hook: PlanReplaceHook) -> None:
    """Add ``hook`` once (``ready()`` may run more than once in tests)."""
    if hook not in PLAN_REPLACE_HOOKS:
        PLAN_REPLACE_HOOKS.append(hook)
