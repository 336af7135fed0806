"""Who may see and change which project. One place, used by the UI and the API.

- PMO admin: everything (also the Django admin).
- PMO member: reads and edits every project, no administration.
- Project manager: reads the whole portfolio, edits the projects they manage.
- Executive and director / resource manager: read everything.
- Viewer: reads the projects of their own org unit and the units below it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pmo.accounts.models import Role, User
from pmo.accounts.selectors import org_unit_paths_of
from pmo.core.errors import NotFoundError, PermissionDeniedError
from pmo.core.sentences import quoted
from pmo.portfolio.models import Project

__all__ = [
    "can_create_project",
    "can_edit_project",
    "get_visible_project",
    "require_edit",
    "visible_projects",
]


def visible_projects(user: User, queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """The projects ``user`` may read."""
    qs = Project.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.reads_whole_portfolio:
        return qs
    paths = org_unit_paths_of(user)
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        condition |= Q(org_unit__path__startswith=path)
    return qs.filter(condition)


def can_create_project(user: User) -> bool:
    """Only the PMO opens new projects."""
    return user.is_authenticated and user.is_pmo


def can_edit_project(user: User, project: Project) -> bool:
    """PMO admins and members edit every project; a PM edits the projects they manage."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_pmo:
        return True
    if user.role != Role.PROJECT_MANAGER or project.manager_id is None:
        return False
    manager = project.manager
    return manager is not None and manager.user_id == user.pk


def get_visible_project(
    user: User, code: str, queryset: QuerySet[Project] | None = None
) -> Project:
    """The project with ``code`` if ``user`` may read it; otherwise :class:`NotFoundError`."""
    project = (
        visible_projects(user, queryset)
        .select_related("manager", "sponsor", "portfolio", "program", "org_unit")
        .filter(code=code)
        .first()
    )
    if project is None:
        raise NotFoundError(_("no project with code %(code)s") % {"code": quoted(code)})
    return project


def require_edit(user: User, project: Project) -> None:
    """Raise :class:`PermissionDeniedError` unless ``user`` may edit ``project``."""
    if not can_edit_project(user, project):
        raise PermissionDeniedError(
            _(
                "you may read project %(code)s but not change it "
                "(only the PMO and the project's own manager can)"
            )
            % {"code": project.code}
        )
