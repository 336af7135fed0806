"""Roles: free text on each resource, with an optional Chinese name."""

from __future__ import annotations

from pmo.resources.models import Resource


def chinese_roles() -> dict[str, str]:
    """Each role's Chinese name: that of the first resource (by creation) that gives one.

    Two resources of one role may carry different Chinese names (there is no role catalogue);
    the filter, the heat map and every other place show the same one by using this.
    """
    chinese: dict[str, str] = {}
    rows = Resource.objects.exclude(role_zh="").order_by("pk").values_list("role", "role_zh")
    for role, zh in rows:
        chinese.setdefault(role, zh)
    return chinese
