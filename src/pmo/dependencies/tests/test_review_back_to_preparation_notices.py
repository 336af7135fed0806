"""A gate review submitted for decision and taken back to preparation by a change of its
checklist reaches its deciders as notifications (the ``review_back_to_preparation`` signal
of governance, received here: ADR 0002)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from pmo.dependencies.models import Notification
from pmo.governance import services, submission
from pmo.governance.tests.conftest import generic, governed, tick_all

__all__ = ["generic", "governed"]  # the governance app's fixtures, used here

BACK = "took the review of gate"


def _submitted(users: Any, governed: Any, code: str) -> Any:
    review = services.request_review(actor=users["pm"], project=governed(code=code))
    review = tick_all(users, review)
    submission.submit_review(actor=users["pm"], review=review, version=review.version)
    review.refresh_from_db()
    return review


def test_each_decider_is_told_the_review_went_back_to_preparation(users, governed) -> None:
    review = _submitted(users, governed, "BACKN1")
    check = review.checks.first()
    services.prepare_review(
        actor=users["pm"],
        review=review,
        version=review.version,
        checks=[{"criterion_id": check.criterion_id, "met": False}],
    )
    notices = Notification.objects.filter(
        url=f"/projects/BACKN1/gate-reviews/{review.pk}/", message_id__contains=BACK
    )
    assert sorted(n.user.username for n in notices) == ["admin", "exec"]
    with translation.override("en"):
        assert {n.text for n in notices} == {
            f"{users['pm'].person.name} took the review of gate G1 of BACKN1 back to "
            "preparation: its checklist changed"
        }
    # the one who changed it is not told; the submission's notices are still there
    assert not Notification.objects.filter(user=users["pm"], url__contains="gate-reviews")
    submitted = Notification.objects.filter(url__contains=f"/{review.pk}/").exclude(
        message_id__contains=BACK
    )
    assert submitted.count() == 2


def test_a_date_change_tells_nobody(users, governed) -> None:
    review = _submitted(users, governed, "BACKN2")
    services.prepare_review(
        actor=users["admin"], review=review, version=review.version, notes="for March"
    )
    assert not Notification.objects.filter(message_id__contains=BACK).exists()
