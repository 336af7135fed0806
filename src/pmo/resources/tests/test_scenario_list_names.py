"""The scenario list names who created each scenario, not their user name."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from pmo.accounts.models import Person
from pmo.resources import services


def test_the_scenario_list_names_the_creator(client: Any, users: Any, org: Any) -> None:
    Person.objects.create(name="Li Na", name_zh="李娜", org_unit=org["sh"], user=users["member"])
    services.create_scenario(actor=users["member"], name="Hiring freeze")
    client.force_login(users["admin"])
    page = client.get(reverse("resources:scenario_list")).content.decode()
    assert "Hiring freeze" in page
    assert "<td>Li Na</td>" in page and "<td>member</td>" not in page


def test_a_committed_scenario_reads_as_submitted_in_chinese(
    client: Any, users: Any, org: Any
) -> None:
    # the commit button says 提交; the state must not borrow the allocations' 已承诺
    scenario = services.create_scenario(actor=users["admin"], name="Q1")
    services.commit_scenario(actor=users["admin"], scenario=scenario)
    client.force_login(users["admin"])
    client.cookies["pmo_language"] = "zh-hans"
    page = client.get(
        reverse("resources:scenario_list"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    row = page[page.index(">Q1<") :]
    row = row[: row.index("</tr>")]
    assert "已采用" in row and "已承诺" not in row
