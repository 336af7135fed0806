"""Reads of the capacity plan: resources and their roles, allocations, and the day a closed
or cancelled project ended."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core.i18n import pick
from pmo.portfolio.models import Project, ProjectState
from pmo.portfolio.selectors import get_ending
from pmo.resources.filters import ResourceFilter
from pmo.resources.models import Allocation, Resource, Role
from pmo.resources.roles import chinese_roles

__all__ = [
    "RESOURCE_STATES",
    "catalogue_roles",
    "ended_on",
    "ended_text",
    "list_allocations",
    "list_resource_allocations",
    "list_resources",
    "list_roles",
    "look_alike_roles",
    "search_resources",
    "with_projects",
]


def list_resources() -> QuerySet[Resource]:
    """All resources with their org unit."""
    return Resource.objects.select_related("org_unit", "person")


#: Which resources the resource list shows: the active ones unless asked otherwise.
RESOURCE_STATES = ("active", "inactive", "all")


def search_resources(
    *, text: str = "", kind: str = "", state: str = "active", only: ResourceFilter | None = None
) -> QuerySet[Resource]:
    """The resource list's rows: ``text`` in the code, either name, the role (either language)
    or the skills, any case; ``kind`` (person / pool, empty: both); ``state`` one of
    :data:`RESOURCE_STATES`; ``only`` the org unit (with its sub-units) and the role, as the
    heat map narrows them. Ordered by role and name, as the list groups them."""
    found = list_resources().filter((only or ResourceFilter()).q())
    if text:
        found = found.filter(
            Q(code__icontains=text)
            | Q(name__icontains=text)
            | Q(name_zh__icontains=text)
            | Q(role__icontains=text)
            | Q(role_zh__icontains=text)
            | Q(skills__icontains=text)
        )
    if kind:
        found = found.filter(kind=kind)
    if state != "all":
        found = found.filter(active=state == "active")
    return found.order_by("role", "name", "pk")


def catalogue_roles() -> QuerySet[Role]:
    """The role catalogue by name (any case), each role with ``resource_count`` (all its
    resources: those keep it from being deleted) and ``fte`` (the standing capacity of its
    active ones), in one query: a resource names its role by name, so both are subqueries."""
    of_role = Resource.objects.filter(role=OuterRef("name")).order_by().values("role")
    count = of_role.annotate(n=Count("pk")).values("n")
    fte = of_role.filter(active=True).annotate(total=Sum("fte")).values("total")
    total = DecimalField(max_digits=15, decimal_places=2)  # many resources of 99999.99 FTE
    return Role.objects.annotate(
        resource_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        fte=Coalesce(Subquery(fte, output_field=total), Value(Decimal(0)), output_field=total),
    ).order_by(Lower("name"))


def _spelling(name: str) -> str:
    """A role's name as two spellings of it share: words only, lower case, a plural's "s"
    dropped ("Java-Developers" and "java developer" are "java developer")."""
    words = re.findall(r"\w+", name.lower())
    return " ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words
    )


def look_alike_roles(roles: Iterable[Role]) -> dict[int, list[Role]]:
    """For each role that may be another one under a second spelling, those others: names
    equal but for case, punctuation and plurals, or the same Chinese name. The catalogue
    shows them so that a manager merges what is one role (its load split in two rows of
    the heat map otherwise)."""
    groups: dict[tuple[str, str], list[Role]] = defaultdict(list)
    for role in roles:
        groups[("name", _spelling(role.name))].append(role)
        if role.name_zh:
            groups[("zh", role.name_zh.strip())].append(role)
    alike: dict[int, list[Role]] = defaultdict(list)
    for members in groups.values():
        for role in members:
            alike[role.pk].extend(o for o in members if o.pk != role.pk and o not in alike[role.pk])
    return {pk: others for pk, others in alike.items() if others}


def list_roles() -> list[tuple[str, str]]:
    """The roles resources have, sorted, each with its label in the active language (the
    catalogue's Chinese name, when Chinese is on)."""
    chinese = chinese_roles()
    roles = Resource.objects.order_by("role").values_list("role", flat=True).distinct()
    return [(role, pick(role, chinese.get(role, ""))) for role in roles]


def ended_on(project: Project) -> dt.date | None:
    """The day a closed or cancelled project ended, ``None`` while it runs.

    That is the day its state was set, as the audit trail recorded it
    (:func:`pmo.portfolio.selectors.get_ending`, the project page's banner); today when the
    trail does not say (a project loaded ended). Its allocations end the day before
    (:func:`pmo.resources.services.release_project`), and none may run on or after it.
    """
    ending = get_ending(project)
    if ending is None:
        return None
    return ending.day or timezone.localdate()


def ended_text(project: Project, day: dt.date) -> str:
    """ "P0006 was cancelled on 2026-12-06" in the active language."""
    values = {"code": project.code, "day": day.isoformat()}
    if project.state == ProjectState.CANCELLED:
        return _("%(code)s was cancelled on %(day)s") % values
    return _("%(code)s was closed on %(day)s") % values


def list_allocations(
    *,
    scenario_id: int | None = None,
    project_id: int | None = None,
    resource_id: int | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    status: str = "",
) -> QuerySet[Allocation]:
    """Allocations of the current plan (or a scenario), optionally of a project or resource,
    with some days in ``first..last`` (either end may be open), of one ``status``."""
    qs = Allocation.objects.filter(**{"scenario_id": scenario_id}).select_related(
        "resource", "project"
    )
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if resource_id is not None:
        qs = qs.filter(resource_id=resource_id)
    if first is not None:
        qs = qs.filter(last__gte=first)
    if last is not None:
        qs = qs.filter(first__lte=last)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("first", "pk")


def list_resource_allocations(resource: Resource) -> list[Allocation]:
    """The current plan's allocations of ``resource`` with only the columns its page's table,
    costs and counted-twice marks read, each given that one ``resource`` (not a copy per row:
    a pool of a big portfolio has thousands); their projects are not read
    (:func:`with_projects` reads them for the rows listed)."""
    rows = list(
        Allocation.objects.filter(scenario__isnull=True, resource_id=resource.pk)
        .only(
            *("first", "last", "fte", "status", "source", "note", "resource_id", "project_id"),
            "scenario_id",  # the layer its absences are read in (costs)
        )
        .order_by("first", "pk")
    )
    for a in rows:
        a.resource = resource
    return rows


def with_projects(allocations: list[Allocation]) -> list[Allocation]:
    """The ``allocations``, each given its project's code and names (one query)."""
    projects = Project.objects.only("code", "name", "name_zh").in_bulk(
        {a.project_id for a in allocations}
    )
    for a in allocations:
        a.project = projects[a.project_id]
    return allocations
