"""Someone who may read a gate review but not prepare it reads its checklist as a list (a
tick for each criterion met, its evidence and note as text and links), not as a form with
disabled boxes; a post of theirs naming no step is the 403 page, as the steps are."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from pmo.governance import services
from pmo.governance.models import GateReview


@pytest.fixture
def review(users: Any, governed: Any) -> GateReview:
    """The first gate's review of a project of ``pm``: one criterion met, with its evidence
    and a note, the others not."""
    project = governed(code="RRD1")
    review = services.request_review(actor=users["pm"], project=project)
    first, *others = review.checks.all()
    return services.prepare_review(
        actor=users["pm"],
        review=review,
        version=review.version,
        checks=[
            {
                "criterion_id": first.criterion_id,
                "met": True,
                "evidence_url": "https://docs/charter",
                "note": "signed 3 March",
            },
            *({"criterion_id": c.criterion_id, "met": False} for c in others),
        ],
        deliverables=[],
    )


def _page(user: Any, review: GateReview) -> str:
    client = Client()
    client.force_login(user)
    answer = client.get(f"/projects/RRD1/gate-reviews/{review.pk}/")
    assert answer.status_code == 200
    return answer.content.decode()


def _prepare_card(page: str) -> str:
    found = re.search(r'<(form|section)[^>]*id="prepare".*?</\1>', page, re.S)
    assert found is not None
    return found.group(0)


def test_a_reader_reads_the_checklist_as_a_list_with_ticks(users: Any, review: Any) -> None:
    card = _prepare_card(_page(users["viewer"], review))
    criteria = review.checks.count()

    assert card.startswith("<section")
    assert "<form" not in card and "<input" not in card and "<button" not in card
    assert "disabled" not in card
    assert card.count('data-met="yes"') == 1
    assert card.count('data-met="no"') == criteria - 1
    assert '<a href="https://docs/charter">evidence</a>' in card
    assert "signed 3 March" in card


def test_who_may_prepare_still_gets_the_form(users: Any, review: Any) -> None:
    card = _prepare_card(_page(users["pm"], review))

    assert card.startswith('<form method="post"')
    assert card.count('type="checkbox"') == review.checks.count()
    assert card.count("checked") == 1
    assert "data-met" not in card


def test_a_readers_post_naming_no_step_is_a_403(users: Any, review: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(users["viewer"])

    answer = client.post(f"/projects/RRD1/gate-reviews/{review.pk}/", {"met_1": "on"})

    assert answer.status_code == 403
    assert answer.templates[0].name == "403.html"
    assert "You may read this project but not change it." in html.unescape(answer.content.decode())
    assert GateReview.objects.get(pk=review.pk).version == review.version
