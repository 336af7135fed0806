"""Two people at once on the capacity plan (issue #6; the twenty-eighth session's audit).

- Every service that locks a row runs in its own transaction: the tests marked
  ``transaction=True`` call them outside the test's transaction, where a
  ``select_for_update`` without one fails on PostgreSQL (discarding a scenario did) and
  :func:`~pmo.resources.services.common.require_draft` refuses on any database.
- An allocation removed while someone edits it is a 409 naming who removed it, not a 500.
- A plan row whose transaction began before a scenario copied the plan but ended after it
  (its ``created_at`` is older than the copy) is new to the scenario: the scenario is out of
  date, a refresh copies it, a commit is refused instead of deleting it.
- The races themselves need several connections with row and table locks: those tests are
  defined for PostgreSQL only (as in ``governance/tests/test_concurrency.py``).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from pmo.core.errors import ConflictError
from pmo.resources import refresh, selectors, services
from pmo.resources.models import Allocation, CapacityChange, Scenario
from pmo.resources.tests.factories import MON, allocate, pool

WEEK = dt.timedelta(days=4)
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _plan(org: Any, make_project: Any) -> tuple[Any, Any, Allocation]:
    java = pool(org)
    project = make_project()
    return java, project, allocate(java, project, MON, MON + WEEK, "1", status="committed")


@pytest.mark.django_db(transaction=True)
def test_the_scenario_services_run_in_their_own_transactions(
    org: Any, users: Any, make_project: Any
) -> None:
    java, project, _row = _plan(org, make_project)
    admin = users["admin"]
    kept = services.create_scenario(actor=admin, name="kept")
    copy = Allocation.objects.get(scenario=kept)
    services.update_allocation(
        actor=admin, allocation=copy, data={"fte": Decimal("0.5")}, version=copy.version
    )
    services.add_capacity_change(
        actor=admin, resource=java, first=MON, last=MON, fte=Decimal("1"), scenario=kept
    )
    added = services.create_allocation(
        actor=admin,
        data={
            "resource_id": java.pk,
            "project_id": project.pk,
            "first": MON,
            "last": MON,
            "fte": Decimal("0.2"),
        },
        scenario=kept,
    )
    services.delete_allocation(actor=admin, allocation=added, version=added.version)
    refresh.refresh_scenario(actor=admin, scenario=kept)
    services.commit_scenario(actor=admin, scenario=kept)
    assert Allocation.objects.get(scenario=None).fte == Decimal("0.50")
    dropped = services.create_scenario(actor=admin, name="dropped")
    services.discard_scenario(actor=admin, scenario=dropped, version=dropped.version)
    dropped.refresh_from_db()
    assert dropped.state == "discarded"
    assert not Allocation.objects.filter(scenario=dropped).exists()


def test_editing_an_allocation_removed_meanwhile_names_who_removed_it(
    org: Any, users: Any, make_project: Any
) -> None:
    _java, _project, row = _plan(org, make_project)
    seen = Allocation.objects.get(pk=row.pk)  # the edit page read it
    services.delete_allocation(actor=users["member"], allocation=row, version=row.version)
    with pytest.raises(ConflictError, match=r"was removed by member at .*nothing was saved"):
        services.update_allocation(
            actor=users["admin"], allocation=seen, data={"fte": Decimal("2")}, version=1
        )
    with pytest.raises(ConflictError, match="was removed by member"):
        services.delete_allocation(actor=users["admin"], allocation=seen, version=1)


def test_editing_a_request_declined_meanwhile_gives_the_reason(
    org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org)
    request = allocate(java, make_project(), MON, MON + WEEK, "1")  # proposed
    seen = Allocation.objects.get(pk=request.pk)
    services.decide_requests(
        actor=users["admin"], decline=[(request.pk, request.version)], reason="no budget"
    )
    with pytest.raises(ConflictError, match=r"was declined by admin at .*“no budget”"):
        services.update_allocation(
            actor=users["member"], allocation=seen, data={"fte": Decimal("2")}, version=1
        )


def _begun_before_the_copy(row: Allocation, scenario: Scenario) -> None:
    """``row`` as a transaction that began before ``scenario`` copied the plan and committed
    after it leaves it: a new id, timestamps older than the copy."""
    before = (scenario.copied_at or scenario.created_at) - dt.timedelta(seconds=1)
    Allocation.objects.filter(pk=row.pk).update(created_at=before, updated_at=before)


def test_a_plan_row_committed_after_the_copy_is_new_to_the_scenario(
    org: Any, users: Any, make_project: Any
) -> None:
    java, project, _row = _plan(org, make_project)
    admin = users["admin"]
    scenario = services.create_scenario(actor=admin, name="what-if")
    late = allocate(java, project, MON, MON, "0.5", status="committed")
    _begun_before_the_copy(late, scenario)
    scenario.refresh_from_db()
    assert late.pk > (scenario.copied_up_to or 0)
    assert selectors.scenario_out_of_date(scenario) == "allocations"
    changed, _more = selectors.plan_changes_since(scenario)
    assert changed == [project.code]
    with pytest.raises(ConflictError, match="changed since this scenario was created"):
        services.commit_scenario(actor=admin, scenario=scenario)
    assert Allocation.objects.filter(pk=late.pk).exists()
    refresh.refresh_scenario(actor=admin, scenario=scenario)  # copies it: new in the plan
    assert Allocation.objects.filter(scenario=scenario, origin_id=late.pk).exists()
    scenario.refresh_from_db()
    assert selectors.scenario_out_of_date(scenario) is None
    services.commit_scenario(actor=admin, scenario=scenario)
    assert Allocation.objects.filter(pk=late.pk).exists()


def test_a_capacity_change_committed_after_the_copy_is_new_to_the_scenario(
    org: Any, users: Any, make_project: Any
) -> None:
    java, _project, _row = _plan(org, make_project)
    admin = users["admin"]
    CapacityChange.objects.create(resource=java, first=MON, last=MON, fte=Decimal("1"))
    scenario = services.create_scenario(actor=admin, name="what-if")
    assert selectors.scenario_out_of_date(scenario) is None
    # one removed and one added by a transaction older than the copy: same count
    CapacityChange.objects.filter(scenario=None).delete()
    late = CapacityChange.objects.create(
        resource=java, first=MON + WEEK, last=MON + WEEK, fte=Decimal("0")
    )
    before = (scenario.copied_at or scenario.created_at) - dt.timedelta(seconds=1)
    CapacityChange.objects.filter(pk=late.pk).update(created_at=before, updated_at=before)
    scenario.refresh_from_db()
    assert selectors.scenario_out_of_date(scenario) == "capacity"
    refresh.refresh_scenario(actor=admin, scenario=scenario)
    assert CapacityChange.objects.filter(
        scenario=scenario, copied=True, first=MON + WEEK, fte=Decimal("0")
    ).exists()


def _race(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` at once, each on its own connection; what each returned or raised."""
    results: list[Any] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[i] = call()
        except Exception as exc:  # the outcome the test reads
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _commit_races_discard(users: Any, org: Any, make_project: Any) -> None:
    _plan(org, make_project)
    for attempt in range(3):
        scenario = services.create_scenario(actor=users["admin"], name=f"race {attempt}")
        results = _race(
            partial(services.commit_scenario, actor=users["admin"], scenario=scenario, version=1),
            partial(services.discard_scenario, actor=users["member"], scenario=scenario, version=1),
        )
        failed = [r for r in results if isinstance(r, Exception)]
        assert len(failed) == 1 and isinstance(failed[0], ConflictError), results
        scenario.refresh_from_db()
        assert scenario.state in ("committed", "discarded")


