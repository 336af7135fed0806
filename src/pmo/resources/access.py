"""Who may see and plan capacity.

- Resource managers (PMO admins and members, and the *director / resource manager* role)
  manage resources, capacity, allocations and scenarios.
- Executives and project managers read the heat map and allocations; a project manager
  may propose allocations for the projects they edit (only resource managers commit them).
- Viewers see no capacity data.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pmo.accounts.models import Role, User
from pmo.core.errors import PermissionDeniedError

__all__ = ["can_manage_resources", "can_view_capacity", "require_manage", "require_view"]


def can_manage_resources(user: User) -> bool:
    """PMO admins/members and resource managers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_pmo or user.role == Role.RESOURCE_MANAGER


def can_view_capacity(user: User) -> bool:
    """Resource managers, executives and project managers."""
    if can_manage_resources(user):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and user.role
        in (
            Role.EXECUTIVE,
            Role.PROJECT_MANAGER,
        )
    )


def require_manage(user: User) -> None:
    """Raise :class:`PermissionDeniedError` unless ``user`` manages resources."""
    if not can_manage_resources(user):
        raise PermissionDeniedError(
            _("only the PMO and resource managers may change resources, capacity and scenarios")
        )


def require_view(user: User) -> None:
    """Raise :class:`PermissionDeniedError` unless ``user`` may read capacity data."""
    if not can_view_capacity(user):
        raise PermissionDeniedError(_("you may not read capacity data"))
