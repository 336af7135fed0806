"""Named allocations and capacity changes read their resource in the reader's language (the
live resource's name, looked up once per page), and the recorded name once it is gone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pmo.audit.display import shown_events
from pmo.audit.models import AuditEvent
from pmo.resources import services
from pmo.resources.tests.factories import MON, pool

FRI = MON + dt.timedelta(days=4)


def _labels() -> list[str]:
    events = list(
        AuditEvent.objects.filter(
            object_type__in=["resources.allocation", "resources.capacitychange"]
        ).order_by("pk")
    )
    return [e.label for e in shown_events(events)]


def test_the_history_names_the_resource_in_the_readers_language(
    users: Any, org: Any, make_project: Any
) -> None:
    # given a pool with a Chinese name, allocated, its allocation changed, and a capacity change
    testers = pool(
        org, code="test-sh", name="Test engineers, Shanghai", name_zh="测试工程师（上海）"
    )
    project = make_project(code="P0015")
    admin = users["admin"]
    row = services.create_allocation(
        actor=admin,
        data={
            "resource_id": testers.pk,
            "project_id": project.pk,
            "first": MON,
            "last": FRI,
            "fte": Decimal("1"),
        },
    )
    services.update_allocation(actor=admin, allocation=row, data={"last": MON}, version=row.version)
    # (a scenario's capacity change: its history names the resource)
    AuditEvent.objects.create(
        action="create",
        object_type="resources.capacitychange",
        object_id="998",
        object_repr="Test engineers, Shanghai · 2026-03-02–2026-03-06 · 1 FTE",
        scope="scenario:1",
        changes={"resource": [None, testers.pk]},
    )
    # when a Chinese reader reads the history
    with translation.override("zh-hans"):
        labels = _labels()
        with CaptureQueriesContext(connection) as queries:
            _labels()
    # then every entry names the resource in Chinese, in a fixed number of queries
    assert len(labels) == 3
    assert all("测试工程师（上海）" in label for label in labels), labels
    assert not any("Test engineers" in label for label in labels), labels
    # (no query per entry: two more allocations' entries read in as many queries)
    for day in (MON + dt.timedelta(days=7), MON + dt.timedelta(days=14)):
        services.create_allocation(
            actor=admin,
            data={
                "resource_id": testers.pk,
                "project_id": project.pk,
                "first": day,
                "last": day,
                "fte": Decimal("1"),
            },
        )
    with translation.override("zh-hans"), CaptureQueriesContext(connection) as more:
        assert len(_labels()) == 5
    assert len(more) == len(queries), [q["sql"] for q in more]
    # and an English reader reads the English name
    with translation.override("en"):
        assert all("Test engineers, Shanghai" in label for label in _labels())


def test_a_resource_that_is_gone_is_named_as_recorded(users: Any, org: Any) -> None:
    # given a capacity change recorded for a resource that no longer exists
    AuditEvent.objects.create(
        action="create",
        object_type="resources.capacitychange",
        object_id="999",
        object_repr="Gone pool · 2026-03-02–2026-03-06 · 1 FTE",
        scope="scenario:1",
        changes={"resource": [None, 999999]},
    )
    # then a Chinese reader reads the recorded name
    with translation.override("zh-hans"):
        assert "Gone pool" in _labels()[0]
