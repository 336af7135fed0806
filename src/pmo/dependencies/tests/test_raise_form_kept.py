"""Raising a change request from the impact page: a refusal keeps what was typed and says the
error at its field; a success names the new request."""

from __future__ import annotations

from typing import Any

import pytest

from pmo.dependencies.models import ChangeRequest


def _raise(client: Any, web: Any, **typed: str) -> Any:
    return client.post(
        "/change-requests/new/",
        {
            "project": "CORE1",
            "slip_milestone": web["build"].pk,
            "slip_task": "",
            "slip_days": "12",
            "type": "cost",
            "title": "Vendor patch late",
            "description": "The vendor ships two weeks late",
            "cost_impact": "0",
            "effort_impact": "0",
            **typed,
        },
        follow=True,
    )


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("cost_impact", "“成本影响”必须是数字。"),
        ("effort_impact", "必须是数字。"),
    ],
)
def test_a_number_that_is_not_one_brings_the_form_back_as_typed(
    client: Any, users: Any, web: Any, field: str, message: str
) -> None:
    # given the PM on the impact page of CORE1's build slipping, in Chinese
    client.force_login(users["pm"])
    client.cookies["pmo_language"] = "zh-hans"
    # when they raise a request with "abc" as a number
    response = _raise(client, web, **{field: "abc"})
    # then the same analysis comes back (422), the title, description and "abc" kept, the
    # error at the field
    assert response.status_code == 422
    assert response.redirect_chain == []
    page = response.content.decode()
    assert 'id="raise-change"' in page and 'id="impact-projects"' in page
    assert 'value="Vendor patch late"' in page
    assert ">The vendor ships two weeks late</textarea>" in page
    field_input = page.split(f'name="{field}"')[1].split(">")[0]
    assert 'value="abc"' in field_input
    assert 'aria-invalid="true" aria-describedby="raise-error"' in field_input
    assert f'data-field="{field}"><li>' in page and message in page
    assert ChangeRequest.objects.count() == 0


def test_a_raised_request_is_confirmed_by_its_code(client: Any, users: Any, web: Any) -> None:
    client.force_login(users["pm"])
    response = _raise(client, web, cost_impact="1200")
    cr = ChangeRequest.objects.get()
    assert response.redirect_chain == [(f"/change-requests/{cr.pk}/", 302)]
    page = response.content.decode()
    assert f"Change request {cr.code} raised: Vendor patch late." in page
