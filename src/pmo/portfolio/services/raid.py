"""Add and change a project's risks, issues, actions, decisions and assumptions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pmo.accounts.models import User
from pmo.audit.services import snapshot
from pmo.portfolio.access import require_edit
from pmo.portfolio.models import Project
from pmo.portfolio.raid import RAID_MODELS, RaidItem
from pmo.portfolio.services.common import _locked, _save_changed, _save_new, _set_fields

__all__ = ["RAID_COMMON_FIELDS", "RAID_FIELDS", "create_raid_item", "update_raid_item"]


RAID_COMMON_FIELDS = frozenset({"title", "description", "owner", "status", "due_date"})
RAID_FIELDS: dict[str, frozenset[str]] = {
    "risks": RAID_COMMON_FIELDS | {"probability", "impact", "response", "mitigation"},
    "issues": RAID_COMMON_FIELDS | {"severity", "escalation", "resolution"},
    "actions": RAID_COMMON_FIELDS,
    "decisions": RAID_COMMON_FIELDS | {"decision_status", "decided_by", "decided_on", "outcome"},
    "assumptions": RAID_COMMON_FIELDS | {"validated"},
}


@transaction.atomic
def create_raid_item(*, actor: User, project: Project, kind: str, data: dict[str, Any]) -> RaidItem:
    """Add a risk, issue, action, decision or assumption (``kind`` is the plural name)."""
    require_edit(actor, project)
    item = RAID_MODELS[kind](project=project)
    _set_fields(item, data, RAID_FIELDS[kind])
    _save_new(actor, project, item)
    return item


@transaction.atomic
def update_raid_item(
    *, actor: User, item: RaidItem, kind: str, data: dict[str, Any], version: int | None
) -> RaidItem:
    """Change a RAID entry (version-checked)."""
    model = RAID_MODELS[kind]
    item = _locked(model, item.pk)
    require_edit(actor, item.project)
    item.check_version(version)
    before = snapshot(item)
    _set_fields(item, data, RAID_FIELDS[kind])
    _save_changed(actor, item.project, item, before)
    return item
