"""Two deciders on the same gate at the same time: exactly one wins, the other gets a 409.

The threaded test needs a database that several connections share with row locks: it is
defined for PostgreSQL only (``make unit-postgres``). SQLite's in-memory test database is
shared-cache, where a second writer fails with "table is locked" instead of waiting; the
production SQLite set-up (a file, WAL, ``BEGIN IMMEDIATE``, busy timeout) serialises writers,
and the sequential test below covers the check that makes the second one a 409.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection

from pmo.core.errors import ConflictError
from pmo.governance import services
from pmo.governance.models import GateDecision, GateReview
from pmo.governance.tests.conftest import tick_all


def test_a_second_decider_holding_a_stale_review_gets_a_conflict(users, governed):
    project = governed()
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    first, second = GateReview.objects.get(pk=review.pk), GateReview.objects.get(pk=review.pk)
    services.decide_gate(actor=users["exec"], review=first, outcome="go", version=first.version)
    with pytest.raises(ConflictError, match="already decided"):
        services.decide_gate(
            actor=users["admin"], review=second, outcome="stop", rationale="x", version=2
        )
    assert list(GateDecision.objects.values_list("outcome", flat=True)) == ["go"]


ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.django_db(transaction=True)
def _concurrent_decisions_on_one_gate_exactly_one_wins(users, governed):
    project = governed()
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(actor: str, outcome: str) -> None:
        try:
            barrier.wait()
            services.decide_gate(
                actor=users[actor], review=review, outcome=outcome, rationale="r", version=2
            )
            results.append("won")
        except ConflictError:
            results.append("409")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("exec", "go")),
        threading.Thread(target=decide, args=("admin", "hold")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["409", "won"]
    assert GateDecision.objects.filter(review=review).count() == 1


if ON_POSTGRESQL:
    test_concurrent_decisions_on_one_gate_exactly_one_wins = (
        _concurrent_decisions_on_one_gate_exactly_one_wins
    )
