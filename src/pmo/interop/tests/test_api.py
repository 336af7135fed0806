"""Import and export of plans over the REST API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.accounts.services import create_token
from pmo.interop.mspdi_write import write_mspdi
from pmo.scheduling.tests.factories import small_plan


def _auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


def test_import_and_export_over_the_api(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    url = f"/api/v1/projects/{project.code}/plan/import/msproject"
    upload = SimpleUploadedFile("plan.xml", write_mspdi(small_plan()), "application/xml")
    response = client.post(url, {"file": upload}, headers=_auth(users["pm"]))
    assert (response.status_code, response.json()["tasks"]) == (201, 5)
    bad = SimpleUploadedFile("plan.xml", b"not xml", "application/xml")
    refused = client.post(url, {"file": bad}, headers=_auth(users["pm"]))
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("file: not well-formed XML")
    assert [e["field"] for e in refused.json()["errors"]] == ["file"]
    again = SimpleUploadedFile("plan.xml", b"<Project><Name>x</Project>", "application/xml")
    zh = client.post(
        url, {"file": again}, headers={**_auth(users["pm"]), "Accept-Language": "zh-hans"}
    )
    assert zh.json()["detail"] == "文件：XML 格式不正确（第 1 行第 18 列：标签不匹配）"
    exported = client.get(
        f"/api/v1/projects/{project.code}/plan/export/msproject", headers=_auth(users["viewer"])
    )
    assert exported.status_code == 200 and b"<Name>Release</Name>" in exported.content
    missing = client.get("/api/v1/projects/NOPE/plan", headers=_auth(users["pm"]))
    assert missing.status_code == 404


def test_xlsx_import_over_the_api_and_permissions(
    client: Any, make_project: Any, users: Any
) -> None:
    from pmo.interop import xlsx
    from pmo.scheduling import services

    source = make_project()
    plan = services.replace_plan(actor=users["pm"], project=source, data=small_plan())
    workbook = xlsx.write_xlsx(plan)
    target = make_project()
    url = f"/api/v1/projects/{target.code}/plan/import/xlsx"
    denied = client.post(
        url, {"file": SimpleUploadedFile("p.xlsx", workbook)}, headers=_auth(users["viewer"])
    )
    assert denied.status_code == 403
    # refused before the file is read: a reader must not make the server unpack anything
    garbage = {"file": SimpleUploadedFile("p.xlsx", b"not a workbook")}
    unread = client.post(url, garbage, headers=_auth(users["viewer"]))
    assert unread.status_code == 403
    created = client.post(
        url, {"file": SimpleUploadedFile("p.xlsx", workbook)}, headers=_auth(users["pm"])
    )
    assert (created.status_code, created.json()["finish"]) == (201, "2026-03-11T17:00:00")
    # the file's bytes decide how it is read, not the URL's format: XML sent as XLSX is read
    # as the XML it is, and refused for what is wrong in it
    wrong_format = client.post(
        url, {"file": SimpleUploadedFile("p.xlsx", b"<Project/>")}, headers=_auth(users["pm"])
    )
    assert wrong_format.status_code == 422
    assert wrong_format.json()["detail"].startswith("file: root element is <Project>, expected")
    not_a_workbook = client.post(
        url,
        {"file": SimpleUploadedFile("p.xlsx", b"PK\x03\x04 no zip")},
        headers=_auth(users["pm"]),
    )
    assert (not_a_workbook.status_code, not_a_workbook.json()["detail"]) == (
        422,
        "file: not an XLSX workbook",
    )
    assert not_a_workbook.json()["errors"] == [{"field": "file", "message": "not an XLSX workbook"}]


def test_a_workbook_that_unpacks_too_far_is_refused_unread(
    client: Any, make_project: Any, users: Any, monkeypatch: Any
) -> None:
    from pmo.core import uploads
    from pmo.interop import xlsx
    from pmo.scheduling import services

    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    workbook = xlsx.write_xlsx(plan)
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 1000)  # a real plan unpacks to more
    answer = client.post(
        f"/api/v1/projects/{plan.project.code}/plan/import/xlsx",
        {"file": SimpleUploadedFile("p.xlsx", workbook)},
        headers=_auth(users["pm"]),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("file: the file unpacks to 0 MB, more than the 0 MB")


def test_a_plan_with_too_many_rows_stops_being_read(monkeypatch: Any) -> None:
    import io

    from openpyxl import Workbook

    from pmo.interop import xlsx
    from pmo.interop.errors import ImportFileError

    monkeypatch.setattr(xlsx, "MAX_TASK_ROWS", 3)
    book = Workbook()
    book.active.title = "Plan"
    sheet = book.create_sheet("Tasks")
    sheet.append(xlsx.COLUMNS)
    for uid in range(1, 6):
        sheet.append([uid, "", 1, f"T{uid}", 1])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportFileError, match="Tasks: more than 3 tasks; split the plan"):
        xlsx.read_xlsx(out.getvalue())


def test_a_file_that_cannot_be_scheduled_is_charged_to_the_file(
    client: Any, make_project: Any, users: Any
) -> None:
    from pmo.scheduling.planio import LinkData

    data = small_plan()
    data.tasks[1].predecessors.append(LinkData(pred_uid=5))  # Design after Release: a cycle
    project = make_project()
    refused = client.post(
        f"/api/v1/projects/{project.code}/plan/import/msproject",
        {"file": SimpleUploadedFile("plan.xml", write_mspdi(data), "application/xml")},
        headers=_auth(users["pm"]),
    )
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("the links form a cycle: UID 2")
    assert [e["field"] for e in refused.json()["errors"]] == ["file"]
    nothing = client.get(f"/api/v1/projects/{project.code}/plan", headers=_auth(users["pm"]))
    assert nothing.status_code == 404
