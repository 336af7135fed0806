"""Add and change a project's milestones."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pmo.accounts.models import User
from pmo.audit.services import snapshot
from pmo.portfolio.access import require_edit
from pmo.portfolio.models import Milestone, Project
from pmo.portfolio.services.common import _locked, _save_changed, _save_new, _set_fields

__all__ = ["MILESTONE_FIELDS", "create_milestone", "update_milestone"]


MILESTONE_FIELDS = frozenset(
    {"name", "name_zh", "baseline_date", "forecast_date", "actual_date", "is_key"}
)


@transaction.atomic
def create_milestone(*, actor: User, project: Project, data: dict[str, Any]) -> Milestone:
    """Add a milestone to a project."""
    require_edit(actor, project)
    milestone = Milestone(project=project)
    _set_fields(milestone, data, MILESTONE_FIELDS)
    if milestone.forecast_date is None:
        milestone.forecast_date = milestone.baseline_date
    _save_new(actor, project, milestone)
    return milestone


@transaction.atomic
def update_milestone(
    *, actor: User, milestone: Milestone, data: dict[str, Any], version: int | None
) -> Milestone:
    """Change a milestone (version-checked)."""
    milestone = _locked(Milestone, milestone.pk)
    require_edit(actor, milestone.project)
    milestone.check_version(version)
    before = snapshot(milestone)
    _set_fields(milestone, data, MILESTONE_FIELDS)
    _save_changed(actor, milestone.project, milestone, before)
    return milestone
