"""A change request stores the day its ``needs_steering`` was compared with the thresholds
(``steering_compared_on``, ADR 0016): set when it is raised or changed, left alone by the
workflow's steps and by changes that save nothing, filled for existing requests from the
audit trail by the migration, shown on the page and in the API."""

from __future__ import annotations

import datetime as dt
import html
import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pmo.audit.models import AuditEvent
from pmo.dependencies import changes
from pmo.dependencies.models import ChangeRequest
from pmo.dependencies.tests.conftest import auth
from pmo.portfolio.models import ExchangeRate

RAISED = dt.date(2026, 11, 2)
FELL = dt.date(2026, 11, 20)  # GBP 9.1 -> 8.0 CNY
CHANGED = dt.date(2026, 11, 25)
MIGRATION = importlib.import_module(
    "pmo.dependencies.migrations.0008_changerequest_steering_compared_on"
)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set what ``timezone.localdate()`` answers (with no argument)."""
    real = timezone.localdate

    def set_to(day: dt.date) -> None:
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: real(value, tz) if value else day
        )

    return set_to


@pytest.fixture
def gbp(make_project: Any) -> Any:
    """A GBP project; 1 GBP is 9.1 CNY from 2026-01-01 and 8.0 CNY from 2026-11-20."""
    project = make_project(code="GBP1", currency="GBP")
    ExchangeRate.objects.create(currency="GBP", rate=Decimal("9.1"), valid_from=dt.date(2026, 1, 1))
    ExchangeRate.objects.create(currency="GBP", rate=Decimal("8.0"), valid_from=FELL)
    return project


def _raise(client: Any, users: Any, cost: str = "120000") -> dict[str, Any]:
    created = client.post(
        "/api/v1/change-requests",
        {"project": "GBP1", "type": "cost", "title": "Licences", "cost_impact": cost},
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert created.status_code == 201, created.content
    return created.json()


def _patch(client: Any, users: Any, cr: dict[str, Any], **body: Any) -> Any:
    return client.patch(
        f"/api/v1/change-requests/{cr['id']}",
        body,
        content_type="application/json",
        headers=auth(users["pm"]),
    )


def _line(client: Any, users: Any, pk: int) -> str:
    """The page's line on the thresholds, its entities read."""
    client.force_login(users["pm"])
    page = client.get(f"/change-requests/{pk}/").content.decode()
    return html.unescape(
        page.split('<p class="muted" data-testid="thresholds">')[1].split("</p>")[0]
    )


def test_raising_stores_the_day_the_flag_was_compared(
    client: Any, users: Any, gbp: Any, today: Any
) -> None:
    # given it is 2026-11-02 (1 GBP = 9.1 CNY)
    today(RAISED)
    # when a cost of 120,000 GBP (1,092,000 CNY) is raised
    cr = _raise(client, users)
    # then it needs the steering committee, compared today, in the row and in the API
    assert (cr["needs_steering"], cr["steering_compared_on"]) == (True, "2026-11-02")
    row = ChangeRequest.objects.get(pk=cr["id"])
    assert (row.needs_steering, row.steering_compared_on) == (True, RAISED)
    listed = client.get("/api/v1/change-requests", headers=auth(users["pm"])).json()["items"]
    assert [(r["code"], r["steering_compared_on"]) for r in listed] == [(cr["code"], "2026-11-02")]


def test_a_change_on_a_later_day_compares_again_at_that_day_s_rate(
    client: Any, users: Any, gbp: Any, today: Any
) -> None:
    today(RAISED)
    cr = _raise(client, users)
    # when the cost is changed to 125,000 GBP on 2026-11-25 (8.0: 1,000,000 CNY, not above)
    today(CHANGED)
    patched = _patch(client, users, cr, version=1, cost_impact="125000")
    # then the flag is compared again that day, at that day's rate
    assert patched.status_code == 200, patched.content
    body = patched.json()
    assert (body["needs_steering"], body["steering_compared_on"], body["version"]) == (
        False,
        "2026-11-25",
        2,
    )
    row = ChangeRequest.objects.get(pk=cr["id"])
    assert (row.needs_steering, row.steering_compared_on) == (False, CHANGED)
    # and the page converts at the rate of that day
    assert _line(client, users, cr["id"]).endswith(
        '<span data-testid="cost-in-base">Decided on 2026-11-25 at 1 GBP = 8 CNY: the cost '
        "is 1,000,000.00\u00a0CNY.</span>"
    )


def test_a_title_change_compares_again_too(client: Any, users: Any, gbp: Any, today: Any) -> None:
    # every saved change compares the flag again (at that day's rate): the day moves with it
    today(RAISED)
    cr = _raise(client, users)
    today(CHANGED)
    body = _patch(client, users, cr, version=1, title="Licences 2027").json()
    assert (body["needs_steering"], body["steering_compared_on"]) == (False, "2026-11-25")


