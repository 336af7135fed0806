"""Task assignments become schedule demand in the resources app after a recompute."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from pmo.resources.models import Allocation, Resource
from pmo.scheduling import services
from pmo.scheduling.planio import AssignmentData, ResourceData
from pmo.scheduling.tests.factories import small_plan


def test_assignments_become_committed_schedule_demand(
    make_project: Any, users: Any, org: Any
) -> None:
    java = Resource.objects.create(
        code="java-sh",
        name="Java developer, Shanghai",
        kind="pool",
        role="Java",
        org_unit=org["sh"],
        fte=Decimal("3"),
    )
    data = dataclasses.replace(
        small_plan(),
        resources=[ResourceData(uid=1, name="JAVA-SH"), ResourceData(uid=2, name="Unknown")],
        assignments=[
            AssignmentData(task_uid=2, resource_uid=1, units=1.0),
            AssignmentData(task_uid=3, resource_uid=1, units=0.5),
            AssignmentData(task_uid=3, resource_uid=2, units=1.0),
        ],
    )
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=data)
    rows = list(
        Allocation.objects.filter(project=project)
        .values_list("resource", "first", "last", "fte", "source", "status")
        .order_by("first")
    )
    assert rows == [
        (
            java.pk,
            dt.date(2026, 3, 2),
            dt.date(2026, 3, 4),
            Decimal("1.00"),
            "schedule",
            "committed",
        ),
        (
            java.pk,
            dt.date(2026, 3, 5),
            dt.date(2026, 3, 11),
            Decimal("0.50"),
            "schedule",
            "committed",
        ),
    ]
    # a second recompute replaces, never duplicates
    services.recompute_plan(project.plan)
    assert Allocation.objects.filter(project=project).count() == 2
