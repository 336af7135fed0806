"""Requests to commit, by hand: whether a proposal fits beside the committed work, who asked,
the filters, and deciding several at once, all or none (the project manager told:
``pmo.dependencies.tests.test_request_notifications``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError
from pmo.resources import services
from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap.requests import pending_requests
from pmo.resources.models import Allocation, CapacityChange, Scenario
from pmo.resources.tests.factories import MON, allocate, pool, two_requests

FRI = MON + dt.timedelta(days=4)
WEEK2_FRI = MON + dt.timedelta(days=11)


def _rows(found: Any) -> dict[int, Any]:
    return {r.allocation.pk: r for r in found.rows}


@pytest.mark.usefixtures("on_mon")
def test_a_request_fits_when_the_committed_work_leaves_room_on_every_working_day(
    org: Any, make_project: Any
) -> None:
    java = pool(org)  # 2 FTE
    project = make_project()
    allocate(java, project, MON, FRI, "1.5", status="committed")
    small = allocate(java, project, MON, WEEK2_FRI, "0.5")
    big = allocate(java, make_project(), MON, WEEK2_FRI, "0.6")
    found = _rows(pending_requests())
    # 0.5 free in week 1 beside the 1.5 committed: the small one fits, the big one overloads
    # the five working days of week 1 (the weekend does not count)
    assert (found[small.pk].fits, found[small.pk].least_free, found[small.pk].over_days) == (
        True,
        0.5,
        0,
    )
    assert (found[big.pk].fits, found[big.pk].least_free, found[big.pk].over_days) == (
        False,
        0.5,
        5,
    )
    # the other proposal is a request too: counted only in "with the other proposals"
    assert found[small.pk].with_proposals is False
    assert found[big.pk].with_proposals is False
    assert pending_requests().fitting == 1


@pytest.mark.usefixtures("on_mon")
def test_absences_and_capacity_changes_count_as_on_the_heat_map(
    org: Any, make_project: Any
) -> None:
    ann = pool(org, code="ann", name="Ann", kind="person", fte=Decimal("1"))
    project = make_project()
    # half time in week 2: 0.8 FTE fits week 1 only
    CapacityChange.objects.create(resource=ann, first=MON + dt.timedelta(7), last=WEEK2_FRI, fte=0)
    week1 = allocate(ann, project, MON, FRI, "0.8")
    both = allocate(ann, project, MON, WEEK2_FRI, "0.8", note="two weeks")
    found = _rows(pending_requests())
    assert found[week1.pk].fits is True
    # an absence (capacity 0) pauses work: its days do not count, so both fit
    assert found[both.pk].fits is True
    CapacityChange.objects.filter(resource=ann).update(fte=Decimal("0.5"))
    found = _rows(pending_requests())
    assert (found[both.pk].fits, found[both.pk].over_days, found[both.pk].least_free) == (
        False,
        5,
        0.5,
    )


def test_only_the_days_from_today_count(org: Any, make_project: Any) -> None:
    java = pool(org)
    project = make_project()
    allocate(java, project, MON, FRI, "2", status="committed")  # full in week 1
    both = allocate(java, project, MON, WEEK2_FRI, "1")
    done = allocate(java, project, MON, FRI, "1")
    # on Monday of week 1 the request overloads five days ...
    found = _rows(pending_requests(today=MON))
    assert (found[both.pk].over_days, found[done.pk].over_days) == (5, 5)
    # ... on Monday of week 2 those days are done: it fits the days left, and the one of
    # week 1 only has none left to judge
    found = _rows(pending_requests(today=MON + dt.timedelta(days=7)))
    assert (found[both.pk].fits, found[both.pk].over_days, found[both.pk].least_free) == (
        True,
        0,
        2.0,
    )
    assert (found[done.pk].fits, found[done.pk].least_free) == (True, None)
    # and the summary counts the one with days left only
    assert pending_requests(today=MON + dt.timedelta(days=7)).fitting == 1


def test_a_request_years_after_the_others_is_judged_on_its_own_days(
    org: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project()
    later = MON + dt.timedelta(weeks=6 * 52)  # a Monday six years on
    allocate(java, project, later, later + dt.timedelta(days=4), "1.5", status="committed")
    allocate(java, project, MON, FRI, "0.5")
    far = allocate(java, project, later, later + dt.timedelta(days=4), "1")
    found = _rows(pending_requests(today=MON))
    assert (found[far.pk].fits, found[far.pk].over_days, found[far.pk].least_free) == (
        False,
        5,
        0.5,
    )


def test_who_asked_is_the_person_of_the_latest_change(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    java = pool(org)
    project = make_project()
    made = services.create_allocation(
        actor=users["pm"],
        data={
            "resource_id": java.pk,
            "project_id": project.pk,
            "first": MON,
            "last": FRI,
            "fte": "0.5",
            "status": "proposed",
        },
    )
    (row,) = pending_requests().rows
    assert row.allocation.pk == made.pk
    assert row.asked_by == "Zhang Wei"
    with translation.override("zh-hans"):
        assert pending_requests().rows[0].asked_by == "张伟"
    assert row.asked_at is not None


def test_filters_keep_a_project_and_the_resources_of_an_org_unit(
    org: Any, make_project: Any
) -> None:
    java = pool(org)
    london = pool(org, code="uk-java", name="Java, London", org_unit=org["it"])
    one, two = make_project(), make_project()
    a = allocate(java, one, MON, FRI, "0.5")
    b = allocate(london, two, MON, FRI, "0.5")
    allocate(java, two, MON, FRI, "0.5", status="committed")  # not a request
    scenario = Scenario.objects.create(name="What if")
    allocate(java, one, MON, FRI, "0.5", scenario=scenario)  # a what-if, not a request
    assert set(_rows(pending_requests())) == {a.pk, b.pk}
    assert set(_rows(pending_requests(project_id=two.pk))) == {b.pk}
    china = pending_requests(only=ResourceFilter(org_unit=org["cn"].pk))
    assert (set(_rows(china)), china.total) == ({a.pk}, 1)
    # a closed project has nothing left to staff: its proposals are not requests
    two.state = "closed"
    two.save()
    assert set(_rows(pending_requests())) == {a.pk}
    one.state = "cancelled"
    one.save()
    assert pending_requests().total == 0
    two.state = one.state = "active"
    two.save()
    one.save()
    limited = pending_requests(limit=1)
    assert (len(limited.rows), limited.total) == (1, 2)


def test_the_query_count_does_not_grow_with_the_requests(org: Any, make_project: Any) -> None:
    project = make_project()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            pending_requests()
        return len(queries)

    allocate(pool(org, code="r0"), project, MON, FRI, "0.5")
    few = count()
    for n in range(1, 12):
        allocate(pool(org, code=f"r{n}"), project, MON, FRI, "0.5")
    assert count() == few


def test_deciding_commits_and_declines_at_once(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, drop, _project = two_requests(org, make_project)
    decided = services.decide_requests(
        actor=users["member"],
        commit=[(keep.pk, keep.version)],
        decline=[(drop.pk, drop.version)],
        reason="  No Java developer free in March  ",
    )
    assert [a.pk for a in decided.committed] == [keep.pk]
    assert [a.pk for a in decided.declined] == [drop.pk]
    keep.refresh_from_db()
    assert (keep.status, keep.version) == ("committed", 2)
    assert not Allocation.objects.filter(pk=drop.pk).exists()
    # the declined row is gone; the audit trail keeps it, with the reason
    event = AuditEvent.objects.get(object_id=str(drop.pk), action="delete")
    assert event.changes["declined"] == [None, "No Java developer free in March"]
    assert event.changes["fte"][0] == "1.00"
    assert event.actor == users["member"]
    assert not pending_requests().rows


def test_one_stale_request_refuses_the_lot(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, drop, _project = two_requests(org, make_project)
    Allocation.objects.filter(pk=drop.pk).update(version=5)  # changed by someone since
    with pytest.raises(ConflictError) as caught:
        services.decide_requests(
            actor=users["member"],
            commit=[(keep.pk, keep.version)],
            decline=[(drop.pk, drop.version)],
            reason="no room",
        )
    assert f"request {drop.pk} ({drop})" in caught.value.message
    keep.refresh_from_db()
    assert keep.status == "proposed"  # nothing half-written
    assert Allocation.objects.filter(pk=drop.pk).exists()


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"decline_reason": ""}, FieldError, "say why"),
        ({"decline_reason": "x" * 201}, FieldError, "201 characters"),
        ({"nothing": True}, FieldError, "choose at least one"),
        ({"both": True}, FieldError, "both committed and declined"),
        ({"unknown": True}, FieldError, "no allocation 99999"),
        ({"committed": True}, ConflictError, "committed already"),
        ({"scenario": True}, FieldError, "in a scenario"),
        ({"pm": True}, PermissionDeniedError, "only resource managers"),
    ],
)
def test_refusals_name_the_request_and_change_nothing(
    org: Any,
    users: dict[str, Any],
    make_project: Any,
    change: dict[str, Any],
    error: type,
    words: str,
) -> None:
    keep, drop, _project = two_requests(org, make_project)
    actor = users["pm"] if change.get("pm") else users["member"]
    commit = [(keep.pk, keep.version)]
    decline: list[tuple[int, int | None]] = []
    reason = ""
    if "decline_reason" in change:
        decline, reason = [(drop.pk, drop.version)], change["decline_reason"]
    if change.get("nothing"):
        commit = []
    if change.get("both"):
        decline, reason = [(keep.pk, keep.version)], "why"
    if change.get("unknown"):
        commit.append((99999, 1))
    if change.get("committed"):
        Allocation.objects.filter(pk=keep.pk).update(status="committed")
    if change.get("scenario"):
        Allocation.objects.filter(pk=keep.pk).update(scenario=Scenario.objects.create(name="S"))
    with pytest.raises(error) as caught:
        services.decide_requests(actor=actor, commit=commit, decline=decline, reason=reason)
    assert words in caught.value.message
    assert Allocation.objects.filter(pk=drop.pk, status="proposed").exists()


def test_a_request_decided_meanwhile_is_named_with_who_decided(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, drop, _project = two_requests(org, make_project)
    label = str(drop)
    # two resource managers at once: one declines, the other then commits both
    services.decide_requests(actor=users["admin"], decline=[(drop.pk, 1)], reason="no")
    with pytest.raises(ConflictError) as caught:
        services.decide_requests(actor=users["member"], commit=[(keep.pk, 1), (drop.pk, 1)])
    assert caught.value.message == (
        f"the request {drop.pk} ({label}) was declined already by admin; reload the requests"
    )
    keep.refresh_from_db()
    assert keep.status == "proposed"
    # removed on the staffing page (no reason): said so
    services.delete_allocation(actor=users["member"], allocation=keep, version=1)
    with pytest.raises(ConflictError, match="was removed already by member"):
        services.decide_requests(actor=users["member"], commit=[(keep.pk, 1)])


def test_a_closed_projects_proposal_is_no_request_to_decide(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, _drop, project = two_requests(org, make_project)
    project.state = "cancelled"
    project.save()
    with pytest.raises(FieldError, match="of a closed or cancelled project: not a request"):
        services.decide_requests(actor=users["member"], commit=[(keep.pk, 1)])
    keep.refresh_from_db()
    assert keep.status == "proposed"
