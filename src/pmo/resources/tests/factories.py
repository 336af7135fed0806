"""Small capacity fixtures: a Java pool of 2 FTE, a person, two projects; the API's sign-in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pmo.accounts.services import create_token
from pmo.resources.models import Allocation, Resource
from pmo.resources.services.roles import resolve_role

MON = dt.date(2026, 3, 2)  # a Monday


def pool(org: dict[str, Any], **fields: Any) -> Resource:
    values: dict[str, Any] = {
        "code": "java-sh",
        "name": "Java developer, Shanghai",
        "kind": "pool",
        "role": "Java developer",
        "org_unit": org["sh"],
        "fte": Decimal("2"),
    }
    values.update(fields)
    resource = Resource(**values)
    # its role in the catalogue, as every way of saving a resource does
    resolve_role(actor=None, resource=resource, role_zh_given=bool(values.get("role_zh")))
    resource.save()
    return resource


def allocate(
    resource: Resource, project: Any, first: dt.date, last: dt.date, fte: str, **fields: Any
) -> Allocation:
    return Allocation.objects.create(
        resource=resource, project=project, first=first, last=last, fte=Decimal(fte), **fields
    )


def two_requests(org: dict[str, Any], make_project: Any) -> tuple[Allocation, Allocation, Any]:
    """Two proposals of one project on the Java pool: 0.5 FTE in the week of :data:`MON`,
    1 FTE over that week and the next."""
    java = pool(org)
    project = make_project()
    return (
        allocate(java, project, MON, MON + dt.timedelta(days=4), "0.5"),
        allocate(java, project, MON, MON + dt.timedelta(days=11), "1"),
        project,
    )


def bearer(user: Any) -> dict[str, str]:
    """The headers that sign ``user`` in to the API (a new token)."""
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}
