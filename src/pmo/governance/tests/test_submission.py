"""A prepared gate review is submitted for decision (ADR 0002, "Submitting a review for
decision"): refused while the checklist is incomplete (naming what is missing), handed over
to the deciders (told through ``review_submitted``), shown as ready on the review, the
lifecycle page and the steering agenda, taken back to preparation by a checklist change,
audited; web and API."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, PermissionDeniedError
from pmo.governance import checklist, services, steering, submission
from pmo.governance.models import GateReview
from pmo.governance.signals import review_submitted
from pmo.governance.tests.conftest import tick_all

TODAY = dt.date.today()


@pytest.fixture
def told() -> Any:
    """What ``review_submitted`` was sent with, one dict per submission."""
    sent: list[dict[str, Any]] = []

    def receive(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    review_submitted.connect(receive, dispatch_uid="test.review_submitted")
    yield sent
    review_submitted.disconnect(dispatch_uid="test.review_submitted")


def _requested(users: Any, governed: Any, code: str = "SUB1") -> GateReview:
    project = governed(code=code)
    return services.request_review(actor=users["pm"], project=project)


def _api(client: Any, user: str, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(
        url,
        json.dumps(body, default=str) if body is not None else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {create_token(username=user)}",
    )


def _events(review: GateReview) -> list[Any]:
    return [
        e.changes.get(checklist.SUBMITTED)
        for e in AuditEvent.objects.filter(scope=f"project:{review.lifecycle.project_id}")
        .filter(object_id=str(review.pk))
        .order_by("id")
        if checklist.SUBMITTED in e.changes
    ]


def test_an_incomplete_checklist_is_refused_naming_every_missing_row(users, governed, told):
    review = _requested(users, governed)
    checks = list(review.checks.select_related("criterion"))
    links = list(review.deliverables.select_related("deliverable"))
    # tick the first criterion only; the generic G1 has mandatory criteria and deliverables
    review = services.prepare_review(
        actor=users["pm"],
        review=review,
        version=review.version,
        checks=[{"criterion_id": checks[0].criterion_id, "met": True}],
    )
    with pytest.raises(ConflictError) as caught:
        submission.submit_review(actor=users["pm"], review=review, version=review.version)
    mandatory_c = [n for n, c in enumerate(checks) if c.criterion.mandatory and n != 0]
    mandatory_d = [n for n, d in enumerate(links) if d.deliverable.mandatory]
    assert mandatory_c and mandatory_d  # the fixture's gate has both
    assert [e["field"] for e in caught.value.errors] == [f"checks.{n}.met" for n in mandatory_c] + [
        f"deliverables.{n}.url" for n in mandatory_d
    ]
    message = caught.value.message
    assert message.startswith("the checklist is not complete: criterion not met: ")
    for n in mandatory_c:
        assert checks[n].criterion.text in message
    for n in mandatory_d:
        assert f"deliverable missing: {links[n].deliverable.name}" in message
    review.refresh_from_db()
    assert review.submitted_at is None and review.stage == "preparing" and told == []


def test_a_complete_checklist_is_handed_over_to_the_deciders(users, governed, told):
    review = tick_all(users, _requested(users, governed))
    submitted = submission.submit_review(actor=users["pm"], review=review, version=review.version)
    review.refresh_from_db()
    assert (review.stage, review.ready_for_decision, review.submitted_by) == (
        "ready",
        True,
        users["pm"],
    )
    assert review.state == "requested" and submitted.version == review.version
    assert _events(review) == [[False, True]]
    # the generic gates are decided by executives and PMO admins who can see the project
    (sent,) = told
    assert sorted(u.username for u in sent["deciders"]) == ["admin", "exec"]
    assert sent["url"] == f"/projects/SUB1/gate-reviews/{review.pk}/"
    assert str(sent["message"]) % {k: str(v) for k, v in sent["params"].items()} == (
        f"{users['pm'].person.name} submitted the review of gate G1 of SUB1 for decision: "
        "its checklist is complete"
    )
    # once only, by who may edit the project, with the version read
    with pytest.raises(ConflictError, match="submitted for decision already"):
        submission.submit_review(actor=users["pm"], review=review, version=review.version)
    review.submitted_at = None
    with pytest.raises(PermissionDeniedError):
        submission.submit_review(actor=users["other_pm"], review=review, version=None)
    with pytest.raises(ConflictError):
        submission.submit_review(actor=users["admin"], review=review, version=1)


def test_the_submitter_is_not_told_and_a_pmo_admin_submits(users, governed, told):
    review = tick_all(users, _requested(users, governed))
    submission.submit_review(actor=users["admin"], review=review, version=review.version)
    assert [u.username for u in told[0]["deciders"]] == ["exec"]


def test_a_checklist_change_takes_it_back_to_preparation_the_date_does_not(
    users, governed, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    review = tick_all(users, _requested(users, governed))
    submission.submit_review(actor=users["pm"], review=review, version=review.version)
    review.refresh_from_db()
    # the review date and notes are the PMO's planning: still ready
    review = services.prepare_review(
        actor=users["admin"],
        review=review,
        version=review.version,
        scheduled_for=TODAY + dt.timedelta(days=9),
        notes="for the next meeting",
    )
    review.refresh_from_db()
    assert review.ready_for_decision
    check = review.checks.first()
    review = services.prepare_review(
        actor=users["pm"],
        review=review,
        version=review.version,
        checks=[{"criterion_id": check.criterion_id, "met": True, "note": "reworded"}],
    )
    review.refresh_from_db()
    assert (review.stage, review.submitted_by) == ("preparing", None)
    assert _events(review) == [[False, True], [True, False]]
    # submitted again, then a new file: back again
    submission.submit_review(actor=users["pm"], review=review, version=review.version)
    review.refresh_from_db()
    link = review.deliverables.first()
    services.attach_deliverable_file(
        actor=users["pm"],
        review=review,
        deliverable_id=link.deliverable_id,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        version=review.version,
    )
    review.refresh_from_db()
    assert review.stage == "preparing"
    assert _events(review) == [[False, True], [True, False], [False, True], [True, False]]


def test_a_decided_review_cannot_be_submitted_and_deciding_needs_no_submission(users, governed):
    review = tick_all(users, _requested(users, governed))
    services.decide_gate(actor=users["exec"], review=review, outcome="go", decided_on=TODAY)
    review.refresh_from_db()
    assert review.stage == "decided"
    with pytest.raises(ConflictError, match="is decided and cannot be submitted"):
        submission.submit_review(actor=users["pm"], review=review, version=review.version)


def test_the_api_submits_and_names_the_missing_rows(client, users, governed, told):
    review = _requested(users, governed)
    url = f"/api/v1/projects/SUB1/gate-reviews/{review.pk}"
    answer = _api(client, "pm", "post", f"{url}/submit", {"version": review.version})
    assert answer.status_code == 409
    body = answer.json()
    assert body["detail"].startswith("the checklist is not complete")
    assert {e["field"].split(".")[0] for e in body["errors"]} == {"checks", "deliverables"}
    assert all(
        re.fullmatch(r"(checks\.\d+\.met|deliverables\.\d+\.url)", e["field"])
        for e in body["errors"]
    )
    got = _api(client, "pm", "get", url).json()
    assert (got["stage"], got["ready_for_decision"], got["submitted_at"]) == (
        "preparing",
        False,
        None,
    )
    review = tick_all(users, review)
    answer = _api(client, "pm", "post", f"{url}/submit", {"version": review.version})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["stage"], body["ready_for_decision"], body["submitted_by"]) == (
        "ready",
        True,
        "pm",
    )
    assert body["submitted_at"] and len(told) == 1
    listed = _api(client, "exec", "get", "/api/v1/projects/SUB1/gate-reviews").json()
    assert [(r["id"], r["stage"]) for r in listed["items"]] == [(review.pk, "ready")]
    # a reader may not submit
    assert _api(client, "viewer", "post", f"{url}/submit", {}).status_code in (403, 404)


def test_the_pages_show_the_review_ready_for_decision(client, users, governed, told):
    review = _requested(users, governed)
    client.force_login(users["pm"])
    page_url = f"/projects/SUB1/gate-reviews/{review.pk}/"
    page = client.get(page_url).content.decode()
    assert 'id="submit-review"' in page and 'data-testid="missing"' in page
    # Submit saves what was ticked, then refuses what is still missing
    first = review.checks.select_related("criterion").first()
    answer = client.post(
        page_url,
        {
            "action": "prepare",
            "version": review.version,
            f"met_{first.criterion_id}": "on",
            "submit": "1",
        },
        follow=True,
    )
    shown = answer.content.decode()
    assert "Not submitted for decision: the checklist is not complete: " in shown
    assert "deliverable missing: " in shown and "The checklist is saved." in shown
    review.refresh_from_db()
    assert review.checks.get(criterion_id=first.criterion_id).met and not review.submitted_at
    # all ticked and linked, one click
    form = {"action": "prepare", "version": review.version, "submit": "1"}
    for check in review.checks.all():
        form[f"met_{check.criterion_id}"] = "on"
    for link in review.deliverables.all():
        form[f"url_{link.deliverable_id}"] = "https://docs.example.com/d"
    shown = client.post(page_url, form, follow=True).content.decode()
    assert "Submitted for decision: the deciders are notified." in shown
    assert re.search(r'id="review-state" data-stage="ready">Ready for decision<', shown)
    assert 'id="submitted"' in shown and 'id="submit-review"' not in shown
    lifecycle = client.get("/projects/SUB1/lifecycle/").content.decode()
    assert '<td data-stage="ready">Ready for decision</td>' in lifecycle
    assert 'data-testid="review-ready"' in lifecycle
    # the steering agenda says so, on the page and in the API
    meeting = steering.create_meeting(
        actor=users["admin"],
        data={"title": "SC", "date": TODAY + dt.timedelta(days=3), "window_days": 366},
    )
    client.force_login(users["exec"])
    agenda = client.get(f"/steering-meetings/{meeting.pk}/").content.decode()
    row = re.search(r'<tr data-kind="gate" data-code="SUB1" data-ready>.*?</tr>', agenda, re.S)
    assert row and "ready for decision" in row.group(0)
    line = next(
        a
        for a in _api(client, "exec", "get", f"/api/v1/steering-meetings/{meeting.pk}").json()[
            "agenda"
        ]
        if a["project"] == "SUB1"
    )
    assert line["review_ready"] is True and line["title"].endswith("· ready for decision")
    # the decider reads that it was handed over; a review not submitted says so
    page = client.get(page_url).content.decode()
    assert 'id="not-submitted"' not in page and "Submitted for decision on" in page
