"""A capacity sheet import says what it did per resource (fields before → after, capacity
changes added, changed and removed, with who last changed what it overwrites or removes);
a dry run answers the same and writes nothing; an expected fingerprint refuses a stale
import; an org unit is found by its exact code first, and a code matching two codes by case
only is refused naming both."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook

from pmo.accounts.models import OrgUnit
from pmo.audit.models import AuditEvent
from pmo.core.errors import ValidationFailed
from pmo.resources import xlsx
from pmo.resources.models import CapacityChange, Resource
from pmo.resources.tests.factories import bearer
from pmo.resources.tests.test_api import _post

HEADER = ["code", "name", "kind", "role", "org_unit", "fte", "cost_rate"]
JAN = dt.date(2027, 1, 11)
MAY = dt.date(2027, 5, 3)
JAVA = ["java", "Java developers", "pool", "Java", "sh", 12, 500]


def _book(
    resources: list[list[Any]],
    capacity: list[list[Any]],
    name: str = "plan.xlsx",
    saved: dt.datetime | None = None,
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
    raw = out.getvalue()
    if saved is not None:  # openpyxl stamps "now" on save: the date Excel would keep
        raw = _saved_at(raw, saved)
    stream = BytesIO(raw)
    stream.name = name
    return stream


def _saved_at(raw: bytes, saved: dt.datetime) -> bytes:
    source, out = zipfile.ZipFile(BytesIO(raw)), BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                stamp = saved.strftime("%Y-%m-%dT%H:%M:%SZ")
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            target.writestr(info, data)
    return out.getvalue()


def _week(first: dt.date) -> tuple[dt.date, dt.date]:
    return first, first + dt.timedelta(days=4)


def _state() -> tuple[Any, ...]:
    return (
        sorted(Resource.objects.values_list("code", "fte", "cost_rate", "version")),
        sorted(CapacityChange.objects.values_list("resource__code", "first", "fte", "version")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def planned(users: Any, org: Any, client: Any) -> dict[str, Any]:
    """Java, 15 FTE at 600, imported with a January hiring change by the admin; then the
    member adds a May leave by hand (the API)."""
    xlsx.import_capacity(
        actor=users["admin"],
        stream=_book([[*JAVA[:5], 15, 600]], [["java", *_week(JAN), 16, "hiring"]]),
    )
    java = Resource.objects.get(code="java")
    answer = _post(
        client,
        f"/api/v1/resources/{java.pk}/capacity",
        {
            "first": str(MAY),
            "last": str(MAY + dt.timedelta(days=4)),
            "fte": "10",
            "reason": "May leave",
        },
        users["member"],
    )
    assert answer.status_code == 201, answer.content
    return {"java": java, "leave": CapacityChange.objects.get(reason="May leave")}


def test_the_report_names_the_removed_hand_made_leave_and_its_author(
    users: Any, planned: Any, client: Any
) -> None:
    # when the admin uploads the older sheet: FTE 12, cost rate 500, hiring at 14, no May
    sheet = _book([JAVA], [["java", *_week(JAN), 14, "hiring"]], name="old.xlsx")
    answer = client.post("/api/v1/capacity/import", {"file": sheet}, headers=bearer(users["admin"]))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    # then the counts stay and the removal is counted and listed with who made the leave
    assert (body["resources_created"], body["resources_updated"], body["capacity_changes"]) == (
        0,
        1,
        1,
    )
    assert (body["capacity_changes_added"], body["capacity_changes_changed"]) == (0, 1)
    assert body["capacity_changes_removed"] == 1 and body["dry_run"] is False
    [java] = body["resources"]
    assert (java["code"], java["action"], java["last_changed_by"]) == ("java", "updated", "admin")
    assert java["fields"] == [
        {"field": "cost_rate", "before": "600.00", "after": "500.00"},
        {"field": "fte", "before": "15.00", "after": "12.00"},
    ]
    hiring, leave = java["capacity_changes"]
    assert (hiring["action"], hiring["fte_before"], hiring["fte"], hiring["reason_before"]) == (
        "changed",
        "16.00",
        "14.00",
        None,
    )
    assert hiring["last_changed_by"] == "admin" and hiring["changed_by_other"] is False
    assert leave == {
        "action": "removed",
        "id": planned["leave"].pk,
        "first": "2027-05-03",
        "last": "2027-05-07",
        "fte": "10.00",
        "reason": "May leave",
        "fte_before": None,
        "reason_before": None,
        "last_changed_by": "member",
        "last_changed_at": leave["last_changed_at"],
        "changed_by_other": True,
    }
    made = AuditEvent.objects.get(
        object_type="resources.capacitychange", object_id=str(planned["leave"].pk), action="create"
    )
    at = dt.datetime.fromisoformat(leave["last_changed_at"])  # JSON keeps milliseconds
    assert abs(at - made.timestamp) < dt.timedelta(milliseconds=1)
    assert not CapacityChange.objects.filter(pk=planned["leave"].pk).exists()


def test_an_api_dry_run_answers_the_same_report_and_changes_nothing(
    users: Any, planned: Any, client: Any
) -> None:
    before = _state()
    sheet = _book(
        [JAVA, ["qa", "QA", "pool", "QA", "sh", 3, 300]],
        [["qa", *_week(JAN), 0, "x"], ["java", *_week(JAN), 16, "hiring"]],
    )
    dry = client.post(
        "/api/v1/capacity/import?dry_run=true", {"file": sheet}, headers=bearer(users["admin"])
    )
    assert dry.status_code == 200, dry.content
    # nothing written: no row, no version, no audit event
    assert _state() == before
    report = dry.json()
    assert report["dry_run"] is True
    assert [(r["code"], r["action"]) for r in report["resources"]] == [
        ("java", "updated"),
        ("qa", "created"),
    ]
    # January's hiring is the sheet's too: only the May leave goes
    assert [(c["action"], c["reason"]) for c in report["resources"][0]["capacity_changes"]] == [
        ("removed", "May leave")
    ]
    added = report["resources"][1]["capacity_changes"]
    assert [(c["action"], c["id"], c["fte"]) for c in added] == [("added", None, "0.00")]
    # the import itself answers the same (ids of what it added aside)
    sheet.seek(0)
    done = client.post("/api/v1/capacity/import", {"file": sheet}, headers=bearer(users["admin"]))
    real = done.json()
    assert real["dry_run"] is False and real["fingerprint"] == report["fingerprint"]
    new_id = real["resources"][1]["capacity_changes"][0].pop("id")
    assert new_id == CapacityChange.objects.get(resource__code="qa").pk
    report["resources"][1]["capacity_changes"][0].pop("id")
    assert {**real, "dry_run": True, "recent_since": 0} == {**report, "recent_since": 0}
    assert _state() != before


def test_an_expected_fingerprint_refuses_an_import_whose_resources_changed_since(
    users: Any, planned: Any, client: Any
) -> None:
    sheet = _book([JAVA], [["java", *_week(JAN), 14, "hiring"]])
    dry = client.post(
        "/api/v1/capacity/import?dry_run=true", {"file": sheet}, headers=bearer(users["admin"])
    ).json()
    # someone changes the leave between the check and the import
    leave = planned["leave"]
    patched = client.patch(
        f"/api/v1/resources/{planned['java'].pk}/capacity/{leave.pk}",
        '{"version": 1, "fte": "5"}',
        content_type="application/json",
        headers=bearer(users["member"]),
    )
    assert patched.status_code == 200, patched.content
    before = _state()
    sheet.seek(0)
    answer = client.post(
        f"/api/v1/capacity/import?expected={dry['fingerprint']}",
        {"file": sheet},
        headers=bearer(users["admin"]),
    )
    assert answer.status_code == 409
    assert "changed since it was checked" in answer.json()["detail"]
    assert answer.json()["fingerprint"] != dry["fingerprint"]
    assert _state() == before
    # with the new fingerprint it goes through
    sheet.seek(0)
    again = client.post(
        f"/api/v1/capacity/import?expected={answer.json()['fingerprint']}",
        {"file": sheet},
        headers=bearer(users["admin"]),
    )
    assert again.status_code == 200 and again.json()["capacity_changes_removed"] == 1


def test_a_change_by_someone_else_is_flagged_since_the_day_the_workbook_was_saved(
    users: Any, planned: Any
) -> None:
    # the member's leave was entered 20 days ago
    AuditEvent.objects.filter(object_id=str(planned["leave"].pk)).update(
        timestamp=timezone.now() - dt.timedelta(days=20)
    )
    rows = [[*JAVA[:5], 15, 600]], [["java", *_week(JAN), 16, "hiring"]]

    def leave(saved: dt.datetime | None) -> dict[str, Any]:
        report = xlsx.import_capacity(
            actor=users["admin"], stream=_book(*rows, saved=saved), dry_run=True
        )
        [removed] = report["resources"][0]["capacity_changes"]
        return {"since": report["recent_since"], **removed}

    # a sheet saved a month ago did not know it; one saved today may have (7 days only)
    month_ago = leave(timezone.now() - dt.timedelta(days=30))
    assert month_ago["changed_by_other"] is True and month_ago["last_changed_by"] == "member"
    assert timezone.localtime(month_ago["since"]).time() == dt.time(0, 0)
    today = leave(None)
    assert today["changed_by_other"] is False
    assert today["since"] > month_ago["since"]


def _unit(code: str, name: str, org: Any) -> OrgUnit:
    unit = OrgUnit(code=f"tmp-{name}", kind="team", name=name, parent=org["sh"])
    unit.save()
    # stored before codes differing by case only were refused
    OrgUnit.objects.filter(pk=unit.pk).update(code=code)
    unit.refresh_from_db()
    return unit


def test_an_org_unit_code_is_matched_exactly_first_and_an_ambiguous_case_is_refused(
    users: Any, org: Any
) -> None:
    lower, upper = _unit("ops", "Operations", org), _unit("OPS", "Ops Support", org)
    xlsx.import_capacity(
        actor=users["admin"],
        stream=_book(
            [
                ["a", "A", "person", "QA", "OPS"],
                ["b", "B", "person", "QA", "ops"],
                ["c", "C", "person", "QA", "UK-IT"],  # one code by case only: found
            ],
            [],
        ),
    )
    units = dict(Resource.objects.values_list("code", "org_unit_id"))
    assert (units["a"], units["b"], units["c"]) == (upper.pk, lower.pk, org["it"].pk)
    with pytest.raises(ValidationFailed) as refused:
        xlsx.import_capacity(
            actor=users["admin"], stream=_book([["d", "D", "person", "QA", "Ops"]], [])
        )
    assert refused.value.errors == [
        {
            "field": "Resources!E2",
            "message": "org unit “Ops” is ambiguous: the codes “ops”, “OPS” differ only by "
            "case; enter one of them exactly",
        }
    ]
    assert not Resource.objects.filter(code="d").exists()
