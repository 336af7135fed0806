"""Open and change projects (the PMO-only fields, references by code, date checks)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts.models import OrgUnit, Person, User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import FieldError, PermissionDeniedError, ValidationFailed
from pmo.core.sentences import quoted
from pmo.portfolio.access import can_create_project, require_edit
from pmo.portfolio.currencies import check_currency, normalize
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.portfolio.services.common import _locked, _resolve, scope_of
from pmo.portfolio.signals import send_if_ended

__all__ = [
    "PMO_ONLY_FIELDS",
    "PROJECT_FIELDS",
    "check_new_code",
    "check_project",
    "code_problem",
    "create_project",
    "fill_finish_dates",
    "project_problems",
    "update_project",
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
        elif field == "currency":
            # a code stored before codes were checked is kept while it is not changed
            code = normalize(value)
            project.currency = code if code == project.currency else check_currency(value)
        else:
            setattr(
                project,
                field,
                value
                if value is not None or field not in {"name", "name_zh", "description", "currency"}
                else "",
            )


def check_project(project: Project, *, changed: set[str] | None = None) -> None:
    """The rules a project's fields obey beyond the model's own, as the services apply them:
    its program is of its portfolio, no finish before its start (only the ``changed`` fields
    are checked, all when ``None``). For the admin form, which saves without the services.
    Raises the first of :func:`project_problems`."""
    problems = project_problems(project, changed=changed)
    if problems:
        raise problems[0]


def project_problems(project: Project, *, changed: set[str] | None = None) -> list[FieldError]:
    """Every rule of :func:`check_project` that ``project`` (saved or not) breaks, each at its
    field, in the order the services check them: for a form that says all at once. A value
    not known yet (``None``) breaks none."""
    problem = _program_problem(project)
    return ([problem] if problem else []) + _date_problems(project, changed)


def _program_problem(project: Project) -> FieldError | None:
    if (
        project.program is not None
        and project.portfolio_id
        and project.program.portfolio_id != project.portfolio_id
    ):
        return FieldError("program", _("belongs to another portfolio than the project"))
    return None


def check_new_code(code: str, *, project: Project | None = None) -> None:
    """Refuse a new project's ``code`` (or ``project``'s new code) that another project has,
    also one that differs by case only: exports, reports and the command line name projects
    by code. A project may change the case of its own code."""
    problem = code_problem(code, project=project)
    if problem is not None:
        raise problem


def code_problem(code: str, *, project: Project | None = None) -> FieldError | None:
    """What :func:`check_new_code` refuses, at the ``code`` field (``None``: free)."""
    taken = Project.objects.filter(code__iexact=code)
    if project is not None and project.pk is not None:
        taken = taken.exclude(pk=project.pk)
    existing = taken.values_list("code", flat=True).first()
    if existing is None:
        return None
    if existing == code:
        return FieldError(
            "code", _("a project with code %(code)s exists already") % {"code": quoted(existing)}
        )
    return FieldError(
        "code",
        _("project %(code)s exists already: codes may not differ by case only")
        % {"code": quoted(existing)},
    )


def fill_finish_dates(project: Project) -> None:
    """A new project's baseline and forecast finish start from its planned finish."""
    if project.baseline_finish is None:
        project.baseline_finish = project.planned_finish
    if project.forecast_finish is None:
        project.forecast_finish = project.planned_finish


def _refuse_problems(
    project: Project, *, changed: set[str] | None = None, found: list[FieldError] | None = None
) -> None:
    """Refuse ``project`` with every problem at once: those ``found`` before (its code), its
    fields' own checks (the model's) and the rules of :func:`project_problems` on the fields
    that passed them. One rule broken is a :class:`FieldError`; anything more, or a field's
    own check, a :class:`ValidationFailed` listing each at its field (both 422, ``detail``
    naming each)."""
    problems = list(found or [])
    errors: list[dict[str, str]] = []
    try:
        project.full_clean(
            exclude=["latest_report"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        errors = ValidationFailed.from_django(exc).errors
    in_error = {e["field"] for e in errors}
    problems += [p for p in project_problems(project, changed=changed) if p.field not in in_error]
    if len(problems) == 1 and not errors:
        raise problems[0]
    errors = [e for problem in problems for e in problem.errors] + errors
    if errors:
        separator = pgettext("list of problems", "; ")
        raise ValidationFailed(
            separator.join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
        )


def _date_problems(project: Project, changed: set[str] | None = None) -> list[FieldError]:
    start = project.start_date
    if start is None:
        return []
    problems = []
    for field in ("planned_finish", "baseline_finish", "forecast_finish"):
        finish = getattr(project, field)
        if changed is not None and field not in changed and "start_date" not in changed:
            continue
        if finish is not None and finish < start:
            problems.append(
                FieldError(
                    field,
                    _("%(finish)s is before the start %(start)s")
                    % {"finish": finish.isoformat(), "start": start.isoformat()},
                )
            )
    return problems


@transaction.atomic
def create_project(*, actor: User, data: dict[str, Any]) -> Project:
    """Open a new project in the portfolio (PMO only)."""
    if not can_create_project(actor):
        raise PermissionDeniedError(_("only the PMO may create projects"))
    if not data.get("code"):
        raise FieldError("code", _("is required"))
    taken = code_problem(str(data["code"]))
    project = Project()
    _apply_project_data(project, data)
    # checked before the baseline and forecast finish are copied from the planned finish:
    # a planned finish before the start is one problem, not three
    _refuse_problems(project, found=[taken] if taken else [])
    fill_finish_dates(project)
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
    taken = None
    if "code" in data and data["code"] != project.code:
        taken = code_problem(str(data["code"] or ""), project=project)
    before = snapshot(project)
    _apply_project_data(project, data)
    _refuse_problems(project, changed=set(data), found=[taken] if taken else [])
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
