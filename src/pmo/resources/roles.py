"""Roles: each role's Chinese name, from the role catalogue."""

from __future__ import annotations

from pmo.resources.models import Role


def chinese_roles() -> dict[str, str]:
    """Each catalogue role's Chinese name, by its name (roles without one are left out);
    the filter, the heat map and every other place show a role by this."""
    return dict(Role.objects.exclude(name_zh="").values_list("name", "name_zh"))
