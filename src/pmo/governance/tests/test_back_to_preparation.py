"""A review submitted for decision that a checklist change takes back to preparation tells
its deciders through ``review_back_to_preparation`` (ADR 0002, "Submitting a review for
decision"); a review never submitted, and a change of the date or notes, tell nobody."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from pmo.governance import services, submission
from pmo.governance.models import GateReview
from pmo.governance.signals import review_back_to_preparation
from pmo.governance.tests.conftest import tick_all


@pytest.fixture
def taken_back() -> Any:
    """What ``review_back_to_preparation`` was sent with, one dict per step back."""
    sent: list[dict[str, Any]] = []

    def receive(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    review_back_to_preparation.connect(receive, dispatch_uid="test.back_to_preparation")
    yield sent
    review_back_to_preparation.disconnect(dispatch_uid="test.back_to_preparation")


def _submitted(users: Any, governed: Any, code: str = "BACK1") -> GateReview:
    review = services.request_review(actor=users["pm"], project=governed(code=code))
    review = tick_all(users, review)
    submission.submit_review(actor=users["pm"], review=review, version=review.version)
    review.refresh_from_db()
    return review


def _text(sent: dict[str, Any]) -> str:
    return str(sent["message"]) % {k: str(v) for k, v in sent["params"].items()}


def test_a_checklist_change_tells_the_deciders_who_took_it_back(users, governed, taken_back):
    review = _submitted(users, governed)
    check = review.checks.first()
    services.prepare_review(
        actor=users["pm"],
        review=review,
        version=review.version,
        checks=[{"criterion_id": check.criterion_id, "met": False}],
    )
    (sent,) = taken_back
    assert sorted(u.username for u in sent["deciders"]) == ["admin", "exec"]
    assert sent["actor"] == users["pm"] and sent["review"].pk == review.pk
    assert sent["url"] == f"/projects/BACK1/gate-reviews/{review.pk}/"
    assert _text(sent) == (
        f"{users['pm'].person.name} took the review of gate G1 of BACK1 back to preparation: "
        "its checklist changed"
    )
    # told once: the next change finds it in preparation already
    review.refresh_from_db()
    services.prepare_review(
        actor=users["pm"],
        review=review,
        version=review.version,
        checks=[{"criterion_id": check.criterion_id, "met": True}],
    )
    assert len(taken_back) == 1


def test_a_pmo_admin_who_takes_it_back_is_not_told(users, governed, taken_back):
    review = _submitted(users, governed)
    link = review.deliverables.first()
    services.prepare_review(
        actor=users["admin"],
        review=review,
        version=review.version,
        deliverables=[{"deliverable_id": link.deliverable_id, "url": "https://docs/v2"}],
    )
    assert [u.username for u in taken_back[0]["deciders"]] == ["exec"]


def test_a_new_file_takes_it_back_and_tells_them(users, governed, taken_back, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    review = _submitted(users, governed)
    link = review.deliverables.first()
    services.attach_deliverable_file(
        actor=users["pm"],
        review=review,
        deliverable_id=link.deliverable_id,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        version=review.version,
    )
    (sent,) = taken_back
    assert sent["review"].pk == review.pk and "back to preparation" in _text(sent)


def test_nobody_is_told_of_a_review_never_submitted_or_of_its_date(
    users, governed, taken_back, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    review = services.request_review(actor=users["pm"], project=governed(code="BACK2"))
    review = tick_all(users, review)  # a checklist change of a review in preparation
    services.attach_deliverable_file(
        actor=users["pm"],
        review=review,
        deliverable_id=review.deliverables.first().deliverable_id,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    review = _submitted(users, governed, code="BACK3")
    services.prepare_review(  # planning, not the checklist: it stays ready
        actor=users["admin"],
        review=review,
        version=review.version,
        scheduled_for=dt.date.today() + dt.timedelta(days=7),
        notes="next meeting",
    )
    review.refresh_from_db()
    assert review.ready_for_decision and taken_back == []


def test_a_refused_change_tells_nobody(users, governed, taken_back):
    review = _submitted(users, governed)
    check = review.checks.first()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (any refusal)
        services.prepare_review(
            actor=users["pm"],
            review=review,
            version=review.version,
            checks=[{"criterion_id": check.criterion_id, "evidence_url": "ftp://x"}],
        )
    review.refresh_from_db()
    assert review.ready_for_decision and taken_back == []
