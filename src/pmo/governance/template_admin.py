"""Defining lifecycle templates: a new template or the next revision of one, and deleting a
revision no project follows (PMO admin; part of the services, which re-export both).

Writing the phases and gates is :func:`pmo.governance.templates_service.write_template`,
which the data migrations share and which therefore takes the models as an argument.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pmo.accounts.models import Person, User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError
from pmo.governance import models as governance_models
from pmo.governance.models import LifecycleTemplate, ProjectLifecycle
from pmo.governance.templates_service import validate_definition, write_template

__all__ = ["create_template", "delete_template"]


@transaction.atomic
def create_template(*, actor: User, definition: dict[str, Any]) -> LifecycleTemplate:
    """Create a template, or the next revision of an existing code (PMO admin only)."""
    if not actor.is_authenticated or not actor.is_pmo_admin:
        raise PermissionDeniedError(_("only a PMO admin may define lifecycle templates"))
    clean = validate_definition(definition)
    ids = {i for p in clean["phases"] for i in p.get("gate", {}).get("decider_ids", [])}
    known = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if ids - known:
        raise FieldError(
            "decider_ids", _("no person with id %(id)s") % {"id": sorted(ids - known)[0]}
        )
    latest = LifecycleTemplate.objects.filter(code=clean["code"]).aggregate(m=Max("revision"))["m"]
    template = write_template(
        clean, revision=(latest or 0) + 1, models=governance_models, actor=actor
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=template,
        scope=f"template:{template.code}",
        changes={"revision": [latest, template.revision], "definition": [None, clean]},
    )
    return template


@transaction.atomic
def delete_template(*, actor: User, template: LifecycleTemplate) -> None:
    """Delete a template revision that no project follows (PMO admin only)."""
    if not actor.is_authenticated or not actor.is_pmo_admin:
        raise PermissionDeniedError(_("only a PMO admin may delete lifecycle templates"))
    in_use = ProjectLifecycle.objects.filter(template=template).count()
    if in_use:
        raise ConflictError(
            _(
                "template %(template)s is in use by %(count)s project(s) and cannot be deleted; "
                "define a new revision instead"
            )
            % {"template": template, "count": in_use}
        )
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=template,
        scope=f"template:{template.code}",
        changes={"revision": [template.revision, None]},
    )
    template.delete()
