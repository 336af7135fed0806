"""Add and change a project's risks, issues, actions, decisions and assumptions.

A decision still needed has nobody who decided it and no day it was decided: a decision saved
as "Decision needed" with either filled in is refused, naming the field (the form and the API
alike). Recording a decision as taken without its day stamps today, as decision logs do; the
day can be changed afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.services import snapshot
from pmo.core.errors import ValidationFailed
from pmo.portfolio.access import require_edit
from pmo.portfolio.models import Project
from pmo.portfolio.raid import RAID_MODELS, Decision, DecisionStatus, RaidItem, RaidStatus
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


def _check_decision(item: RaidItem, was: str | None, today: dt.date | None) -> None:
    """Refuse a decision needed that names who decided or when, or is closed; stamp a
    decision newly recorded as taken with today when it has no day."""
    if not isinstance(item, Decision):
        return
    if item.decision_status == DecisionStatus.PENDING:
        errors = [
            {
                "field": field,
                "message": _(
                    "must stay empty while the decision is still needed: "
                    "choose “Decided” or clear it"
                ),
            }
            for field in ("decided_by", "decided_on")
            if getattr(item, field)
        ]
        if item.status == RaidStatus.CLOSED:  # the page offers no Close for it; nor does the API
            errors.append(
                {
                    "field": "status",
                    "message": _(
                        "a decision still needed stays open: record it as decided or "
                        "withdrawn to close it"
                    ),
                }
            )
        if errors:
            raise ValidationFailed(
                "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
            )
    elif (
        item.decision_status == DecisionStatus.DECIDED
        and was != DecisionStatus.DECIDED
        and item.decided_on is None
    ):
        item.decided_on = today or timezone.localdate()


@transaction.atomic
def create_raid_item(
    *,
    actor: User,
    project: Project,
    kind: str,
    data: dict[str, Any],
    today: dt.date | None = None,
) -> RaidItem:
    """Add a risk, issue, action, decision or assumption (``kind`` is the plural name)."""
    require_edit(actor, project)
    item = RAID_MODELS[kind](project=project)
    _set_fields(item, data, RAID_FIELDS[kind])
    _check_decision(item, None, today)
    _save_new(actor, project, item)
    return item


@transaction.atomic
def update_raid_item(
    *,
    actor: User,
    item: RaidItem,
    kind: str,
    data: dict[str, Any],
    version: int | None,
    today: dt.date | None = None,
) -> RaidItem:
    """Change a RAID entry (version-checked); closing or reopening one is a change of its
    ``status``."""
    model = RAID_MODELS[kind]
    item = _locked(model, item.pk)
    require_edit(actor, item.project)
    item.check_version(version)
    before = snapshot(item)
    was = getattr(item, "decision_status", None)
    _set_fields(item, data, RAID_FIELDS[kind])
    _check_decision(item, was, today)
    _save_changed(actor, item.project, item, before)
    return item
