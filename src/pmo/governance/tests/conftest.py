"""Governance fixtures: projects on the built-in generic lifecycle.

Generic: idea → (G1) planning → (G2) execution → (G3) closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

START = dt.date(2026, 1, 5)
IN_2026 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
"""A Friday of the lifecycles' first year: 10:00 in Shanghai, the gates of START's
lifecycles past (G1 2026-02-04, G2 2026-03-21) or ahead (G3 on the finish, 2026-12-31)."""


@pytest.fixture
def in_2026() -> Iterator[None]:
    """Run the test on :data:`IN_2026`, the clock ticking from there. For the tests that read
    dates of START's lifecycles (2026) and dates counted from today in one window of at most
    731 days (the gate calendar's longest): on the real clock that window stops holding both
    in 2028."""
    with time_machine.travel(IN_2026, tick=True):
        yield


@pytest.fixture
def generic(db: Any) -> Any:
    from pmo.governance.models import LifecycleTemplate

    return LifecycleTemplate.objects.get(code="generic", revision=1)


@pytest.fixture
def governed(
    users: dict[str, Any], make_project: Callable[..., Any], generic: Any
) -> Callable[..., Any]:
    """A factory: a new project (PM ``pm``) that follows the generic lifecycle from START."""
    from pmo.governance import services

    def make(**fields: Any) -> Any:
        project = make_project(**fields)
        services.start_lifecycle(
            actor=users["admin"], project=project, template=generic, started_on=START
        )
        project.refresh_from_db()
        return project

    return make


def tick_all(users: dict[str, Any], review: Any) -> Any:
    """Meet every criterion and link every deliverable of a review (as the PMO)."""
    from pmo.governance import services

    return services.prepare_review(
        actor=users["admin"],
        review=review,
        version=review.version,
        checks=[
            {"criterion_id": c.criterion_id, "met": True, "evidence_url": "https://docs/x"}
            for c in review.checks.all()
        ],
        deliverables=[
            {"deliverable_id": d.deliverable_id, "url": "https://docs/d"}
            for d in review.deliverables.all()
        ],
    )


def pass_gate(users: dict[str, Any], project: Any, on: dt.date | None = None) -> Any:
    """Request, prepare and pass the next gate of ``project`` with a plain Go."""
    from pmo.governance import services

    review = services.request_review(actor=users["pm"], project=project)
    review = tick_all(users, review)
    return services.decide_gate(
        actor=users["exec"], review=review, outcome="go", decided_on=on or START
    )
