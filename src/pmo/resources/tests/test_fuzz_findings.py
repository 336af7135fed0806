"""Found by fuzzing the API: a second resource for one person, and shifts that add up past
the allowed range, were 500s (a unique constraint, a date out of range)."""

from __future__ import annotations

from typing import Any

import pytest

from pmo.core.errors import FieldError
from pmo.resources import services
from pmo.resources.models import Allocation
from pmo.resources.tests.factories import MON, allocate, pool


def test_a_person_is_one_resource(client: Any, org: Any, users: Any) -> None:
    from pmo.accounts.services import create_token

    person = users["pm"].person
    data = {
        "code": "zhang",
        "name": "Zhang",
        "kind": "person",
        "role": "PM",
        "person_id": person.pk,
        "org_unit_id": org["sh"].pk,
    }
    first = services.create_resource(actor=users["admin"], data=data)
    token = create_token(username=users["admin"].username, name="t")
    again = client.post(
        "/api/v1/resources",
        {**data, "code": "zhang-2"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert again.status_code == 422, again.content
    assert again.json()["errors"] == [
        {"field": "person_id", "message": f"this person is already the resource “{first.code}”"}
    ]
    other = pool(org)
    with pytest.raises(FieldError, match="already the resource"):
        services.update_resource(
            actor=users["admin"], resource=other, data={"person_id": person.pk}, version=None
        )


def test_shifts_add_up_to_at_most_ten_years(org: Any, users: Any, make_project: Any) -> None:
    project = make_project()
    allocate(pool(org), project, MON, MON, "1")
    scenario = services.create_scenario(actor=users["admin"], name="Far")
    services.shift_project(actor=users["admin"], scenario=scenario, project=project, days=3000)
    with pytest.raises(FieldError, match="moved 3000 already"):
        services.shift_project(actor=users["admin"], scenario=scenario, project=project, days=700)
    services.shift_project(actor=users["admin"], scenario=scenario, project=project, days=-700)
    moved = Allocation.objects.get(scenario=scenario)
    assert (moved.first - MON).days == 2300
