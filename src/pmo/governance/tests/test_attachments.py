"""Deliverables attached as files: upload, replace, download, limits, permissions, audit."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError
from pmo.governance import services
from pmo.governance.models import DeliverableLink, GateDecision
from pmo.portfolio.models import Project

PDF = b"%PDF-1.4 charter\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads go to a temporary MEDIA_ROOT, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PMO_MAX_UPLOAD_MB = 20
    return tmp_path / "media"


@pytest.fixture
def review(users, governed):
    """The open G1 review of a generic project (deliverable: project charter, mandatory)."""
    project = governed()
    return services.request_review(actor=users["pm"], project=project)


def charter(review):
    return review.deliverables.get()


def url(review, suffix="file"):
    link = charter(review)
    code = review.lifecycle.project.code
    return (
        f"/api/v1/projects/{code}/gate-reviews/{review.pk}/deliverables/"
        f"{link.deliverable_id}/{suffix}"
    )


def web_url(review):
    code = review.lifecycle.project.code
    return (
        f"/projects/{code}/gate-reviews/{review.pk}/deliverables/"
        f"{charter(review).deliverable_id}/file/"
    )


def upload(client, user, target, name="charter.pdf", content=PDF, **extra):
    data = {"file": SimpleUploadedFile(name, content, content_type="application/pdf"), **extra}
    token = create_token(username=user.username)
    return client.post(target, data, headers={"Authorization": f"Bearer {token}"})


def download(client, user, target):
    token = create_token(username=user.username)
    return client.get(target, headers={"Authorization": f"Bearer {token}"})


def stored_files(media):
    return sorted(p for p in Path(media).rglob("*") if p.is_file())


def tick_criteria(users, review):
    review.refresh_from_db()
    return services.prepare_review(
        actor=users["pm"],
        review=review,
        version=review.version,
        checks=[{"criterion_id": c.criterion_id, "met": True} for c in review.checks.all()],
    )


# --- API ----------------------------------------------------------------------------------------


def test_the_pm_uploads_a_deliverable_file_through_the_api(client, users, review, media):
    response = upload(client, users["pm"], url(review))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2
    assert body["deliverables"][0]["url"] == ""
    file = body["deliverables"][0]["file"]
    assert (file["name"], file["size"], file["content_type"], file["uploaded_by"]) == (
        "charter.pdf",
        len(PDF),
        "application/pdf",
        "pm",
    )
    [path] = stored_files(media)
    assert path.read_bytes() == PDF
    assert path.suffix == ".pdf"
    assert path.parent == media / "gate-reviews" / str(review.pk) / str(
        charter(review).deliverable_id
    )
    assert services.unmet_requirements(review) == [
        "criterion: Sponsor confirms the need",
        "criterion: Budget and resources committed",
    ]


def test_an_upload_is_audited_in_the_project_scope(client, users, review):
    upload(client, users["pm"], url(review))
    event = AuditEvent.objects.filter(object_type="governance.gatereview").latest("id")
    key = f"deliverable {charter(review).deliverable_id} file"
    assert (event.scope, event.actor_name, event.action) == (
        f"project:{review.lifecycle.project_id}",
        "pm",
        "update",
    )
    assert event.changes == {key: [None, f"charter.pdf ({len(PDF)} bytes)"]}


def test_a_new_file_replaces_the_previous_one(
    client, users, review, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, users["pm"], url(review))
    [first] = stored_files(media)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client, users["admin"], url(review), name="charter v2.docx", content=b"v2"
        )
    assert response.status_code == 200
    assert response.json()["deliverables"][0]["file"]["name"] == "charter v2.docx"
    [second] = stored_files(media)
    assert (first.exists(), second.read_bytes(), second.suffix) == (False, b"v2", ".docx")
    event = AuditEvent.objects.filter(object_type="governance.gatereview").latest("id")
    assert list(event.changes.values()) == [
        [f"charter.pdf ({len(PDF)} bytes)", "charter v2.docx (2 bytes)"]
    ]


def test_download_is_an_attachment_with_the_original_name(client, users, review):
    upload(client, users["pm"], url(review), name="项目章程.pdf")
    response = download(client, users["viewer"], url(review))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E9%A1%B9%E7%9B%AE%E7%AB%A0%E7%A8%8B.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_without_a_file_is_404(client, users, review):
    response = download(client, users["pm"], url(review))
    assert response.status_code == 404
    assert response.json()["detail"] == (
        f"deliverable {charter(review).deliverable_id} of review {review.pk} has no file"
    )


def test_a_viewer_of_another_org_unit_gets_404(client, users, review, media):
    upload(client, users["pm"], url(review))
    assert download(client, users["uk_viewer"], url(review)).status_code == 404
    response = upload(client, users["uk_viewer"], url(review), content=b"other")
    assert response.status_code == 404
    assert [p.read_bytes() for p in stored_files(media)] == [PDF]


def test_an_executive_reads_but_cannot_upload(client, users, review, media):
    response = upload(client, users["exec"], url(review))
    assert response.status_code == 403
    assert stored_files(media) == []
    assert charter(review).file.name == ""


def test_a_file_above_the_limit_gets_413(client, users, review, media, settings):
    settings.PMO_MAX_UPLOAD_MB = 1
    response = upload(client, users["pm"], url(review), content=b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json() == {
        "detail": "file: the file has 1048577 bytes, more than the limit of 1 MB",
        "errors": [
            {"field": "file", "message": "the file has 1048577 bytes, more than the limit of 1 MB"}
        ],
    }
    assert stored_files(media) == []
    ok = upload(client, users["pm"], url(review), content=b"x" * (1024 * 1024))
    assert ok.status_code == 200


def test_a_dangerous_type_gets_422(client, users, review, media):
    response = upload(client, users["pm"], url(review), name="setup.exe", content=b"MZ")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "file"
    assert error["message"].startswith(".exe files are not accepted; allowed: csv, doc, docx")
    response = upload(client, users["pm"], url(review), name="README", content=b"hi")
    assert response.json()["errors"][0]["message"].startswith(
        "files without an extension are not accepted"
    )
    assert stored_files(media) == []


def test_an_empty_file_gets_422(client, users, review, media):
    response = upload(client, users["pm"], url(review), content=b"")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": "the file is empty"}]
    assert stored_files(media) == []


def test_a_missing_file_part_gets_422_naming_the_field(client, users, review):
    token = create_token(username=users["pm"].username)
    response = client.post(url(review), {}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["file"]


def test_a_stale_version_gets_409(client, users, review, media):
    response = upload(client, users["pm"], url(review), version=7)
    assert response.status_code == 409
    assert response.json()["current_version"] == 1
    assert stored_files(media) == []


def test_a_path_in_the_file_name_never_reaches_the_disk(users, review, media):
    link = services.attach_deliverable_file(
        actor=users["pm"],
        review=review,
        deliverable_id=charter(review).deliverable_id,
        upload=SimpleUploadedFile("x.txt", b"secret"),
    )
    assert link.file_name == "x.txt"
    link = services.attach_deliverable_file(
        actor=users["pm"],
        review=review,
        deliverable_id=charter(review).deliverable_id,
        upload=SimpleUploadedFile("..\\..\\etc\\passwd.txt", b"secret"),
    )
    assert link.file_name == "passwd.txt"
    assert all(p.is_relative_to(media / "gate-reviews") for p in stored_files(media))


def test_a_decided_review_refuses_uploads_with_409(client, users, review, media):
    upload(client, users["pm"], url(review))
    review = tick_criteria(users, review)
    services.decide_gate(actor=users["exec"], review=review, outcome="go")
    response = upload(client, users["pm"], url(review), content=b"changed")
    assert response.status_code == 409
    assert response.json()["detail"] == "the review is decided: its documents cannot change"
    assert [p.read_bytes() for p in stored_files(media)] == [PDF]
    assert download(client, users["pm"], url(review)).status_code == 200


def test_a_gate_passes_when_its_mandatory_deliverable_is_a_file(client, users, review):
    review = tick_criteria(users, review)
    with pytest.raises(ConflictError, match="deliverable: Project charter"):
        services.decide_gate(actor=users["exec"], review=review, outcome="go")
    upload(client, users["pm"], url(review))
    services.decide_gate(actor=users["exec"], review=review, outcome="go")
    decision = GateDecision.objects.get(review=review)
    assert (decision.outcome, decision.waived) == ("go", [])
    assert Project.objects.get(pk=review.lifecycle.project_id).phase == "planning"


# --- web ----------------------------------------------------------------------------------------


def test_the_pm_uploads_and_downloads_on_the_review_page(client, users, review, media):
    client.force_login(users["pm"])
    page = client.get(f"/projects/{review.lifecycle.project.code}/gate-reviews/{review.pk}/")
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    deliverable = charter(review).deliverable_id
    assert f'name="file_{deliverable}"' in html
    # "Upload file" posts the whole checklist form: what was ticked goes with the file
    criterion = review.checks.first().criterion_id
    response = client.post(
        page.request["PATH_INFO"],
        {
            "action": "prepare",
            "version": review.version,
            f"met_{criterion}": "on",
            f"note_{criterion}": "sponsor mail",
            f"file_{deliverable}": SimpleUploadedFile("charter.pdf", PDF),
            "upload": str(deliverable),
        },
    )
    assert response.status_code == 302
    check = review.checks.get(criterion_id=criterion)
    assert (check.met, check.note) == (True, "sponsor mail")
    page = client.get(response["Location"]).content.decode()
    assert "File charter.pdf attached." in page
    assert 'class="deliverable-file"' in page and "Replace file" in page
    download_response = client.get(web_url(review))
    assert download_response.status_code == 200
    assert b"".join(download_response.streaming_content) == PDF
    assert download_response["Content-Disposition"] == 'attachment; filename="charter.pdf"'
    assert download_response["X-Content-Type-Options"] == "nosniff"
    assert charter(review).uploaded_by == users["pm"]


def test_web_upload_errors_are_shown_and_nothing_is_stored(client, users, review, media):
    client.force_login(users["pm"])
    response = client.post(web_url(review), {"file": SimpleUploadedFile("x.exe", b"MZ")})
    page = client.get(response["Location"]).content.decode()
    assert ".exe files are not accepted" in page and "file: .exe" not in page  # no API name
    response = client.post(web_url(review), {})
    page = client.get(response["Location"]).content.decode()
    assert "choose a file to upload" in page and "file: choose" not in page
    assert stored_files(media) == []


def test_web_upload_by_an_executive_is_refused(client, users, review, media):
    client.force_login(users["exec"])
    response = client.post(web_url(review), {"file": SimpleUploadedFile("c.pdf", PDF)})
    assert response.status_code == 403  # the 403 page saying why (refuse_reader)
    assert "You may read this project but not change it." in response.content.decode()
    assert stored_files(media) == []
    assert DeliverableLink.objects.filter(review=review).exclude(file="").count() == 0


def test_web_download_by_a_viewer_of_another_org_unit_is_404(client, users, review):
    services.attach_deliverable_file(
        actor=users["pm"],
        review=review,
        deliverable_id=charter(review).deliverable_id,
        upload=SimpleUploadedFile("c.pdf", PDF),
    )
    client.force_login(users["uk_viewer"])
    assert client.get(web_url(review)).status_code == 404
    client.force_login(users["viewer"])
    assert client.get(web_url(review)).status_code == 200


def test_a_withdrawn_review_refuses_uploads_with_409(client, users, review, media):
    services.withdraw_review(actor=users["pm"], review=review, version=review.version)
    response = upload(client, users["pm"], url(review))
    assert response.status_code == 409
    assert response.json()["detail"] == "the review is withdrawn: its documents cannot change"
    assert stored_files(media) == []


def test_a_deliverable_of_another_gate_is_404(client, users, review, media):
    code = review.lifecycle.project.code
    target = f"/api/v1/projects/{code}/gate-reviews/{review.pk}/deliverables/999999/file"
    response = upload(client, users["pm"], target)
    assert response.status_code == 404
    assert response.json()["detail"] == "deliverable 999999 is not a deliverable of this gate"
    assert stored_files(media) == []


def test_a_failed_upload_leaves_no_file_behind(users, review, media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr("pmo.governance.attachments.record", broken)
    with pytest.raises(RuntimeError, match="audit store down"):
        services.attach_deliverable_file(
            actor=users["pm"],
            review=review,
            deliverable_id=charter(review).deliverable_id,
            upload=SimpleUploadedFile("c.pdf", PDF),
        )
    assert stored_files(media) == []
    assert charter(review).file.name == ""
