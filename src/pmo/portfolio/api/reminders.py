"""REST endpoint of the reminders to report: the PMO chases the managers of projects whose
status report for the period due is missing (as the status center's "Remind" buttons and
``pmo remind-reports`` do)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from pmo.accounts.models import user_of
from pmo.core.api import Body
from pmo.portfolio.api.schemas.common import PersonRef, _person
from pmo.portfolio.services.reminders import (
    projects_by_code,
    remind_reports,
    require_reminding,
)

router = Router(tags=["projects"])

ProjectCode = Annotated[str, Field(min_length=1, max_length=40)]


class ReportReminderIn(Body):
    projects: list[ProjectCode] | None = Field(
        None,
        min_length=1,
        max_length=1000,
        description="the projects' codes; left out: every project missing its report",
    )


class ReportReminderOut(Schema):
    project: str
    period: str = Field(description="the period whose report is missing, 2026-W40 or 2026-10")
    day: dt.date
    manager: PersonRef | None


class ReportReminderSkippedOut(Schema):
    project: str
    reason: Literal["reminded_today", "no_manager", "not_missing"] = Field(
        description="reminded today already, no manager who signs in, or the report is in"
    )


class ReportRemindersOut(Schema):
    sent: list[ReportReminderOut]
    skipped: list[ReportReminderSkippedOut]
    message: str = Field(description="what was sent and skipped, in one line")


@router.post(
    "/report-reminders",
    response=ReportRemindersOut,
    summary="Remind project managers of their missing status reports (PMO)",
)
def remind(request: HttpRequest, payload: ReportReminderIn) -> dict[str, Any]:
    """At most one reminder a project and day; each reminded manager gets a notification."""
    user = user_of(request)
    require_reminding(user)  # a 403 before the codes are looked at
    projects = (
        None if payload.projects is None else projects_by_code(user, payload.projects, "projects")
    )
    result = remind_reports(actor=user, projects=projects)
    return {
        "sent": [
            {
                "project": r.project.code,
                "period": r.period,
                "day": r.day,
                "manager": _person(r.manager),
            }
            for r in result.sent
        ],
        "skipped": [{"project": s.project.code, "reason": s.reason} for s in result.skipped],
        "message": result.message(),
    }
