"""A gate review submitted for decision reaches its deciders as notifications (the
``review_submitted`` signal of governance, received here: ADR 0002)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from pmo.dependencies.models import Notification
from pmo.governance import services, submission
from pmo.governance.tests.conftest import generic, governed, tick_all

__all__ = ["generic", "governed"]  # the governance app's fixtures, used here


def test_the_deciders_are_told_and_the_submitter_is_not(users: Any, governed: Any) -> None:
    review = services.request_review(actor=users["pm"], project=governed(code="TOLD1"))
    review = tick_all(users, review)
    submission.submit_review(actor=users["pm"], review=review, version=review.version)
    notices = Notification.objects.filter(url=f"/projects/TOLD1/gate-reviews/{review.pk}/")
    assert sorted(n.user.username for n in notices) == ["admin", "exec"]
    with translation.override("en"):
        assert {n.text for n in notices} == {
            f"{users['pm'].person.name} submitted the review of gate G1 of TOLD1 for decision: "
            "its checklist is complete"
        }
    assert not Notification.objects.filter(user=users["pm"], url__contains="gate-reviews").exists()
