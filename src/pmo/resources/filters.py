"""Narrowing capacity views to some resources: an org unit (with its sub-units), a role, a
skill. The heat map, its drill-down, the export, the comparison and the resource list share
it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from pmo.accounts.models import OrgUnit
from pmo.resources.models import Resource, Role

__all__ = ["ResourceFilter", "role_names"]


def _role_q(role: str, field: str) -> Q:
    """Resources (``field``: their role, or a relation's) of role ``role``: its name whatever
    the case, or its Chinese name, as the resource list (``GET /resources?role=``) reads it."""
    return Q(**{f"{field}__iexact": role}) | Q(**{f"{field}_zh": role})


def role_names(role: str) -> list[str]:
    """The roles ``role`` names, in their own spelling: the catalogue roles of that name
    whatever its case, or of that Chinese name (two roles may share one), and the roles of
    resources written without the catalogue (the ORM, old rows); empty when none has it:
    ``"java DEVELOPER"`` names ``["Java developer"]``, and so does its Chinese name.
    """
    role = role.strip()
    if not role:
        return []
    catalogue = Role.objects.filter(Q(name__iexact=role) | Q(name_zh=role))
    resources = Resource.objects.filter(_role_q(role, "role"))
    # one query; no ORDER BY in a compound statement's parts (SQLite refuses it)
    found = catalogue.order_by().values_list("name").union(resources.order_by().values_list("role"))
    return sorted({name for (name,) in found})


@dataclass(frozen=True)
class ResourceFilter:
    """Which resources count; the empty filter keeps them all. ``role`` is a role's name in
    any case, or its Chinese name (:func:`role_names` says whether one has it)."""

    org_unit: int | None = None
    role: str = ""
    skill: str = ""
    ids: tuple[int, ...] = ()  # only these resources (none: no such narrowing)

    def q(self, prefix: str = "") -> Q:
        """The condition on resources, or on a relation to them (``prefix="resource__"``)."""
        condition = Q(**{f"{prefix}pk__in": self.ids}) if self.ids else Q()
        if self.org_unit:
            path = OrgUnit.objects.filter(pk=self.org_unit).values_list("path", flat=True).first()
            condition &= Q(**{f"{prefix}org_unit__path__startswith": path}) if path else Q(pk=None)
        if role := self.role.strip():
            condition &= _role_q(role, f"{prefix}role")
        if self.skill:
            condition &= Q(**{f"{prefix}skills__icontains": self.skill})
        return condition

    def query(self) -> dict[str, Any]:
        """The filter as query-string parameters (for links that keep it)."""
        return {
            k: v
            for k, v in (("org_unit", self.org_unit), ("role", self.role), ("skill", self.skill))
            if v
        }
