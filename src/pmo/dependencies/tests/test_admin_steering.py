"""A change request changed in the Django admin is compared with the steering thresholds
again, by the services' rule (``needs_steering``), and stores the day it was compared; a
save that changes nothing leaves both alone, and past the PMO review (where the flag set the
request's route) its cost no longer changes there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.audit.models import AuditEvent
from pmo.dependencies.changes import create_change_request
from pmo.dependencies.models import ChangeRequest, ChangeState

RAISED = dt.date(2026, 11, 2)
CHANGED = dt.date(2026, 11, 25)


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
def raised(users: dict[str, Any], make_project: Any, today: Any) -> ChangeRequest:
    """A CNY request of 120,000 (under the 1,000,000 threshold), raised on ``RAISED``."""
    project = make_project(code="ADM1")
    today(RAISED)
    cr = create_change_request(
        actor=users["pm"],
        data={"project": project.code, "type": "cost", "title": "Licences", "cost_impact": 120000},
    )
    assert (cr.needs_steering, cr.steering_compared_on) == (False, RAISED)
    return cr


def _form(client: Any, cr: ChangeRequest) -> dict[str, Any]:
    """What the admin's change form posts back unchanged: its fields' values and the
    inlines' management forms and rows."""
    page = client.get(f"/admin/dependencies/changerequest/{cr.pk}/change/")
    assert page.status_code == 200
    forms = [page.context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def _save(client: Any, cr: ChangeRequest, **changed: Any) -> Any:
    data = {**_form(client, cr), **changed}
    return client.post(f"/admin/dependencies/changerequest/{cr.pk}/change/", data)


def test_a_cost_raised_above_the_threshold_in_the_admin_flags_the_request(
    admin_client: Any, raised: ChangeRequest, today: Any
) -> None:
    today(CHANGED)

    response = _save(admin_client, raised, cost_impact="2500000")

    assert response.status_code == 302, response.context["adminform"].form.errors
    cr = ChangeRequest.objects.get(pk=raised.pk)
    assert (cr.cost_impact, cr.needs_steering) == (Decimal("2500000.00"), True)
    assert cr.steering_compared_on == CHANGED
    event = AuditEvent.objects.get(object_type="dependencies.changerequest", actor_name="admin")
    assert event.changes["needs_steering"] == [False, True]
    assert event.changes["steering_compared_on"] == [RAISED.isoformat(), CHANGED.isoformat()]


def test_a_cost_lowered_under_the_threshold_in_the_admin_clears_the_flag(
    admin_client: Any, raised: ChangeRequest, today: Any
) -> None:
    today(CHANGED)
    assert _save(admin_client, raised, cost_impact="2500000").status_code == 302

    response = _save(admin_client, raised, cost_impact="900000")

    assert response.status_code == 302
    cr = ChangeRequest.objects.get(pk=raised.pk)
    assert (cr.cost_impact, cr.needs_steering) == (Decimal("900000.00"), False)


def test_a_change_under_the_threshold_keeps_the_flag_and_is_compared_that_day(
    admin_client: Any, raised: ChangeRequest, today: Any
) -> None:
    today(CHANGED)

    response = _save(admin_client, raised, cost_impact="300000", effort_impact="150")

    assert response.status_code == 302
    cr = ChangeRequest.objects.get(pk=raised.pk)
    assert (cr.cost_impact, cr.effort_impact) == (Decimal("300000.00"), Decimal("150.0"))
    assert (cr.needs_steering, cr.steering_compared_on) == (False, CHANGED)


def test_a_save_that_changes_nothing_leaves_the_flag_and_its_day(
    admin_client: Any, raised: ChangeRequest, today: Any
) -> None:
    today(CHANGED)

    response = _save(admin_client, raised)

    assert response.status_code == 302
    cr = ChangeRequest.objects.get(pk=raised.pk)
    assert (cr.needs_steering, cr.steering_compared_on, cr.version) == (
        False,
        RAISED,
        raised.version,
    )


def test_the_flag_is_not_typed_in_the_admin(
    admin_client: Any, raised: ChangeRequest, today: Any
) -> None:
    today(CHANGED)

    response = _save(admin_client, raised, needs_steering="on")

    assert response.status_code == 302
    cr = ChangeRequest.objects.get(pk=raised.pk)
    assert (cr.needs_steering, cr.steering_compared_on) == (False, RAISED)


def test_past_the_pmo_review_the_admin_refuses_a_new_cost_and_keeps_the_flag(
    admin_client: Any, raised: ChangeRequest, today: Any
) -> None:
    ChangeRequest.objects.filter(pk=raised.pk).update(state=ChangeState.APPROVED)
    today(CHANGED)

    response = _save(admin_client, raised, cost_impact="2500000")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["cost_impact"] == [
        "can no longer change here: the request is past the PMO review, where its steering "
        "flag set its route"
    ]
    cr = ChangeRequest.objects.get(pk=raised.pk)
    assert (cr.cost_impact, cr.needs_steering, cr.steering_compared_on) == (
        Decimal("120000.00"),
        False,
        RAISED,
    )


def test_past_the_pmo_review_a_title_is_corrected_and_the_flag_left(
    admin_client: Any, raised: ChangeRequest, today: Any
) -> None:
    ChangeRequest.objects.filter(pk=raised.pk).update(state=ChangeState.APPROVED)
    today(CHANGED)

    response = _save(admin_client, raised, title="Licences (renewal)")

    assert response.status_code == 302
    cr = ChangeRequest.objects.get(pk=raised.pk)
    assert (cr.title, cr.needs_steering, cr.steering_compared_on) == (
        "Licences (renewal)",
        False,
        RAISED,
    )
