"""A capacity sheet records each resource and capacity change it creates, changes or removes
as its own audit event naming the file, in the import's transaction and in a few queries
whatever its size; the resource page's Change history reads them in English and Chinese."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO
from typing import Any

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from pmo.audit.models import AuditEvent
from pmo.core.errors import ValidationFailed
from pmo.resources import xlsx, xlsx_apply
from pmo.resources.models import CapacityChange, Resource, Role
from pmo.resources.tests.factories import bearer

HEADER = ["code", "name", "kind", "role", "org_unit", "fte"]
JAN = dt.date(2027, 1, 11)  # a Monday
FEB = dt.date(2027, 2, 8)
MAR = dt.date(2027, 3, 1)


def _book(
    resources: list[list[Any]], capacity: list[list[Any]], name: str = "team-2027.xlsx"
) -> BytesIO:
    book = Workbook()
    ws = book.active
    ws.title = "Resources"
    ws.append(HEADER)
    for row in resources:
        ws.append(row)
    cs = book.create_sheet("Capacity")
    cs.append(["resource", "from", "to", "fte", "reason"])
    for row in capacity:
        cs.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = name
    return out


def _week(first: dt.date) -> tuple[dt.date, dt.date]:
    return first, first + dt.timedelta(days=4)


ZHAO = ["zhao", "Zhao Lei", "person", "Developer", "sh", 1]
JAVA = ["java", "Java developers", "pool", "Java", "sh", 10]
FIRST = [
    ["zhao", *_week(JAN), 0, "annual leave"],
    ["zhao", *_week(FEB), 0.5, "course"],
    ["java", *_week(JAN), 8, "hiring"],
]


def _events(object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type).order_by("id"))


def _summary(event: AuditEvent) -> tuple[str, str, dict[str, Any]]:
    return event.action, event.actor_name, event.changes


def test_a_first_import_records_each_resource_and_capacity_change_it_creates(
    users: Any, org: Any
) -> None:
    admin = users["admin"]
    # when the sheet creates two resources and three capacity changes
    result = xlsx.import_capacity(actor=admin, stream=_book([ZHAO, JAVA], FIRST))
    # then each one is an event of its own, by the importer, naming the file
    assert {
        k: result[k] for k in ("resources_created", "resources_updated", "capacity_changes")
    } == {
        "resources_created": 2,
        "resources_updated": 0,
        "capacity_changes": 3,
    }
    zhao, java = Resource.objects.get(code="zhao"), Resource.objects.get(code="java")
    resources = _events("resources.resource")
    assert [(e.action, e.object_id, e.actor_id, e.scope) for e in resources] == [
        ("create", str(zhao.pk), admin.pk, "resources"),
        ("create", str(java.pk), admin.pk, "resources"),
    ]
    assert resources[0].changes["capacity_sheet"] == [None, "team-2027.xlsx"]
    assert resources[0].changes["fte"] == [None, "1.00"]
    assert resources[0].changes["name"] == [None, "Zhao Lei"]
    changes = _events("resources.capacitychange")
    stored = {(c.resource_id, c.first): c for c in CapacityChange.objects.all()}
    assert len(changes) == len(stored) == 3
    leave = stored[(zhao.pk, JAN)]
    assert changes[0].action == "create" and changes[0].object_id == str(leave.pk)
    assert changes[0].object_repr == "Zhao Lei · 2027-01-11–2027-01-15 · 0 FTE · annual leave"
    assert changes[0].changes == {
        "id": [None, leave.pk],
        "resource": [None, zhao.pk],
        "first": [None, "2027-01-11"],
        "last": [None, "2027-01-15"],
        "fte": [None, "0.00"],
        "reason": [None, "annual leave"],
        "copied": [None, False],
        "capacity_sheet": [None, "team-2027.xlsx"],
    }
    assert [e.changes["fte"][1] for e in changes[1:]] == ["0.50", "8.00"]


def test_a_second_import_records_what_it_changed_and_removed_and_leaves_the_rest_alone(
    users: Any, org: Any
) -> None:
    admin = users["admin"]
    xlsx.import_capacity(actor=admin, stream=_book([ZHAO, JAVA], FIRST))
    zhao = Resource.objects.get(code="zhao")
    kept = CapacityChange.objects.get(resource__code="java")
    course = CapacityChange.objects.get(resource=zhao, first=FEB)
    leave = CapacityChange.objects.get(resource=zhao, first=JAN)
    before = AuditEvent.objects.count()
    # when the next sheet halves Zhao's standing FTE, keeps Java's change, makes the course
    # a full day off and moves the leave to March
    second = [
        ["zhao", *_week(MAR), 0, "annual leave"],
        ["zhao", *_week(FEB), 0, "course"],
        ["java", *_week(JAN), 8, "hiring"],
    ]
    xlsx.import_capacity(
        actor=admin,
        stream=_book([[*ZHAO[:5], 0.5], JAVA], second, name="ignored.xlsx"),
        name="team-2027-v2.xlsx",
    )
    # then five events: the resource updated, a change updated, removed and added
    new = list(AuditEvent.objects.order_by("id")[before:])
    sheet = [None, "team-2027-v2.xlsx"]
    assert [(e.object_type, e.action) for e in new] == [
        ("resources.resource", "update"),
        ("resources.capacitychange", "delete"),
        ("resources.capacitychange", "update"),
        ("resources.capacitychange", "create"),
    ]
    assert new[0].object_id == str(zhao.pk)
    assert new[0].changes == {"fte": ["1.00", "0.50"], "capacity_sheet": sheet}
    assert new[1].object_id == str(leave.pk)
    assert new[1].changes["first"] == ["2027-01-11", None]
    assert new[1].changes["capacity_sheet"] == sheet
    assert new[2].object_id == str(course.pk)
    assert new[2].changes == {
        "fte": ["0.50", "0.00"],
        "resource": [zhao.pk, zhao.pk],
        "capacity_sheet": sheet,
    }
    march = CapacityChange.objects.get(resource=zhao, first=MAR)
    assert new[3].object_id == str(march.pk) and new[3].changes["first"] == [None, "2027-03-01"]
    # the change the sheet left as it was is the same row, not rewritten; the others moved on
    assert CapacityChange.objects.get(pk=kept.pk).version == kept.version
    assert CapacityChange.objects.get(pk=course.pk).version == course.version + 1
    assert not CapacityChange.objects.filter(pk=leave.pk).exists()
    zhao.refresh_from_db()
    assert (zhao.fte, zhao.version) == (Decimal("0.50"), 2)
    # and the same sheet again changes and records nothing
    xlsx.import_capacity(actor=admin, stream=_book([[*ZHAO[:5], 0.5], JAVA], second))
    assert AuditEvent.objects.count() == before + 4


def _state() -> tuple[list[Any], list[Any], int]:
    return (
        list(Resource.objects.order_by("code").values_list("code", "fte", "version")),
        list(CapacityChange.objects.order_by("pk").values_list("pk", "first", "fte", "version")),
        AuditEvent.objects.count(),
    )


def test_a_refused_sheet_records_nothing_and_changes_nothing(users: Any, org: Any) -> None:
    xlsx.import_capacity(actor=users["admin"], stream=_book([ZHAO, JAVA], FIRST))
    before = _state()
    # a sheet whose changes are good but one cell is not
    bad = [*FIRST[:2], ["java", *_week(JAN), "lots", "hiring"]]
    with pytest.raises(ValidationFailed) as refused:
        xlsx.import_capacity(actor=users["admin"], stream=_book([[*ZHAO[:5], 3], JAVA], bad))
    assert refused.value.errors == [{"field": "Capacity!D4", "message": "not a number"}]
    assert _state() == before


def test_an_import_failing_while_it_writes_leaves_no_event_and_no_change(
    users: Any, org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    xlsx.import_capacity(actor=users["admin"], stream=_book([ZHAO, JAVA], FIRST))
    before = _state()

    def broken(events: list[AuditEvent]) -> None:
        AuditEvent.objects.bulk_create(events[:1])  # written, then the import fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(xlsx_apply, "record_all", broken)
    second = [["zhao", *_week(MAR), 0, "moved"], ["java", *_week(JAN), 9, "hiring"]]
    with pytest.raises(RuntimeError):
        xlsx.import_capacity(actor=users["admin"], stream=_book([[*ZHAO[:5], 2], JAVA], second))
    assert _state() == before


def test_the_api_records_the_uploaded_file_and_the_caller(
    client: Any, users: Any, org: Any
) -> None:
    sheet = _book([ZHAO], FIRST[:2], name="Q1 capacity.xlsx")
    answer = client.post(
        "/api/v1/capacity/import", {"file": sheet}, headers=bearer(users["member"])
    )
    assert answer.status_code == 200
    events = AuditEvent.objects.order_by("id")
    assert [(e.object_type, e.action, e.actor_id) for e in events] == [
        ("resources.role", "create", users["member"].pk),  # the role the sheet brings
        ("resources.resource", "create", users["member"].pk),
        ("resources.capacitychange", "create", users["member"].pk),
        ("resources.capacitychange", "create", users["member"].pk),
    ]
    assert {e.changes["capacity_sheet"][1] for e in events} == {"Q1 capacity.xlsx"}
    # a refused upload adds none
    bad = _book([ZHAO], [["nobody", *_week(JAN), 0, ""]])
    refused = client.post("/api/v1/capacity/import", {"file": bad}, headers=bearer(users["member"]))
    assert refused.status_code == 422
    assert AuditEvent.objects.count() == 4


def test_the_web_upload_records_the_file_name(
    client: Any, users: Any, org: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PMO_CAPACITY_IMPORT_DIR = str(tmp_path)
    client.force_login(users["admin"])
    preview = client.post("/resources/import/", {"file": _book([ZHAO], FIRST[:1], "leave.xlsx")})
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode())
    assert token is not None and not AuditEvent.objects.exists()
    answer = client.post("/resources/import/", {"token": token[1], "action": "apply"})
    assert answer.status_code == 302
    change = AuditEvent.objects.get(object_type="resources.capacitychange")
    assert change.changes["capacity_sheet"] == [None, "leave.xlsx"]


def _queries(rows: int) -> int:
    resources = [[f"p{i}", f"P {i}", "person", "Dev", "sh", 1] for i in range(rows)]
    capacity = [[f"p{i}", *_week(JAN), 0.5, "part time"] for i in range(rows)]
    moved = [[f"p{i}", *_week(FEB), 0, "leave"] for i in range(rows)]
    with CaptureQueriesContext(connection) as first:
        xlsx.import_capacity(actor=None, stream=_book(resources, capacity))
    halved = [[*r[:5], 0.5] for r in resources]
    with CaptureQueriesContext(connection) as second:
        xlsx.import_capacity(actor=None, stream=_book(halved, moved))
    return len(first) + len(second)


def test_the_number_of_queries_does_not_grow_with_the_rows(org: Any) -> None:
    # 3 rows and 60 (each a resource and a capacity change, all changed the second time)
    small = _queries(3)
    events = AuditEvent.objects.count()
    Resource.objects.all().delete()
    Role.objects.all().delete()  # role "Dev" joins the catalogue again
    large = _queries(60)
    # 300 events are written as 15 were; at most one more INSERT each for the events, the
    # capacity changes and the resources (SQLite takes 999 parameters a statement)
    assert small <= large <= small + 3
    # 2 resources' + 3 changes' events each, and the role's
    assert AuditEvent.objects.count() - events == 60 * 5 + 1


def _history(client: Any, resource: Resource, **headers: str) -> list[list[str]]:
    page = client.get(f"/resources/{resource.pk}/", **headers).content.decode()
    section = lxml.html.fromstring(page).xpath("//*[@data-testid='resource-history']")[0]
    return [
        [td.text_content().strip() for td in tr.findall("td")][2:] for tr in section.iter("tr")
    ][1:]


def test_the_resource_page_reads_the_sheets_changes_in_english_and_chinese(
    client: Any, users: Any, org: Any
) -> None:
    admin = users["admin"]
    xlsx.import_capacity(actor=admin, stream=_book([ZHAO], FIRST[:2], "v1.xlsx"))
    second = [["zhao", *_week(FEB), 0, "course"], ["zhao", *_week(MAR), 0, "leave"]]
    xlsx.import_capacity(actor=admin, stream=_book([[*ZHAO[:5], 0.8]], second, "v2.xlsx"))
    zhao = Resource.objects.get(code="zhao")
    client.force_login(admin)
    rows = _history(client, zhao)
    assert [row[0] for row in rows] == [
        "created capacity change 2027-03-01 – 2027-03-05, 0 FTE, from capacity sheet “v2.xlsx”",
        "updated capacity change 2027-02-08 – 2027-02-12, 0 FTE, from capacity sheet “v2.xlsx”",
        "deleted capacity change 2027-01-11 – 2027-01-15, 0 FTE: not in capacity sheet “v2.xlsx”",
        "updated zhao Zhao Lei, from capacity sheet “v2.xlsx”",
        "created capacity change 2027-02-08 – 2027-02-12, 0.5 FTE, from capacity sheet “v1.xlsx”",
        "created capacity change 2027-01-11 – 2027-01-15, 0 FTE, from capacity sheet “v1.xlsx”",
        "created zhao Zhao Lei, from capacity sheet “v1.xlsx”",
    ]
    # what changed, before → after; the sheet and the page's own resource not listed as values
    assert rows[1][1] == "capacity (FTE): 0.50 → 0"
    assert rows[3][1] == "capacity (FTE): 1 → 0.80"
    assert "reason: leave" in rows[0][1]
    assert all("capacity sheet:" not in row[1] and "∅" not in row[1] for row in rows)
    # in Chinese the change and its values read in Chinese, the file by its name
    zh = _history(client, zhao, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh[1][0].startswith("更新 产能变更 2027-02-08 至 2027-02-12，0 FTE")
    assert "v2.xlsx" in zh[1][0]
    assert zh[1][1].startswith("产能（FTE）")


def test_an_unnamed_sheet_and_the_events_of_older_imports_read_as_from_a_capacity_sheet(
    client: Any, users: Any, org: Any
) -> None:
    admin = users["admin"]
    stream = _book([ZHAO], FIRST[:1])
    del stream.name  # a stream without a file name: the service records ""
    xlsx.import_capacity(actor=admin, stream=stream)
    zhao = Resource.objects.get(code="zhao")
    # an event as imports recorded it before they named their file and their changes
    AuditEvent.objects.create(
        actor=admin,
        actor_name="admin",
        action="update",
        object_type="resources.resource",
        object_id=str(zhao.pk),
        object_repr="zhao Zhao Lei",
        scope="resources",
        changes={"import": [None, "capacity sheet"]},
    )
    client.force_login(admin)
    rows = _history(client, zhao)
    assert [row[0] for row in rows] == [
        "updated zhao Zhao Lei, from a capacity sheet",
        "created capacity change 2027-01-11 – 2027-01-15, 0 FTE, from a capacity sheet",
        "created zhao Zhao Lei, from a capacity sheet",
    ]
    assert rows[0][1] == ""  # the old pseudo-field is not listed as a change
