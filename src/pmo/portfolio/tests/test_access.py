"""Roles and scope, both ways: allowed and refused."""

import pytest

from pmo.core.errors import PermissionDeniedError
from pmo.portfolio.access import (
    can_create_project,
    can_edit_project,
    require_edit,
    visible_projects,
)


@pytest.fixture
def two_projects(make_project, users):
    shanghai = make_project(code="SH1")
    london = make_project(code="UK1", manager=users["other_pm"].person)
    return shanghai, london


@pytest.mark.parametrize("role", ["admin", "member", "pm", "other_pm", "exec"])
def test_portfolio_wide_roles_see_every_project(role, users, two_projects):
    assert set(visible_projects(users[role]).values_list("code", flat=True)) == {"SH1", "UK1"}


def test_viewer_sees_only_projects_of_own_org_units(users, two_projects):
    assert list(visible_projects(users["viewer"]).values_list("code", flat=True)) == ["SH1"]
    assert list(visible_projects(users["uk_viewer"]).values_list("code", flat=True)) == ["UK1"]


def test_viewer_without_person_sees_nothing(users, two_projects, django_user_model):
    lonely = django_user_model.objects.create_user(username="lonely", password="x", role="viewer")
    assert visible_projects(lonely).count() == 0


def test_viewer_of_a_region_sees_the_departments_below(users, two_projects, org):
    person = users["viewer"].person
    person.org_unit = org["cn"]
    person.save()
    assert list(visible_projects(users["viewer"]).values_list("code", flat=True)) == ["SH1"]


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        ("admin", True, True),
        ("member", True, True),
        ("pm", True, False),
        ("exec", False, False),
        ("viewer", False, False),
    ],
)
def test_who_may_edit(role, own, other, users, two_projects):
    shanghai, london = two_projects
    assert can_edit_project(users[role], shanghai) is own
    assert can_edit_project(users[role], london) is other


def test_require_edit_refuses_with_a_clear_message(users, two_projects):
    with pytest.raises(PermissionDeniedError, match="may read project UK1 but not change it"):
        require_edit(users["pm"], two_projects[1])


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("member", True), ("pm", False), ("exec", False), ("viewer", False)],
)
def test_only_the_pmo_creates_projects(role, allowed, users):
    assert can_create_project(users[role]) is allowed


def test_inactive_user_sees_nothing(users, two_projects):
    users["exec"].is_active = False
    assert visible_projects(users["exec"]).count() == 0
