"""Add and change a project's milestones.

A milestone a project's plan drives (a milestone task of the plan, registered by scheduling as
a :class:`~pmo.portfolio.extensions.MilestoneDriver`) takes its name and dates from the plan at
every recompute; changing them here would last only until then, so it is refused (409 naming
the field) and the pages show them read-only with a link to the plan. A project with a plan
takes no milestone by hand (the next import of the plan would replace it, ADR 0003): adding one
is refused (409) and the project page links to the plan instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.services import snapshot
from pmo.core.errors import ConflictError, FieldError
from pmo.portfolio.access import require_edit
from pmo.portfolio.extensions import registry
from pmo.portfolio.models import Milestone, Project
from pmo.portfolio.services.common import _locked, _save_changed, _save_new, _set_fields

__all__ = [
    "MILESTONE_FIELDS",
    "PLAN_MILESTONE_FIELDS",
    "create_milestone",
    "driven_milestones",
    "milestones_source",
    "update_milestone",
]


MILESTONE_FIELDS = frozenset(
    {"name", "name_zh", "baseline_date", "forecast_date", "actual_date", "is_key"}
)
PLAN_MILESTONE_FIELDS = ("name", "baseline_date", "forecast_date", "actual_date", "is_key")
"""What a plan's recompute writes into the milestones it drives (scheduling's ``_sync_project``)."""


def driven_milestones(project: Project) -> dict[int, str]:
    """The project's milestones another app sets (its plan), by id, with the address of the
    page where they are changed."""
    driven: dict[int, str] = {}
    for driver in registry.milestone_drivers:
        ids = driver.driven(project)
        if ids:
            url = driver.url(project)
            driven.update(dict.fromkeys(ids, url))
    return driven


def milestones_source(project: Project) -> str | None:
    """The address of the page that sets all of the project's milestones (its plan), or
    ``None`` when they are entered on the project page."""
    for driver in registry.milestone_drivers:
        if driver.owns_all is not None and driver.owns_all(project):
            return driver.url(project)
    return None


def _field_label(name: str) -> str:
    field = Milestone._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _check_actual(milestone: Milestone, data: dict[str, Any], today: dt.date | None) -> None:
    """An actual date records what has happened: it cannot lie after today."""
    actual = data.get("actual_date")
    if actual is None or actual == milestone.actual_date:
        return  # unchanged (a date stored before this rule stays until someone changes it)
    today = today or timezone.localdate()
    if actual > today:
        raise FieldError(
            "actual_date",
            _("cannot be later than today (%(today)s), as it is the day the milestone was reached")
            % {"today": today.isoformat()},
        )


@transaction.atomic
def create_milestone(
    *, actor: User, project: Project, data: dict[str, Any], today: dt.date | None = None
) -> Milestone:
    """Add a milestone to a project; refused for a project whose plan sets its milestones."""
    require_edit(actor, project)
    if milestones_source(project) is not None:
        raise ConflictError(
            _(
                "this project's milestones come from its plan: add a milestone task in the plan "
                "(importing the plan again would remove a milestone added here)"
            )
        )
    milestone = Milestone(project=project)
    _check_actual(milestone, data, today)
    _set_fields(milestone, data, MILESTONE_FIELDS)
    if milestone.forecast_date is None:
        milestone.forecast_date = milestone.baseline_date
    _save_new(actor, project, milestone)
    return milestone


@transaction.atomic
def update_milestone(
    *,
    actor: User,
    milestone: Milestone,
    data: dict[str, Any],
    version: int | None,
    today: dt.date | None = None,
) -> Milestone:
    """Change a milestone (version-checked); what the project's plan sets is refused."""
    milestone = _locked(Milestone, milestone.pk)
    require_edit(actor, milestone.project)
    milestone.check_version(version)
    if milestone.pk in driven_milestones(milestone.project):
        for field in PLAN_MILESTONE_FIELDS:
            if field in data and data[field] != getattr(milestone, field):
                raise ConflictError(
                    _(
                        "the project's plan sets this milestone's %(what)s: "
                        "change the milestone in the plan"
                    )
                    % {"what": _field_label(field)},
                    field=field,
                )
    _check_actual(milestone, data, today)
    before = snapshot(milestone)
    _set_fields(milestone, data, MILESTONE_FIELDS)
    _save_changed(actor, milestone.project, milestone, before)
    return milestone