def _a_plan_row_written_during_a_copy_is_copied_or_out_of_date(
    users: Any, org: Any, make_project: Any
) -> None:
    java, project, _row = _plan(org, make_project)
    for attempt in range(4):
        made: list[Any] = _race(
            partial(
                services.create_allocation,
                actor=users["member"],
                data={
                    "resource_id": java.pk,
                    "project_id": project.pk,
                    "first": MON,
                    "last": MON,
                    "fte": Decimal("0.1"),
                    "status": "committed",
                },
            ),
            partial(services.create_scenario, actor=users["admin"], name=f"copy {attempt}"),
        )
        row, scenario = made
        assert isinstance(row, Allocation) and isinstance(scenario, Scenario), made
        copied = Allocation.objects.filter(scenario=scenario, origin_id=row.pk).exists()
        assert copied or selectors.scenario_out_of_date(scenario) == "allocations"
        if not copied:
            with pytest.raises(ConflictError):
                services.commit_scenario(actor=users["admin"], scenario=scenario)
        assert Allocation.objects.filter(pk=row.pk).exists()


def _an_edit_of_a_scenario_row_during_its_commit_is_in_or_refused(
    users: Any, org: Any, make_project: Any
) -> None:
    _plan(org, make_project)
    for attempt in range(3):
        scenario = services.create_scenario(actor=users["admin"], name=f"edit {attempt}")
        copy = Allocation.objects.get(scenario=scenario)
        fte = Decimal("0.3") + Decimal(attempt) / 10
        edit, commit = _race(
            partial(
                services.update_allocation,
                actor=users["member"],
                allocation=copy,
                data={"fte": fte},
                version=copy.version,
            ),
            partial(services.commit_scenario, actor=users["admin"], scenario=scenario),
        )
        assert not isinstance(commit, Exception), commit
        if isinstance(edit, Exception):
            assert isinstance(edit, ConflictError), edit  # the scenario was committed
        else:
            assert Allocation.objects.get(scenario=None).fte == fte  # the edit went in


def _overlapping_capacity_changes_at_once_one_is_refused(
    users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    for week in range(3):
        first = MON + dt.timedelta(days=7 * week)
        results = _race(
            partial(
                services.add_capacity_change,
                actor=users["admin"],
                resource=java,
                first=first,
                last=first + WEEK,
                fte=Decimal("1"),
            ),
            partial(
                services.add_capacity_change,
                actor=users["member"],
                resource=java,
                first=first + dt.timedelta(days=2),
                last=first + WEEK,
                fte=Decimal("0"),
            ),
        )
        refused = [r for r in results if isinstance(r, Exception)]
        assert len(refused) == 1 and "overlaps" in str(refused[0]), results
    assert CapacityChange.objects.filter(resource=java).count() == 3


if ON_POSTGRESQL:  # several connections with row and table locks: see the docstring
    test_overlapping_capacity_changes_at_once_one_is_refused = pytest.mark.django_db(
        transaction=True
    )(_overlapping_capacity_changes_at_once_one_is_refused)
    test_a_commit_racing_a_discard_lets_one_win = pytest.mark.django_db(transaction=True)(
        _commit_races_discard
    )
    test_a_plan_row_written_during_a_copy_is_copied_or_out_of_date = pytest.mark.django_db(
        transaction=True
    )(_a_plan_row_written_during_a_copy_is_copied_or_out_of_date)
    test_an_edit_of_a_scenario_row_during_its_commit_is_in_or_refused = pytest.mark.django_db(
        transaction=True
    )(_an_edit_of_a_scenario_row_during_its_commit_is_in_or_refused)
