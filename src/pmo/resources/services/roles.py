"""The role catalogue: each role once, with its Chinese name and a description.

A resource names its role by the catalogue role's name (``Resource.role``) and carries the
role's Chinese name (``Resource.role_zh``) so lists and the heat map read them without a
join. This module keeps the two in step:

- a resource saved with a role not in the catalogue adds it (:func:`resolve_role`); one that
  differs from a catalogue role by case or surrounding spaces takes the catalogue's spelling;
- a Chinese name given with a resource fills the role's when it has none; a different one is
  refused (the catalogue's applies to every resource of the role);
- renaming a role, or changing its Chinese name, changes every resource of it (their versions
  move on, so a form open on one of them is told it changed); merging a role into another
  moves its resources there and deletes it; a role with resources is not deleted.

Every change is audited in the resources' scope, one event per role (a rename or merge
counts the resources it moved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import (
    diff,
    record,
    record_created,
    record_deleted,
    save_changed,
    snapshot,
)
from pmo.core.codes import case_clash
from pmo.core.errors import ConflictError, FieldError, NotFoundError
from pmo.core.sentences import quoted
from pmo.resources.access import require_manage
from pmo.resources.models import Resource, Role
from pmo.resources.services.common import _assign, _clean

__all__ = [
    "ROLE_FIELDS",
    "SheetRoles",
    "create_role",
    "delete_role",
    "get_role",
    "merge_role",
    "plan_sheet_roles",
    "resolve_role",
    "update_role",
    "write_sheet_roles",
]

ROLE_FIELDS = ["name", "name_zh", "description"]
ROLES_SCOPE = "resources"  # the resources' (services.resources.RESOURCES_SCOPE)


def get_role(pk: int) -> Role:
    """The catalogue role ``pk`` or :class:`NotFoundError`."""
    role = Role.objects.filter(pk=pk).first()
    if role is None:
        raise NotFoundError(_("no role %(role)s") % {"role": pk})
    return role


def find_role(name: str) -> Role | None:
    """The catalogue role called ``name``, whatever its case and surrounding spaces."""
    return Role.objects.filter(name__iexact=name.strip()).first()


@transaction.atomic
def create_role(*, actor: User | None, data: dict[str, Any]) -> Role:
    """Add a role to the catalogue (422 at ``name`` if one of that name, any case, exists)."""
    if actor is not None:
        require_manage(actor)
    return _add_role(actor, data)


def _add_role(
    actor: User | None, data: dict[str, Any], also: dict[str, list[Any]] | None = None
) -> Role:
    """Create and record a role (``also`` joins the event's changes: the sheet that added it)."""
    role = Role()
    _assign(role, data, ROLE_FIELDS)
    _tidy(role)
    _clean(role)
    _check_name(role)
    role.save()
    if also is None:
        record_created(actor=actor, instance=role, scope=ROLES_SCOPE)
    else:
        changes = {**diff({}, snapshot(role)), **also}
        record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=role,
            scope=ROLES_SCOPE,
            changes=changes,
        )
    return role


@transaction.atomic
def update_role(*, actor: User, role: Role, data: dict[str, Any], version: int | None) -> Role:
    """Change a role (version-checked); a new name or Chinese name reaches all its resources."""
    require_manage(actor)
    role = _locked(role.pk)
    role.check_version(version)
    before = snapshot(role)
    _assign(role, data, ROLE_FIELDS)
    _tidy(role)
    _clean(role)
    _check_name(role)
    moved = _carry_to_resources(before["name"], role)
    also = {"resources": [None, moved]} if moved else None
    save_changed(actor=actor, instance=role, before=before, scope=ROLES_SCOPE, also=also)
    return role


@transaction.atomic
def merge_role(*, actor: User, role: Role, into: Role, version: int | None = None) -> Role:
    """Move ``role``'s resources to ``into`` and delete ``role`` (two spellings of one role
    become one); ``version`` is ``role``'s. Returns ``into``."""
    require_manage(actor)
    role = _locked(role.pk)
    role.check_version(version)
    if into.pk == role.pk:
        raise FieldError("into", _("a role cannot be merged into itself"))
    into = _locked(into.pk, field="into")
    moved = _carry_to_resources(role.name, into)
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=into,
        scope=ROLES_SCOPE,
        changes={"merged": [role.name, into.name], "resources": [None, moved]},
    )
    record_deleted(actor=actor, instance=role, scope=ROLES_SCOPE)
    role.delete()
    return into


@transaction.atomic
def delete_role(*, actor: User, role: Role) -> None:
    """Delete a role no resource has (409 naming how many have it: merge it instead)."""
    require_manage(actor)
    role = _locked(role.pk)
    used = Resource.objects.filter(role=role.name).count()
    if used:
        raise ConflictError(
            ngettext(
                "%(count)d resource has role %(role)s: change it or merge the role into another",
                "%(count)d resources have role %(role)s: change them or merge the role into "
                "another",
                used,
            )
            % {"count": used, "role": quoted(role.name)}
        )
    record_deleted(actor=actor, instance=role, scope=ROLES_SCOPE)
    role.delete()


