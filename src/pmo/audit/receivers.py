"""What the audit app records for the apps below it, which cannot import it: org units
created or changed through the accounts services (the API), like the admin's changes."""

from __future__ import annotations

from typing import Any

__all__ = ["connect"]


def _org_unit_changed(
    sender: Any, unit: Any, actor: Any, action: str, changes: dict[str, list[Any]], **kwargs: Any
) -> None:
    from pmo.audit.services import record

    record(
        actor=actor, action=action, instance=unit, scope=f"org-unit:{unit.code}", changes=changes
    )


def connect() -> None:
    """Called once from ``AuditConfig.ready()``."""
    from pmo.accounts.signals import org_unit_changed

    org_unit_changed.connect(_org_unit_changed, dispatch_uid="audit.org_unit_changed")
