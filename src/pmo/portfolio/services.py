"""Portfolio use-cases: every write goes through here (permission, validation, version, audit).

Inputs are plain dicts of already-typed values (from API schemas or forms);
references arrive as codes or ids and are resolved here, so a bad reference
is reported against the field that carried it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import OrgUnit, Person, User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError, ValidationFailed
from pmo.portfolio.access import can_create_project, require_edit
from pmo.portfolio.models import (
    RAG_DIMENSIONS,
    Cadence,
    Milestone,
    Portfolio,
    Program,
    Project,
    ProjectState,
    Rag,
    ReportState,
    StatusReport,
    Trend,
)
from pmo.portfolio.periods import parse_period, period_of, previous_period
from pmo.portfolio.raid import RAID_MODELS, RaidItem
from pmo.portfolio.signals import send_if_ended

__all__ = [
    "create_milestone",
    "create_project",
    "create_raid_item",
    "create_status_report",
    "require_reporting",
    "submit_status_report",
    "update_milestone",
    "update_project",
    "update_raid_item",
    "update_status_report",
]

# Fields only the PMO may change; a PM edits the rest of their own project.
PMO_ONLY_FIELDS = frozenset(
    {
        "code",
        "portfolio",
        "program",
        "pmo_type",
        "priority",
        "strategic",
        "org_unit",
        "sponsor",
        "manager",
        "baseline_finish",
        "state",
    }
)
PROJECT_FIELDS = (
    frozenset(
        {
            "name",
            "name_zh",
            "description",
            "phase",
            "cadence",
            "start_date",
            "planned_finish",
            "forecast_finish",
            "budget",
            "currency",
            "percent_complete",
        }
    )
    | PMO_ONLY_FIELDS
)


def scope_of(project: Project) -> str:
    """The audit scope that groups a project's history."""
    return f"project:{project.pk}"


def _locked(model: Any, pk: int) -> Any:
    """Re-read a row under a write lock, with the project manager needed for the edit check.

    Only the row itself is locked (PostgreSQL refuses FOR UPDATE on the nullable side of
    the outer joins that ``select_related`` adds).
    """
    related = "manager" if model is Project else "project__manager"
    return model._default_manager.select_for_update(of=("self",)).select_related(related).get(pk=pk)


def _full_clean(instance: models.Model, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from None


def _resolve(model: type[models.Model], field: str, value: Any, key: str = "code") -> Any:
    """Turn a code / id into an instance (``None`` stays ``None``); unknown ones name ``field``."""
    if value is None or value == "":
        return None
    obj = model._default_manager.filter(**{key: value}).first()
    if obj is None:
        raise FieldError(
            field,
            _("no %(model)s with %(key)s %(value)s")
            % {"model": model._meta.verbose_name, "key": key, "value": repr(value)},
        )
    return obj


def _apply_project_data(project: Project, data: dict[str, Any]) -> None:
    refs = {
        "portfolio": (Portfolio, "code"),
        "program": (Program, "code"),
        "org_unit": (OrgUnit, "code"),
        "sponsor": (Person, "pk"),
        "manager": (Person, "pk"),
    }
    for field, value in data.items():
        if field not in PROJECT_FIELDS:
            raise FieldError(field, _("is not a project field that can be set"))
        if field in refs:
            model, key = refs[field]
            resolved = _resolve(model, field, value, key)
            if resolved is None and field in {"portfolio", "org_unit"}:
                raise FieldError(field, _("is required"))
            setattr(project, field, resolved)
        else:
            setattr(
                project,
                field,
                value
                if value is not None or field not in {"name", "name_zh", "description", "currency"}
                else "",
            )
    if (
        project.program is not None
        and project.portfolio_id
        and project.program.portfolio_id != project.portfolio_id
    ):
        raise FieldError("program", _("belongs to another portfolio than the project"))


def _check_project_dates(project: Project, changed: set[str] | None = None) -> None:
    """A finish before the start is a typo: refused at the finish field (only for the fields
    being changed, so a project stored that way can still be edited otherwise)."""
    start = project.start_date
    if start is None:
        return
    for field in ("planned_finish", "baseline_finish", "forecast_finish"):
        finish = getattr(project, field)
        if changed is not None and field not in changed and "start_date" not in changed:
            continue
        if finish is not None and finish < start:
            raise FieldError(
                field,
                _("%(finish)s is before the start %(start)s")
                % {"finish": finish.isoformat(), "start": start.isoformat()},
            )


@transaction.atomic
def create_project(*, actor: User, data: dict[str, Any]) -> Project:
    """Open a new project in the portfolio (PMO only)."""
    if not can_create_project(actor):
        raise PermissionDeniedError(_("only the PMO may create projects"))
    if not data.get("code"):
        raise FieldError("code", _("is required"))
    if Project.objects.filter(code=data["code"]).exists():
        raise FieldError(
            "code",
            _("a project with code %(code)s exists already") % {"code": repr(data["code"])},
        )
    project = Project()
    _apply_project_data(project, data)
    if project.baseline_finish is None:
        project.baseline_finish = project.planned_finish
    if project.forecast_finish is None:
        project.forecast_finish = project.planned_finish
    _full_clean(project, exclude=["latest_report"])
    _check_project_dates(project)
    project.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=project,
        scope=scope_of(project),
        changes=diff({}, snapshot(project)),
    )
    return project