def resolve_role(*, actor: User | None, resource: Resource, role_zh_given: bool) -> None:
    """Give ``resource`` its catalogue role's spelling and Chinese name, adding the role to the
    catalogue when it is new (with the resource's Chinese name, audited as ``actor``'s).

    ``role_zh_given`` says the caller set ``resource.role_zh`` (a form, the API or a sheet): it
    fills the role's Chinese name if the role has none, and one that differs is refused
    (422 at ``role_zh``). Not given, the resource simply takes the role's.
    """
    name, name_zh = resource.role.strip(), resource.role_zh.strip()
    if not name:
        return  # the resource's own check names the empty role
    role = find_role(name)
    if role is None:
        role = _add_role(actor, {"name": name, "name_zh": name_zh if role_zh_given else ""})
    elif role_zh_given and name_zh and name_zh != role.name_zh:
        if role.name_zh:
            raise FieldError("role_zh", _conflict(role.name, role.name_zh))
        update_role_chinese(actor=actor, role=role, name_zh=name_zh)
    resource.role, resource.role_zh = role.name, role.name_zh


def update_role_chinese(
    *, actor: User | None, role: Role, name_zh: str, also: dict[str, list[Any]] | None = None
) -> None:
    """Give a role without a Chinese name the one a resource brings (all its resources)."""
    before = snapshot(role)
    role.name_zh = name_zh
    _clean(role)
    _carry_to_resources(role.name, role)
    save_changed(actor=actor, instance=role, before=before, scope=ROLES_SCOPE, also=also)


def _locked(pk: int, field: str | None = None) -> Role:
    """The role ``pk``, locked for the change; one deleted or merged meanwhile is a 404, or a
    422 at ``field`` when the request names it there (the role to merge into)."""
    role = Role.objects.select_for_update().filter(pk=pk).first()
    if role is None:
        message = _("no role %(role)s") % {"role": pk}
        raise NotFoundError(message) if field is None else FieldError(field, message)
    return role


def _tidy(role: Role) -> None:
    role.name = role.name.strip()
    role.name_zh = role.name_zh.strip()


def _check_name(role: Role) -> None:
    """Another role's name, also one that differs by case only, is refused (422 at ``name``);
    a role may change the case of its own."""
    taken = case_clash(Role.objects.all(), role.name, exclude_pk=role.pk, field="name")
    if taken is None:
        return
    if taken == role.name:
        message = _("role %(role)s is in the catalogue already; merge into it instead")
    else:
        message = _("role %(role)s is in the catalogue already: names may not differ by case only")
    raise FieldError("name", message % {"role": quoted(taken)})


def _carry_to_resources(old_name: str, role: Role) -> int:
    """Give the resources of role ``old_name`` the role's name and Chinese name; their
    versions move on (a form open on one reloads rather than writing the old role back).
    Returns how many changed."""
    return (
        Resource.objects.filter(role=old_name)
        .exclude(role=role.name, role_zh=role.name_zh)
        .update(
            role=role.name,
            role_zh=role.name_zh,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
    )


# --- the capacity sheet ----------------------------------------------------


@dataclass
class SheetRoles:
    """What a capacity sheet's rows do to the catalogue (:func:`plan_sheet_roles`)."""

    new: dict[str, str] = field(default_factory=dict)  # roles it adds: name -> Chinese name
    named: dict[str, str] = field(default_factory=dict)  # roles it gives a Chinese name
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, message


def plan_sheet_roles(rows: list[tuple[int, dict[str, Any]]]) -> SheetRoles:
    """Give the sheet's rows (number, values) their catalogue role's spelling and Chinese name,
    as :func:`resolve_role` does for one resource: a row's Chinese role fills a role without
    one, a different one is an error at ``role_zh``, as are two rows giving a new role two
    Chinese names. Writes nothing (:func:`write_sheet_roles` does)."""
    catalogue = {r.name.lower(): r for r in Role.objects.all()}
    plan = SheetRoles()
    spelled: dict[str, str] = {}  # a new role's first spelling in the sheet, by lower case
    chinese: dict[str, tuple[str, int]] = {}  # a role's Chinese name from the sheet, first row
    for number, row in rows:
        name = str(row.get("role") or "").strip()
        if not name:
            continue
        key = name.lower()
        role = catalogue.get(key)
        name = role.name if role is not None else spelled.setdefault(key, name)
        given = str(row.get("role_zh") or "").strip()
        stored = role.name_zh if role is not None else ""
        if given and stored and given != stored:
            plan.errors.append((number, "role_zh", _conflict(role.name, stored)))  # type: ignore[union-attr]
        elif given and not stored:
            first = chinese.setdefault(key, (given, number))
            if first[0] != given:
                plan.errors.append(
                    (
                        number,
                        "role_zh",
                        _("role %(role)s is %(zh)s in row %(row)s")
                        % {"role": quoted(name), "zh": quoted(first[0]), "row": first[1]},
                    )
                )
        row["role"], row["role_zh"] = name, stored
        if role is None:
            plan.new.setdefault(name, "")
    for key, (given, _number) in chinese.items():
        if key in catalogue:
            plan.named[catalogue[key].name] = given
        else:
            plan.new[spelled[key]] = given
    for _number, row in rows:  # every row of the role, also those before the one naming it
        if (key := str(row.get("role") or "").lower()) in chinese:
            row["role_zh"] = chinese[key][0]
    return plan


def write_sheet_roles(
    actor: User | None, plan: SheetRoles, also: dict[str, list[Any]] | None = None
) -> None:
    """Add the roles a checked sheet brings and the Chinese names it gives, audited with
    ``also`` (the sheet's name)."""
    for name, name_zh in plan.new.items():
        _add_role(actor, {"name": name, "name_zh": name_zh}, also)
    for name, name_zh in plan.named.items():
        role = Role.objects.get(name=name)
        update_role_chinese(actor=actor, role=role, name_zh=name_zh, also=also)


def _conflict(name: str, name_zh: str) -> str:
    return _(
        "role %(role)s is %(zh)s in the role catalogue; change it there "
        "(it applies to every resource of the role)"
    ) % {"role": quoted(name), "zh": quoted(name_zh)}