def test_steps_and_changes_that_save_nothing_leave_the_day_alone(
    client: Any, users: Any, gbp: Any, today: Any
) -> None:
    today(RAISED)
    cr = _raise(client, users)
    # a change that changes nothing (the flag as well: same rate) saves nothing, no new day
    today(dt.date(2026, 11, 10))
    same = _patch(client, users, cr, version=1, title="Licences")
    assert (same.json()["version"], same.json()["steering_compared_on"]) == (1, "2026-11-02")
    today(CHANGED)
    # the day cannot be sent: it is read-only
    sent = _patch(client, users, cr, version=1, steering_compared_on="2026-11-25")
    assert sent.status_code == 422
    assert [e["field"] for e in sent.json()["errors"]] == ["steering_compared_on"]
    # the workflow's steps (submit; the PMO's approval) do not compare again
    request = ChangeRequest.objects.get(pk=cr["id"])
    changes.transition(actor=users["pm"], cr=request, action="submit", version=1)
    request.refresh_from_db()
    changes.transition(actor=users["member"], cr=request, action="approve", version=request.version)
    request.refresh_from_db()
    assert (request.state, request.needs_steering, request.steering_compared_on) == (
        "steering_review",
        True,  # 1,092,000 CNY as compared on 2026-11-02, although 960,000 at today's rate
        RAISED,
    )


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _events(cr: ChangeRequest) -> Any:
    return AuditEvent.objects.filter(object_type="dependencies.changerequest", object_id=str(cr.pk))


def test_the_migration_fills_the_day_from_the_audit_trail(users: Any, gbp: Any) -> None:
    # given a request raised on 2026-11-02, changed at 01:00 on 2026-11-10 in Shanghai
    # (17:00 UTC the day before) and re-pointed to a re-imported plan's task on 2026-11-20
    changed = changes.create_change_request(
        actor=users["pm"],
        data={"project": "GBP1", "type": "cost", "title": "Changed", "cost_impact": "1"},
    )
    _events(changed).update(timestamp=_at(RAISED))
    changes.update_change_request(
        actor=users["pm"], cr=changed, data={"cost_impact": "2"}, version=1
    )
    _events(changed).filter(action="update").update(
        timestamp=dt.datetime(2026, 11, 9, 17, 0, tzinfo=dt.UTC)
    )
    AuditEvent.objects.create(
        action="update",
        object_type="dependencies.changerequest",
        object_id=str(changed.pk),
        object_repr=changed.code,
        scope=f"project:{gbp.pk}",
        changes={"plan": [None, "re-attached to the new plan"], "slip_task": [1, 2]},
    )
    _events(changed).filter(changes__has_key="plan").update(timestamp=_at(FELL))
    # a request with no audit trail (made outside the services) created on 2026-10-05, and
    # one whose only events are re-pointings, created on 2026-10-06
    bare = ChangeRequest.objects.create(code="CR-09001", project=gbp, type="cost", title="Bare")
    repointed = ChangeRequest.objects.create(
        code="CR-09002", project=gbp, type="cost", title="Repointed"
    )
    AuditEvent.objects.create(
        action="update",
        object_type="dependencies.changerequest",
        object_id=str(repointed.pk),
        object_repr=repointed.code,
        scope=f"project:{gbp.pk}",
        changes={"plan": [None, "re-attached to the new plan"]},
    )
    ChangeRequest.objects.filter(pk=bare.pk).update(created_at=_at(dt.date(2026, 10, 5)))
    ChangeRequest.objects.filter(pk=repointed.pk).update(created_at=_at(dt.date(2026, 10, 6)))
    ChangeRequest.objects.update(steering_compared_on=dt.date(2000, 1, 1))
    # when the migration fills the day
    MIGRATION.fill_compared_on(apps, None)
    # then each request has the day the page used to read from the audit trail
    assert dict(ChangeRequest.objects.values_list("code", "steering_compared_on")) == {
        changed.code: dt.date(2026, 11, 10),
        "CR-09001": dt.date(2026, 10, 5),
        "CR-09002": dt.date(2026, 10, 6),
    }


def test_the_page_reads_as_before_the_field_and_asks_no_audit_trail(
    client: Any, users: Any, gbp: Any
) -> None:
    # given a request raised on 2026-11-02 as the audit trail says (the field not yet filled)
    ExchangeRate.objects.filter(valid_from=FELL).delete()  # one rate: one sentence
    cr = changes.create_change_request(
        actor=users["pm"],
        data={"project": "GBP1", "type": "cost", "title": "Licences", "cost_impact": "120000"},
    )
    _events(cr).update(timestamp=_at(RAISED))
    ChangeRequest.objects.filter(pk=cr.pk).update(
        created_at=_at(RAISED), steering_compared_on=dt.date(2000, 1, 1)
    )
    # when the migration fills the field and the page is read
    MIGRATION.fill_compared_on(apps, None)
    with CaptureQueriesContext(connection) as queries:
        line = _line(client, users, cr.pk)
    # then it reads as the template tag made it from the audit trail, without reading it
    assert line.endswith(
        '<span data-testid="cost-in-base">Decided on 2026-11-02 at 1 GBP = 9.1 CNY: the cost '
        "is 1,092,000.00\u00a0CNY.</span>"
    )
    assert not [q["sql"] for q in queries.captured_queries if "audit_auditevent" in q["sql"]]


def test_a_description_change_is_saved_and_audited(
    client: Any, users: Any, gbp: Any, today: Any
) -> None:
    # a change of the description alone used to answer 200 and save nothing
    today(RAISED)
    cr = _raise(client, users)
    today(CHANGED)
    body = _patch(client, users, cr, version=1, description="Three more seats").json()
    assert (body["description"], body["version"], body["steering_compared_on"]) == (
        "Three more seats",
        2,
        "2026-11-25",
    )
    assert ChangeRequest.objects.get(pk=cr["id"]).description == "Three more seats"
    update = _events(ChangeRequest.objects.get(pk=cr["id"])).get(action="update")
    assert update.changes["description"] == ["", "Three more seats"]