@transaction.atomic
def update_project(
    *, actor: User, project: Project, data: dict[str, Any], version: int | None
) -> Project:
    """Change a project's fields; ``version`` must match the stored one (else 409)."""
    project = _locked(Project, project.pk)
    require_edit(actor, project)
    project.check_version(version)
    if not actor.is_pmo:
        for field in data:
            if field in PMO_ONLY_FIELDS:
                message = _("only the PMO may change this field")
                raise PermissionDeniedError(
                    f"{field}: {message}", errors=[{"field": field, "message": message}]
                )
    if (
        "code" in data
        and data["code"] != project.code
        and Project.objects.filter(code=data["code"]).exists()
    ):
        raise FieldError(
            "code",
            _("a project with code %(code)s exists already") % {"code": repr(data["code"])},
        )
    before = snapshot(project)
    _apply_project_data(project, data)
    _full_clean(project, exclude=["latest_report"])
    _check_project_dates(project, changed=set(data))
    changes = diff(before, snapshot(project))
    if changes:
        project.version += 1
        project.save()
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=project,
            scope=scope_of(project),
            changes=changes,
        )
        send_if_ended(
            project=project, before=before["state"], actor=actor, day=timezone.localdate()
        )
    return project


# --- status reports ---------------------------------------------------------------------------

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


def _check_report(report: StatusReport) -> None:
    """Reasons are required for amber and red; % complete within 0..100."""
    errors: list[dict[str, str]] = []
    for dimension in ("overall", *RAG_DIMENSIONS):
        rating = getattr(report, dimension)
        if rating not in Rag.values:
            errors.append(
                {"field": dimension, "message": _("must be 1 (green), 2 (amber) or 3 (red)")}
            )
        elif rating != Rag.GREEN and not getattr(report, f"{dimension}_reason").strip():
            errors.append(
                {
                    "field": f"{dimension}_reason",
                    "message": _("a reason is required when %(dimension)s is amber or red")
                    % {"dimension": dimension},
                }
            )
    if not (report.summary or "").strip():
        errors.append({"field": "summary", "message": _("a summary is required")})
    if not 0 <= report.percent_complete <= 100:
        errors.append({"field": "percent_complete", "message": _("must be between 0 and 100")})
    if errors:
        raise ValidationFailed(
            "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
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
    _check_report(report)
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
    *, actor: User, report: StatusReport, data: dict[str, Any], version: int | None
) -> StatusReport:
    """Edit a draft. Submitted reports are immutable: write a revision instead (409)."""
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
    _check_report(report)
    report.version += 1
    report.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=report,
        scope=scope_of(report.project),
        changes=diff(before, snapshot(report)),
    )
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


# --- milestones and RAID ----------------------------------------------------------------------

MILESTONE_FIELDS = frozenset(
    {"name", "name_zh", "baseline_date", "forecast_date", "actual_date", "is_key"}
)
RAID_COMMON_FIELDS = frozenset({"title", "description", "owner", "status", "due_date"})
RAID_FIELDS: dict[str, frozenset[str]] = {
    "risks": RAID_COMMON_FIELDS | {"probability", "impact", "response", "mitigation"},
    "issues": RAID_COMMON_FIELDS | {"severity", "escalation", "resolution"},
    "actions": RAID_COMMON_FIELDS,
    "decisions": RAID_COMMON_FIELDS | {"decision_status", "decided_by", "decided_on", "outcome"},
    "assumptions": RAID_COMMON_FIELDS | {"validated"},
}


def _set_fields(instance: models.Model, data: dict[str, Any], allowed: frozenset[str]) -> None:
    for field, value in data.items():
        if field not in allowed:
            # the model's name in the reader's language ("risk", "milestone" in English)
            what = instance._meta.verbose_name
            raise FieldError(field, _("is not a %(what)s field that can be set") % {"what": what})
        if field == "owner":
            value = _resolve(Person, "owner", value, "pk")
        elif value is None and isinstance(
            instance._meta.get_field(field), models.CharField | models.TextField
        ):
            value = ""
        setattr(instance, field, value)


def _save_new(actor: User, project: Project, instance: models.Model) -> None:
    _full_clean(instance)
    instance.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=instance,
        scope=scope_of(project),
        changes=diff({}, snapshot(instance)),
    )


def _save_changed(actor: User, project: Project, instance: Any, before: dict[str, Any]) -> None:
    _full_clean(instance)
    changes = diff(before, snapshot(instance))
    if changes:
        instance.version += 1
        instance.save()
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=instance,
            scope=scope_of(project),
            changes=changes,
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
