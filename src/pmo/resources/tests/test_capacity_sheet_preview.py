"""The import page previews a capacity sheet before writing it: what it creates, changes and
removes, removals and rows someone else changed marked; Apply imports exactly the file
previewed (kept on the server under a token of the uploader's session), Cancel drops it,
and a preview gone stale is refused with the new one shown."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.test import Client

from pmo.resources.models import CapacityChange, Resource
from pmo.resources.tests.factories import bearer
from pmo.resources.tests.test_capacity_sheet_report import (
    JAN,
    JAVA,
    _book,
    _state,
    _week,
)
from pmo.resources.tests.test_capacity_sheet_report import (
    planned as planned,  # the fixture
)


@pytest.fixture(autouse=True)
def kept(settings: Any, tmp_path: Path) -> Path:
    settings.PMO_CAPACITY_IMPORT_DIR = str(tmp_path)
    return tmp_path


def _token(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, html
    return match[1]


def _rows(html: str) -> dict[str, list[str]]:
    tree = lxml.html.fromstring(html)
    return {
        row.get("data-change"): [" ".join(td.text_content().split()) for td in row.xpath("td")]
        for row in tree.xpath("//tr[@data-change]")
    }


def _upload(client: Client) -> Any:
    sheet = _book([JAVA], [["java", *_week(JAN), 14, "hiring"]], name="older.xlsx")
    return client.post("/resources/import/", {"file": sheet})


def test_the_upload_previews_and_apply_imports_the_previewed_file(
    client: Client, users: Any, planned: Any, kept: Path
) -> None:
    client.force_login(users["admin"])
    before = _state()
    # when the admin uploads an older sheet without the member's May leave
    page = _upload(client)
    html = page.content.decode()
    # then nothing is written yet and the preview says what the sheet does
    assert page.status_code == 200 and _state() == before
    assert "Check the capacity sheet “older.xlsx”" in html
    assert "1 capacity change of the listed resources is not in the sheet and will be removed." in (
        html
    )
    rows = _rows(html)
    removed = rows["java 2027-05-03 removed"]
    assert removed[1:3] == [
        "removed",
        "capacity change 2027-05-03 – 2027-05-07: 10 FTE, May leave",
    ]
    assert removed[3].startswith("member · ")
    assert (
        rows["java 2027-01-11 changed"][2]
        == "capacity change 2027-01-11 – 2027-01-15: 16 → 14 FTE, hiring"
    )
    tree = lxml.html.fromstring(html)
    [java] = tree.xpath("//tr[@data-resource='java']")
    assert "capacity (FTE): 15.00 → 12.00" in java.text_content()
    # the member's leave is marked as someone else's change, the admin's own hiring is not
    marked = tree.xpath("//tr[@data-change]//span[@data-testid='by-other']/ancestor::tr")
    assert [r.get("data-change") for r in marked] == ["java 2027-05-03 removed"]
    assert len(list(kept.iterdir())) == 1
    # when they apply
    applied = client.post(
        "/resources/import/", {"token": _token(html), "action": "apply"}, follow=True
    )
    # then the previewed file is imported and the message tells the removal
    assert "1 capacity change not in the sheet was removed." in applied.content.decode()
    assert Resource.objects.get(code="java").fte == 12
    assert not CapacityChange.objects.filter(pk=planned["leave"].pk).exists()
    assert list(kept.iterdir()) == []
    # the token is spent
    again = client.post(
        "/resources/import/", {"token": _token(html), "action": "apply"}, follow=True
    )
    assert "no longer kept" in again.content.decode()


def test_cancel_and_another_sessions_token_import_nothing(
    client: Client, users: Any, planned: Any, kept: Path
) -> None:
    client.force_login(users["admin"])
    before = _state()
    token = _token(_upload(client).content.decode())
    # another session of a manager cannot apply it
    other = Client()
    other.force_login(users["member"])
    refused = other.post("/resources/import/", {"token": token, "action": "apply"}, follow=True)
    assert "no longer kept" in refused.content.decode() and _state() == before
    cancelled = client.post("/resources/import/", {"token": token, "action": "cancel"}, follow=True)
    assert "Nothing was imported." in cancelled.content.decode()
    assert _state() == before and list(kept.iterdir()) == []


def test_a_stale_preview_is_refused_and_the_new_one_shown(
    client: Client, users: Any, planned: Any
) -> None:
    client.force_login(users["admin"])
    token = _token(_upload(client).content.decode())
    # the member changes the May leave meanwhile
    leave = planned["leave"]
    patched = client.patch(
        f"/api/v1/resources/{planned['java'].pk}/capacity/{leave.pk}",
        '{"version": 1, "fte": "5"}',
        content_type="application/json",
        headers=bearer(users["member"]),
    )
    assert patched.status_code == 200
    before = _state()
    stale = client.post("/resources/import/", {"token": token, "action": "apply"})
    html = stale.content.decode()
    # nothing written; the page says why and shows what the sheet does now
    assert stale.status_code == 409 and _state() == before
    assert "changed since it was checked" in html
    removed = _rows(html)["java 2027-05-03 removed"]
    assert removed[2] == "capacity change 2027-05-03 – 2027-05-07: 5 FTE, May leave"
    # Apply on the new preview goes through
    assert _token(html) == token
    done = client.post("/resources/import/", {"token": token, "action": "apply"})
    assert done.status_code == 302
    assert not CapacityChange.objects.filter(pk=leave.pk).exists()
    assert Resource.objects.get(code="java").fte == 12


def test_a_sheet_that_changes_nothing_says_so(client: Client, users: Any, org: Any) -> None:
    client.force_login(users["admin"])
    sheet = _book([["qa", "QA", "pool", "QA", "sh", 3, 300]], [])
    token = _token(client.post("/resources/import/", {"file": sheet}).content.decode())
    client.post("/resources/import/", {"token": token, "action": "apply"})
    sheet = _book([["qa", "QA", "pool", "QA", "sh", 3, 300]], [])
    html = client.post("/resources/import/", {"file": sheet}).content.decode()
    assert 'data-testid="preview-nothing"' in html and "The sheet changes nothing." in html


def test_a_long_preview_lists_the_first_resources_and_counts_the_rest(
    client: Client, users: Any, org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmo.resources.views import capacity_sheet

    monkeypatch.setattr(capacity_sheet, "PREVIEW_ROWS", 2)
    client.force_login(users["admin"])
    rows = [[f"r{i}", f"R {i}", "pool", "QA", "sh", 1, 100] for i in range(5)]
    html = client.post("/resources/import/", {"file": _book(rows, [])}).content.decode()
    tree = lxml.html.fromstring(html)
    assert [r.get("data-resource") for r in tree.xpath("//tr[@data-resource]")] == ["r0", "r1"]
    assert "… and 3 more resources (the API's dry run lists them all)." in html
    assert "5 resources will be created" in html
