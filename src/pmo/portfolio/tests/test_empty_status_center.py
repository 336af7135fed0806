"""What an empty status center says, by who reads it: no projects yet (and what to do next),
none visible to the reader, or none matching the filters."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from pmo.accounts.models import Person, Role

pytestmark = pytest.mark.django_db


def _empty_state(user: Any, query: str = "") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/{query}", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'data-testid="empty-state">(.*?)</td>', html, re.S)
    assert found, "the table has no empty state"
    text = re.sub(r"<[^>]+>", " ", found.group(1))
    return " ".join(text.split())


def test_the_pmo_is_offered_the_first_project(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["member"])
    html = client.get("/").content.decode()
    Person.objects.create(name="Li Na", org_unit=users["pm"].person.org_unit, user=users["member"])

    assert _empty_state(users["member"]) == (
        "No projects yet. Create the first project to follow its status here. New project"
    )
    assert 'href="/projects/new/" data-testid="empty-new-project">New project</a>' in html
    assert "No project matches these filters." not in html


def test_the_first_admin_without_a_person_is_told_about_my_projects(
    users: dict[str, Any],
) -> None:
    assert _empty_state(users["admin"]) == (
        "No projects yet. Create the first project to follow its status here. New project "
        "Your user account is not linked to a person: a PMO admin links it in the administration "
        "(People, field User). Until then “My projects” lists nothing."
    )


@pytest.mark.parametrize("who", ["pm", "viewer"])
def test_others_are_told_to_ask_the_pmo(who: str, users: dict[str, Any]) -> None:
    text = _empty_state(users[who])

    assert text == "No projects yet. Projects are created by the PMO: ask the PMO to add yours."


def test_a_user_without_a_person_is_told_to_be_linked_to_one(django_user_model: Any) -> None:
    user = django_user_model.objects.create_user(
        username="lone", password="pw-12345", role=Role.PROJECT_MANAGER
    )

    assert _empty_state(user) == (
        "No projects yet. Projects are created by the PMO: ask the PMO to add yours. "
        "Your user account is not linked to a person: a PMO admin links it in the administration "
        "(People, field User). Until then “My projects” lists nothing."
    )


def test_a_viewer_without_a_person_sees_why_the_projects_are_hidden(
    make_project: Any, django_user_model: Any
) -> None:
    make_project()
    viewer = django_user_model.objects.create_user(
        username="lone", password="pw-12345", role=Role.VIEWER
    )

    text = _empty_state(viewer)

    assert text == (
        "No project is visible to you yet. Your user account is not linked to a person: a PMO "
        "admin links it in the administration (People, field User). Until then you see no "
        "project: a viewer sees the projects of their person's org unit."
    )
    assert "No projects yet" not in text


def test_a_viewer_of_another_unit_is_told_what_they_see(
    make_project: Any, users: dict[str, Any]
) -> None:
    make_project()  # in Shanghai R&D; the UK viewer reads London HQ's projects

    assert _empty_state(users["uk_viewer"]) == (
        "No project is visible to you yet. You see the projects of your org unit and of the "
        "units below it: ask the PMO if you need to see others."
    )


def test_filters_that_match_nothing_say_so(make_project: Any, users: dict[str, Any]) -> None:
    make_project()

    assert _empty_state(users["admin"], "?q=nothing-like-this") == (
        "No project matches these filters."
    )


def test_my_projects_without_a_person_says_why_it_is_empty(
    make_project: Any, django_user_model: Any
) -> None:
    make_project()
    member = django_user_model.objects.create_user(
        username="lone", password="pw-12345", role=Role.PMO_MEMBER
    )
    assert not Person.objects.filter(user=member).exists()

    text = _empty_state(member, "?scope=mine")

    assert text.startswith("No project matches these filters. Your user account is not linked")
