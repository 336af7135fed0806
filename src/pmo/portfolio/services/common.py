"""What the portfolio services share: the audit scope, row locks, validation, references, and
the field setting and saving of milestones and RAID entries."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from pmo.accounts.models import Person, User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import FieldError, ValidationFailed
from pmo.core.sentences import quoted
from pmo.portfolio.models import Project

__all__ = ["scope_of"]


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
            % {"model": model._meta.verbose_name, "key": key, "value": quoted(value)},
        )
    return obj


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
