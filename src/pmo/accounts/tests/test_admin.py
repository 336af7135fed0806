"""Users in the Django admin: superusers are PMO admins, the role and person come first."""

from __future__ import annotations

import re
from typing import Any

from django.core.management import call_command
from django.test import Client

from pmo.accounts.models import Person, Role, User


def test_createsuperuser_makes_a_pmo_admin(db: Any) -> None:
    call_command("createsuperuser", username="boss", email="boss@example.com", interactive=False)
    assert User.objects.get(username="boss").role == Role.PMO_ADMIN
    # an ordinary user keeps the default, and a role given explicitly is kept
    assert User.objects.create_user(username="u1").role == Role.VIEWER
    member = User.objects.create_superuser(username="u2", role=Role.PMO_MEMBER)
    assert member.role == Role.PMO_MEMBER


def test_a_superuser_shows_as_pmo_admin_in_the_top_bar(db: Any, org: Any) -> None:
    boss = User.objects.create_user(username="boss", password="pw-12345")
    User.objects.filter(pk=boss.pk).update(is_superuser=True)  # role stays "viewer"
    client = Client()
    client.force_login(boss)
    page = client.get("/").content.decode()
    role = re.search(r'<span class="role" aria-hidden="true">([^<]*)</span>', page)
    assert role is not None and role.group(1) == "PMO admin"
    assert "Viewer" not in page


def test_the_add_user_form_sets_the_role_and_the_person(admin_client: Client, org: Any) -> None:
    person = Person.objects.create(name="Chen Jie", org_unit=org["sh"])
    page = admin_client.get("/admin/accounts/user/add/").content.decode()
    assert "Role in PMO Hub" in page
    assert 'name="role"' in page and 'name="person"' in page
    assert "Zhang Wei" not in page.split('name="person"')[1].split("</select>")[0]  # has a user
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "chen",
            "usable_password": "true",
            "password1": "a-long-pass-9876",
            "password2": "a-long-pass-9876",
            "role": Role.PROJECT_MANAGER,
            "person": person.pk,
            "language": "zh-hans",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="chen")
    assert (user.role, user.language) == (Role.PROJECT_MANAGER, "zh-hans")
    person.refresh_from_db()
    assert (person.user, person.version) == (user, 2)


def test_the_user_page_shows_the_role_first_and_folds_django_permissions(
    admin_client: Client, users: Any
) -> None:
    pm = users["pm"]
    page = admin_client.get(f"/admin/accounts/user/{pm.pk}/change/").content.decode()
    order = [page.index(s) for s in ("Role in PMO Hub", "Personal info", "Admin site permissions")]
    assert order == sorted(order)
    assert ">PMO</h2>" not in page
    # the groups and permissions sit in a closed <details>
    assert re.search(r"<details><summary>\s*<h2[^>]*>Admin site permissions</h2>", page)
    assert 'name="groups"' in page.split("Admin site permissions")[1]
    person = re.search(r'<select name="person"[^>]*>(.*?)</select>', page, re.S)
    assert person is not None
    assert re.search(r'<option value="\d+" selected>Zhang Wei</option>', person.group(1))
    assert "Wang Fang" not in person.group(1)  # the viewer's person


def test_unlinking_a_person_in_the_admin(admin_client: Client, users: Any) -> None:
    pm = users["pm"]
    url = f"/admin/accounts/user/{pm.pk}/change/"
    form = {
        "username": "pm",
        "role": Role.PROJECT_MANAGER,
        "person": "",
        "language": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Person.objects.filter(user=pm).exists()
    zhang = Person.objects.get(name="Zhang Wei")
    assert zhang.user is None
    assert admin_client.post(url, {**form, "person": zhang.pk}).status_code == 302
    zhang.refresh_from_db()
    assert zhang.user == pm


def test_the_user_list_shows_a_superuser_as_pmo_admin(admin_client: Client, db: Any) -> None:
    User.objects.create_user(username="boss", is_superuser=True, role=Role.VIEWER)
    User.objects.filter(username="boss").update(role=Role.VIEWER)
    page = admin_client.get("/admin/accounts/user/?q=boss").content.decode()
    row = page.split("boss</a>")[1].split("</tr>")[0]
    assert "PMO admin" in row and "Viewer" not in row
