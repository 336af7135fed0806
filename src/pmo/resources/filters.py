"""Narrowing capacity views to some resources: an org unit (with its sub-units), a role, a
skill. The heat map, its drill-down, the export and the comparison share it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from pmo.accounts.models import OrgUnit

__all__ = ["ResourceFilter"]


@dataclass(frozen=True)
class ResourceFilter:
    """Which resources count; the empty filter keeps them all."""

    org_unit: int | None = None
    role: str = ""
    skill: str = ""

    def q(self, prefix: str = "") -> Q:
        """The condition on resources, or on a relation to them (``prefix="resource__"``)."""
        condition = Q()
        if self.org_unit:
            path = OrgUnit.objects.filter(pk=self.org_unit).values_list("path", flat=True).first()
            condition &= Q(**{f"{prefix}org_unit__path__startswith": path}) if path else Q(pk=None)
        if self.role:
            condition &= Q(**{f"{prefix}role": self.role})
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
