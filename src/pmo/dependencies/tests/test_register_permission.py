"""Only who may register a dependency is offered the register's form (the PMO, a manager of
a project); anyone else who sends it anyway, from the page or the API, gets a 403, whatever
the body holds, and nothing is registered."""

from __future__ import annotations

from typing import Any

import pytest

from pmo.dependencies.tests.conftest import link

pytestmark = pytest.mark.django_db

REFUSAL = "only the PMO or the manager of one of the two projects may register a dependency"


def _form(web: dict[str, Any]) -> dict[str, str]:
    return {
        "supplier_project": "CORE1",
        "supplier_item": f"m:{web['build'].pk}",
        "consumer_project": "APP1",
        "consumer_item": f"m:{web['integration'].pk}",
        "type": "FS",
        "lag": "0",
    }


@pytest.mark.parametrize(
    ("who", "offered"),
    [("admin", True), ("member", True), ("pm", True), ("exec", False), ("viewer", False)],
)
def test_the_register_form_is_offered_only_to_who_may_register(
    client: Any, users: Any, web: Any, who: str, offered: bool
) -> None:
    client.force_login(users[who])
    page = client.get("/dependencies/").content.decode()
    assert ('id="new-dependency"' in page) is offered
    assert ("Register a dependency" in page) is offered


def test_a_manager_of_no_project_is_not_offered_the_form(client: Any, users: Any, web: Any) -> None:
    from pmo.portfolio.models import Project

    Project.objects.filter(manager=users["other_pm"].person).update(manager=users["pm"].person)
    client.force_login(users["other_pm"])
    assert 'id="new-dependency"' not in client.get("/dependencies/").content.decode()


@pytest.mark.parametrize("who", ["exec", "viewer"])
def test_an_executive_or_viewer_posting_the_form_gets_a_403(
    client: Any, users: Any, web: Any, who: str
) -> None:
    from pmo.dependencies.models import Dependency

    client.force_login(users[who])
    response = client.post("/dependencies/new/", _form(web))
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    # refused before the body is read: a garbled one is the same 403
    garbled = client.post("/dependencies/new/", {"supplier_project": "NOPE", "lag": "x"})
    assert garbled.status_code == 403
    assert Dependency.objects.count() == 0


def test_a_pm_registering_between_two_projects_not_theirs_gets_a_403(
    client: Any, users: Any, web: Any
) -> None:
    from pmo.dependencies.models import Dependency

    client.force_login(users["other_pm"])  # manages APP1 only
    form = _form(web) | {"consumer_project": "WEB1", "consumer_item": f"m:{web['pilot'].pk}"}
    response = client.post("/dependencies/new/", form)
    assert response.status_code == 403
    assert Dependency.objects.count() == 0


@pytest.mark.parametrize("who", ["exec", "viewer"])
def test_the_api_refuses_an_executive_or_viewer_with_a_403(
    client: Any, users: Any, web: Any, who: str
) -> None:
    from pmo.dependencies.models import Dependency

    body = {
        "supplier_project": "CORE1",
        "supplier_milestone": web["build"].pk,
        "consumer_project": "APP1",
        "consumer_milestone": web["integration"].pk,
    }
    response = link(client, users[who], **body)
    assert response.status_code == 403
    assert response.json()["detail"] == REFUSAL
    unknown = link(client, users[who], **(body | {"supplier_project": "NOPE1"}))
    assert unknown.status_code == 403
    assert Dependency.objects.count() == 0


def test_the_manager_of_one_side_still_registers(client: Any, users: Any, web: Any) -> None:
    client.force_login(users["other_pm"])
    response = client.post("/dependencies/new/", _form(web))
    assert response.status_code == 302
