"""Status reports: write, edit and submit them (revisions correct submitted ones), and refresh
the project's status from its newest report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import ConflictError, FieldError, ValidationFailed
from pmo.portfolio.access import require_edit
from pmo.portfolio.models import (
    DIMENSION_LABELS,
    RAG_DIMENSIONS,
    Cadence,
    Project,
    ProjectState,
    Rag,
    ReportState,
    StatusReport,
    Trend,
)
from pmo.portfolio.periods import parse_period, period_of, previous_period
from pmo.portfolio.services.common import _locked, scope_of

__all__ = [
    "REPORT_FIELDS",
    "create_status_report",
    "refresh_project_status",
    "require_reporting",
    "submit_status_report",
    "update_status_report",
]


REPORT_FIELDS = frozenset(
    {
        "overall",
        *RAG_DIMENSIONS,
        *(f"{d}_reason" for d in ("overall", *RAG_DIMENSIONS)),
        "summary",
        "achievements",
        "next_steps",
        "help_needed",
        "decision_needed",
        "percent_complete",
        "forecast_finish",
    }
)


def _quoted(label: object) -> str:
    return pgettext("quoted name", "“%(name)s”") % {"name": label}


def _check_report(report: StatusReport, *, draft: bool = False) -> None:
    """Reasons are required for amber and red, and a summary; % complete within 0..100.

    A ``draft`` may be incomplete (a red without its reason yet, no summary): only what
    could not be stored is refused. Submitting checks it all.
    """
    errors: list[dict[str, str]] = []
    for dimension in ("overall", *RAG_DIMENSIONS):
        rating = getattr(report, dimension)
        if rating not in Rag.values:
            errors.append(
                {"field": dimension, "message": _("must be 1 (green), 2 (amber) or 3 (red)")}
            )
        elif draft:
            continue
        elif rating != Rag.GREEN and not getattr(report, f"{dimension}_reason").strip():
            errors.append(
                {
                    "field": f"{dimension}_reason",
                    "message": _("a reason is required when %(dimension)s is amber or red")
                    % {"dimension": _quoted(DIMENSION_LABELS[dimension])},
                }
            )
    if report.summary is None:  # a PATCH may send null: the column holds none
        report.summary = ""
    if not draft and not report.summary.strip():
        errors.append({"field": "summary", "message": _("a summary is required")})
    if report.percent_complete is None:  # a PATCH may send null: the column holds none
        errors.append(
            {"field": "percent_complete", "message": _("a value is required; null is not allowed")}
        )
    elif not 0 <= report.percent_complete <= 100:
        errors.append({"field": "percent_complete", "message": _("must be between 0 and 100")})
    if errors:
        separator = pgettext("list of problems", "; ")
        raise ValidationFailed(
            separator.join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
        )


def require_reporting(project: Project) -> None:
    """A cancelled project no longer reports (its stop is its last word); a closed one may
    still submit its final report or correct one (ADR 0001, "Ended projects")."""
    if project.state == ProjectState.CANCELLED:
        raise ConflictError(
            _("project %(code)s is cancelled: it no longer takes status reports")
            % {"code": project.code}
        )


def _set_report_data(report: StatusReport, data: dict[str, Any]) -> None:
    for field, value in data.items():
        if field not in REPORT_FIELDS:
            raise FieldError(field, _("is not a status report field that can be set"))
        if value is None and field.endswith(
            ("_reason", "achievements", "next_steps", "help_needed")
        ):
            value = ""
        setattr(report, field, value)


@transaction.atomic
def create_status_report(
    *,
    actor: User,
    project: Project,
    period: str,
    data: dict[str, Any],
    submit: bool = True,
    today: dt.date | None = None,
) -> StatusReport:
    """Write a report for ``period`` (draft, or submitted at once).

    If the period already has a submitted report, the new one is its next
    revision (a correction); the submitted one stays as it was.
    """
    project = _locked(Project, project.pk)
    require_edit(actor, project)
    require_reporting(project)
    today = today or timezone.localdate()
    per = parse_period(period)
    if per.cadence != project.cadence:
        example = period_of(today, project.cadence).key
        # one sentence per cadence: the translation names it in words, not by its code
        message = (
            _("project %(code)s reports weekly: use a period like %(example)s")
            if project.cadence == Cadence.WEEKLY
            else _("project %(code)s reports monthly: use a period like %(example)s")
        )
        raise FieldError("period", message % {"code": project.code, "example": example})
    if per.start > today:
        raise FieldError("period", _("%(period)s has not started yet") % {"period": period})
    if StatusReport.objects.filter(
        project=project, period=per.key, state=ReportState.DRAFT
    ).exists():
        # Shown in the web form too, hence translated.
        raise ConflictError(
            _("a draft report for %(period)s exists already: edit or submit it")
            % {"period": per.key}
        )
    current = StatusReport.objects.filter(project=project, period=per.key, is_current=True).first()
    last_revision = (
        StatusReport.objects.filter(project=project, period=per.key).aggregate(
            m=models.Max("revision")
        )["m"]
        or 0
    )
    report = StatusReport(
        project=project,
        period=per.key,
        period_start=per.start,
        period_end=per.end,
        revision=last_revision + 1,
        supersedes=current,
        author=actor,
        percent_complete=project.percent_complete,
        forecast_finish=project.forecast_finish,
    )
    if current is not None:  # a revision starts from the report it corrects
        for field in REPORT_FIELDS:
            setattr(report, field, getattr(current, field))
    _set_report_data(report, data)
    _check_report(report, draft=not submit)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ConflictError(
            _("another report for %(period)s was written at the same time; reload")
            % {"period": per.key}
        ) from None
    # a revision records what it corrects (the report's content), not its bookkeeping (a new
    # id, the draft state, the phase and trend that submitting sets again)
    content = sorted(REPORT_FIELDS)
    changes = (
        diff(snapshot(current, content), snapshot(report, content))
        if current
        else diff({}, snapshot(report))
    )
    record(
        actor=actor,
        action=AuditAction.CREATE if current is None else AuditAction.REVISE,
        instance=report,
        scope=scope_of(project),
        changes=changes,
    )
    if submit:
        _submit(actor, project, report)
    return report


@transaction.atomic
def update_status_report(
    *,
    actor: User,
    report: StatusReport,
    data: dict[str, Any],
    version: int | None,
    submit: bool = False,
) -> StatusReport:
    """Edit a draft, which may stay incomplete; with ``submit`` it must be complete and is
    submitted too, in the same transaction. Submitted reports are immutable: write a
    revision instead (409)."""
    report = _locked(StatusReport, report.pk)
    require_edit(actor, report.project)
    require_reporting(report.project)
    if report.state != ReportState.DRAFT:
        raise ConflictError(
            _(
                "report %(period)s r%(revision)s is submitted and cannot change; "
                "create a new revision for the period instead"
            )
            % {"period": report.period, "revision": report.revision}
        )
    report.check_version(version)
    before = snapshot(report)
    _set_report_data(report, data)
    _check_report(report, draft=not submit)
    report.version += 1
    report.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=report,
        scope=scope_of(report.project),
        changes=diff(before, snapshot(report)),
    )
    if submit:
        _submit(actor, _locked(Project, report.project_id), report)
    return report


@transaction.atomic
def submit_status_report(*, actor: User, report: StatusReport, version: int | None) -> StatusReport:
    """Submit a draft: from now on it is immutable and counts in the status center."""
    report = _locked(StatusReport, report.pk)
    project = _locked(Project, report.project_id)
    require_edit(actor, project)
    require_reporting(project)
    if report.state != ReportState.DRAFT:
        raise ConflictError(
            _("report %(period)s r%(revision)s is submitted already")
            % {"period": report.period, "revision": report.revision}
        )
    report.check_version(version)
    _check_report(report)
    _submit(actor, project, report)
    return report


def _trend(previous: int | None, current: int) -> int | None:
    if previous is None:
        return None
    if current < previous:
        return Trend.BETTER
    return Trend.WORSE if current > previous else Trend.SAME


def _submit(actor: User, project: Project, report: StatusReport) -> None:
    """Make ``report`` the current one of its period and refresh the project's status."""
    StatusReport.objects.filter(project=project, period=report.period, is_current=True).update(
        is_current=False
    )
    prev_key = previous_period(parse_period(report.period)).key
    previous = StatusReport.objects.filter(
        project=project, period=prev_key, is_current=True
    ).first()
    report.state = ReportState.SUBMITTED
    report.is_current = True
    report.phase = project.phase  # history keeps the phase, so past one-pagers reproduce
    report.submitted_at = timezone.now()
    report.trend = _trend(previous.overall if previous else None, report.overall)
    report.version += 1
    report.save()
    # A correction of an older period changes the next period's trend too.
    later = (
        StatusReport.objects.filter(
            project=project, is_current=True, period_end__gt=report.period_end
        )
        .order_by("period_end")
        .first()
    )
    if later is not None and later.period_start == report.period_end + dt.timedelta(days=1):
        StatusReport.objects.filter(pk=later.pk).update(trend=_trend(report.overall, later.overall))
    record(
        actor=actor,
        action=AuditAction.SUBMIT,
        instance=report,
        scope=scope_of(project),
        changes={"state": [ReportState.DRAFT, ReportState.SUBMITTED]},
    )
    refresh_project_status(actor=actor, project=project)


def refresh_project_status(*, actor: User | None, project: Project) -> None:
    """Point the project at its newest current report and copy the headline figures."""
    latest = (
        StatusReport.objects.filter(project=project, is_current=True)
        .order_by("-period_end")
        .first()
    )
    before = snapshot(project, ["percent_complete", "forecast_finish"])
    project.latest_report = latest
    project.trend = latest.trend if latest else None
    if latest is not None:
        project.percent_complete = latest.percent_complete
        if latest.forecast_finish:
            project.forecast_finish = latest.forecast_finish
    project.save(
        update_fields=[
            "latest_report",
            "trend",
            "percent_complete",
            "forecast_finish",
            "updated_at",
        ]
    )
    changes = diff(before, snapshot(project, ["percent_complete", "forecast_finish"]))
    if changes:
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=project,
            scope=scope_of(project),
            changes=changes,
        )
