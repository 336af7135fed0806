"""The automatic status of a dependency (ADR 0005, "At risk is automatic"): a supplier that
is done resolves the link, on time or late; a consumer whose date is too early for the
supplier's date plus the lag (in working days) puts it at risk even when the supplier keeps
the agreed date; either side moving re-checks it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.audit.models import AuditEvent
from pmo.dependencies.models import Dependency, Notification
from pmo.dependencies.services import create_dependency, refresh_dependency_status
from pmo.scheduling import services as scheduling
from pmo.scheduling.models import Task
from pmo.scheduling.tests.factories import DAY, small_plan


def _status_events(dep: Dependency) -> list[Any]:
    events = AuditEvent.objects.filter(object_type="dependencies.dependency", object_id=str(dep.pk))
    return [e.changes["status"] for e in events if "status" in e.changes]


def _golive_to_launch(users: Any, web: Any, *, lag: int, agreed: dt.date) -> Dependency:
    """APP1's Launch (Fri 2026-04-10) needs CORE1's Go-live (Fri 03-20), finish-to-start."""
    return create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": web["golive"].pk,
            "consumer_project": "APP1",
            "consumer_milestone": web["launch"].pk,
            "lag": lag,
            "status": "agreed",
            "agreed_date": agreed,
        },
    )


def test_a_supplier_done_late_resolves_the_link(users: Any, web: Any) -> None:
    # given APP1's Integration needs CORE1's Build (Fri 03-06) by the agreed Mon 03-09
    dep = create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": web["build"].pk,
            "consumer_project": "APP1",
            "consumer_milestone": web["integration"].pk,
            "status": "agreed",
            "agreed_date": dt.date(2026, 3, 9),
        },
    )
    build = web["build"]
    build.forecast_date = dt.date(2026, 3, 11)
    build.save()
    assert Dependency.objects.get(pk=dep.pk).status == "at_risk"
    Notification.objects.all().delete()
    # when the build is done, two days after the agreed date
    build.actual_date = dt.date(2026, 3, 11)
    build.save()
    # then the link did its job, late: resolved, no longer "at risk" for ever
    dep.refresh_from_db()
    assert dep.status == "resolved"
    assert ["at_risk", "resolved"] in _status_events(dep)
    told = Notification.objects.get()
    assert told.user == users["other_pm"]  # the consumer's manager can go ahead
    assert told.message == (
        f"Dependency #{dep.pk} resolved: CORE1 delivered Build done on 2026-03-11 for APP1"
    )


def test_a_link_on_a_supplier_already_done_late_is_resolved_when_statuses_are_refreshed(
    users: Any, web: Any
) -> None:
    # given (as the demo loads them) a link stored agreed on a build done after its date
    build = web["build"]
    build.actual_date = build.forecast_date = dt.date(2026, 3, 11)
    build.save()
    dep = Dependency.objects.create(
        supplier_project=web["core"],
        supplier_milestone=build,
        consumer_project=web["app"],
        consumer_milestone=web["integration"],
        status="agreed",
        agreed_date=dt.date(2026, 3, 4),
    )
    # when the statuses are refreshed (the demo's last step, an applied change)
    refresh_dependency_status(actor=None)
    # then it is resolved, not at risk
    dep.refresh_from_db()
    assert dep.status == "resolved"


def test_a_consumer_date_too_early_for_the_supplier_and_the_lag_puts_the_link_at_risk(
    users: Any, web: Any
) -> None:
    # given Launch needs Go-live (Fri 03-20) with 4 working days of lag, agreed by 03-27:
    # 15 working days between them, 10 to spare
    dep = _golive_to_launch(users, web, lag=4, agreed=dt.date(2026, 3, 27))
    assert dep.status == "agreed"
    Notification.objects.all().delete()
    # when APP1 brings its Launch forward to Thu 03-26 (only 4 working days after the Go-live)
    launch = web["launch"]
    launch.forecast_date = dt.date(2026, 3, 26)
    launch.save()
    # then the link is at risk, though the supplier still keeps the agreed date
    dep.refresh_from_db()
    assert dep.status == "at_risk"
    assert ["agreed", "at_risk"] in _status_events(dep)
    messages = set(Notification.objects.values_list("user__username", "message"))
    text = (
        f"Dependency #{dep.pk} at risk: CORE1 forecasts 2026-03-20, too late for APP1 on "
        "2026-03-26 (margin -1 working days after the lag)"
    )
    assert messages == {("pm", text), ("other_pm", text)}
    # and it recovers when the consumer's date leaves the room again
    launch.forecast_date = dt.date(2026, 4, 3)
    launch.save()
    dep.refresh_from_db()
    assert dep.status == "agreed"


def test_the_lag_is_counted_in_working_days(users: Any, web: Any) -> None:
    # given Launch on Tue 03-24 needs Go-live (Fri 03-20) plus 2 working days of lag: four
    # calendar days apart, but only Fri and Mon are working days in between
    launch = web["launch"]
    launch.forecast_date = dt.date(2026, 3, 24)
    launch.save()
    dep = _golive_to_launch(users, web, lag=2, agreed=dt.date(2026, 3, 20))
    # then the link is at risk from the start (a day short), and a lag of 1 fits exactly
    assert Dependency.objects.get(pk=dep.pk).status == "at_risk"
    from pmo.dependencies.services import update_dependency

    fixed = update_dependency(
        actor=users["pm"], dep=Dependency.objects.get(pk=dep.pk), data={"lag": 1}, version=2
    )
    assert fixed.status == "agreed"
    assert Dependency.objects.get(pk=dep.pk).status == "agreed"


def test_a_proposed_link_without_an_agreed_date_is_held_against_the_consumer_date(
    users: Any, web: Any
) -> None:
    # given a proposed link (no date agreed yet) with room
    dep = create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": web["golive"].pk,
            "consumer_project": "APP1",
            "consumer_milestone": web["launch"].pk,
        },
    )
    assert dep.status == "proposed"
    golive = web["golive"]
    # when the supplier's Go-live moves past the consumer's Launch, then back
    golive.forecast_date = dt.date(2026, 4, 13)
    golive.save()
    assert Dependency.objects.get(pk=dep.pk).status == "at_risk"
    golive.forecast_date = dt.date(2026, 3, 20)
    golive.save()
    # then it was at risk, and is proposed again (nobody agreed a date)
    assert Dependency.objects.get(pk=dep.pk).status == "proposed"


def test_a_consumer_plan_recompute_rechecks_the_link(
    make_project: Any, users: Any, web: Any
) -> None:
    from pmo.portfolio.models import Milestone

    # given PLAN1's Code (starts Thu 03-05, after Design's 3 days) needs CORE1's Spec
    # (Mon 03-02) with 2 working days of lag: no margin left
    project = make_project(code="PLAN1")
    scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    spec = Milestone.objects.create(
        project=web["core"], name="Spec", forecast_date=dt.date(2026, 3, 2)
    )
    code = Task.objects.get(plan__project=project, uid=3)
    dep = create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": spec.pk,
            "consumer_project": "PLAN1",
            "consumer_task": code.pk,
            "lag": 2,
            "status": "agreed",
            "agreed_date": dt.date(2026, 3, 2),
        },
    )
    assert dep.status == "agreed"
    # when Design takes a day less, so Code starts Wed 03-04 (the consumer's plan moved)
    design = Task.objects.get(plan__project=project, uid=2)
    scheduling.update_task(
        actor=users["pm"], task=design, data={"duration": 2 * DAY}, version=design.version
    )
    # then the link is at risk: Code now starts a working day too early
    assert Dependency.objects.get(pk=dep.pk).status == "at_risk"


def test_resolved_and_broken_links_are_left_as_they_are(users: Any, web: Any) -> None:
    dep = _golive_to_launch(users, web, lag=0, agreed=dt.date(2026, 3, 27))
    for status in ("broken", "resolved"):
        Dependency.objects.filter(pk=dep.pk).update(status=status)
        launch = web["launch"]
        launch.forecast_date = dt.date(2026, 3, 2)  # far too early
        launch.save()
        assert Dependency.objects.get(pk=dep.pk).status == status
