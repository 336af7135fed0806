"""Create and change portfolios and programs: the frame projects are filed in (PMO only).

A new organisation needs at least one portfolio before its first project; without these
functions only the admin site could make one. Codes follow the projects' rule: unique, and
not different from another one's by case only (exports, reports and the command line name
them by code).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts.models import Person, User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import FieldError, PermissionDeniedError, ValidationFailed
from pmo.core.sentences import quoted
from pmo.portfolio.models import Portfolio, Program

__all__ = [
    "create_portfolio",
    "create_program",
    "require_structure_editor",
    "scope_of_frame",
    "update_portfolio",
    "update_program",
]

_TEXT_FIELDS = ("name", "name_zh", "description")


def require_structure_editor(actor: User) -> None:
    """Only the PMO (members and admins) files portfolios and programs."""
    if not actor.is_pmo:
        raise PermissionDeniedError(_("only the PMO may create or change portfolios and programs"))


def scope_of_frame(frame: Portfolio | Program) -> str:
    """The audit scope of a portfolio's or program's history (as the admin site files it)."""
    return f"{frame._meta.model_name}:{frame.pk}"


def _code_problem(model: type[Model], code: str, *, instance: Model | None) -> FieldError | None:
    taken = model._default_manager.filter(code__iexact=code)
    if instance is not None and instance.pk is not None:
        taken = taken.exclude(pk=instance.pk)
    existing = taken.values_list("code", flat=True).first()
    if existing is None:
        return None
    noun = model._meta.verbose_name
    if existing == code:
        return FieldError(
            "code",
            _("a %(noun)s with code %(code)s exists already")
            % {"noun": noun, "code": quoted(code)},
        )
    return FieldError(
        "code",
        _("%(noun)s %(code)s exists already: codes may not differ by case only")
        % {"noun": noun, "code": quoted(existing)},
    )


def _apply_code(
    frame: Portfolio | Program, data: dict[str, Any], problems: list[FieldError]
) -> None:
    if "code" not in data:
        return
    if not data["code"]:
        problems.append(FieldError("code", _("is required")))
    elif data["code"] != frame.code:
        taken = _code_problem(type(frame), data["code"], instance=frame)
        problems += [taken] if taken else []
        frame.code = data["code"]


def _apply_text(
    frame: Portfolio | Program, data: dict[str, Any], problems: list[FieldError]
) -> None:
    for field in _TEXT_FIELDS:
        if field not in data:
            continue
        value = (data[field] or "").strip()
        if field == "name" and not value:
            problems.append(FieldError("name", _("is required and may not be blank")))
        setattr(frame, field, value)


def _manager(person_id: int | None, problems: list[FieldError]) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        problems.append(FieldError("manager", _("no person with id %(id)s") % {"id": person_id}))
    return person


def _portfolio(code: str | None, problems: list[FieldError]) -> Portfolio | None:
    if not code:
        problems.append(FieldError("portfolio", _("is required")))
        return None
    portfolio = Portfolio.objects.filter(code=code).first()
    if portfolio is None:
        problems.append(
            FieldError(
                "portfolio", _("no portfolio with code %(code)s") % {"code": quoted(code or "")}
            )
        )
    return portfolio


def _save(
    actor: User, frame: Portfolio | Program, before: dict[str, Any], problems: list[FieldError]
) -> None:
    if len(problems) == 1:
        raise problems[0]
    if problems:
        errors = [e for problem in problems for e in problem.errors]
        separator = pgettext("list of problems", "; ")
        raise ValidationFailed(
            separator.join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
        )
    created = frame.pk is None
    changes = diff(before, snapshot(frame))
    if not created and not changes:
        return
    if not created:
        frame.version += 1
    frame.save()
    record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=frame,
        scope=scope_of_frame(frame),
        changes=changes,
    )


@transaction.atomic
def create_portfolio(*, actor: User, data: dict[str, Any]) -> Portfolio:
    """A new portfolio: ``code``, ``name``, optional ``name_zh`` and ``description``."""
    require_structure_editor(actor)
    portfolio = Portfolio(code=data["code"])
    problems = [p for p in [_code_problem(Portfolio, data["code"], instance=None)] if p]
    _apply_text(portfolio, data, problems)
    _save(actor, portfolio, {}, problems)
    return portfolio


@transaction.atomic
def update_portfolio(
    *, actor: User, portfolio: Portfolio, data: dict[str, Any], version: int | None
) -> Portfolio:
    """Rename a portfolio or change its code or description (``version`` checked, else 409)."""
    require_structure_editor(actor)
    portfolio = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
    portfolio.check_version(version)
    before = snapshot(portfolio)
    problems: list[FieldError] = []
    _apply_code(portfolio, data, problems)
    _apply_text(portfolio, data, problems)
    _save(actor, portfolio, before, problems)
    return portfolio


@transaction.atomic
def create_program(*, actor: User, data: dict[str, Any]) -> Program:
    """A new program of a portfolio: ``code``, ``name``, ``portfolio`` (code), optional
    ``name_zh``, ``description`` and ``manager`` (a person's id)."""
    require_structure_editor(actor)
    problems = [p for p in [_code_problem(Program, data["code"], instance=None)] if p]
    portfolio = _portfolio(data.get("portfolio"), problems)
    program = Program(code=data["code"], portfolio=portfolio)
    _apply_text(program, data, problems)
    program.manager = _manager(data.get("manager"), problems)
    _save(actor, program, {}, problems)
    return program


@transaction.atomic
def update_program(
    *, actor: User, program: Program, data: dict[str, Any], version: int | None
) -> Program:
    """Change a program (``version`` checked, else 409). It moves to another portfolio only
    while none of its projects is filed in its current one: a project's program must be of
    the project's portfolio."""
    require_structure_editor(actor)
    program = Program.objects.select_for_update().get(pk=program.pk)
    program.check_version(version)
    before = snapshot(program)
    problems: list[FieldError] = []
    _apply_code(program, data, problems)
    if "portfolio" in data:
        portfolio = _portfolio(data["portfolio"], problems)
        if portfolio is not None and portfolio.pk != program.portfolio_id:
            count = program.projects.count()
            if count:
                problems.append(
                    FieldError(
                        "portfolio",
                        _(
                            "the program has %(count)s projects in portfolio %(code)s: "
                            "move them to the new portfolio first"
                        )
                        % {"count": count, "code": quoted(program.portfolio.code)},
                    )
                )
            else:
                program.portfolio = portfolio
    if "manager" in data:
        program.manager = _manager(data["manager"], problems)
    _apply_text(program, data, problems)
    _save(actor, program, before, problems)
    return program
