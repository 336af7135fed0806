"""Admin changes to users, org units and people are on record (with the acting admin, never a
password hash) and read on the object's History page."""

from __future__ import annotations

import json
from typing import Any

import lxml.html
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from pmo.accounts.models import OrgUnit, Person, Role, User
from pmo.audit.models import AuditEvent


def _user_form(user: User, **changes: Any) -> dict[str, Any]:
    person = Person.objects.filter(user=user).first()
    joined = timezone.localtime(user.date_joined)
    form = {
        "username": user.username,
        "role": user.role,
        "person": person.pk if person else "",
        "language": user.language,
        "is_active": "on",
        "date_joined_0": f"{joined:%Y-%m-%d}",
        "date_joined_1": f"{joined:%H:%M:%S}",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _history_rows(client: Client, url: str) -> list[tuple[str, list[str]]]:
    """The audit trail on the History page: each row's "What" and its changes, one a line."""
    page = client.get(url)
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.content.decode())
    table = tree.get_element_by_id("audit-trail")
    return [
        (_text(row.xpath("./td")[1]), [_text(d) for d in row.xpath("./td[3]/div")])
        for row in table.xpath(".//tbody/tr")
    ]


def test_granting_pmo_admin_is_recorded_with_the_admin_and_shown_in_history(
    admin_client: Client, users: Any
) -> None:
    viewer = users["viewer"]
    url = f"/admin/accounts/user/{viewer.pk}/change/"
    response = admin_client.post(url, _user_form(viewer, role=Role.PMO_ADMIN, is_staff="on"))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(viewer.pk))
    assert (event.action, event.scope, event.actor) == (
        "update",
        f"user:{viewer.pk}",
        users["admin"],
    )
    assert event.changes["role"] == [Role.VIEWER, Role.PMO_ADMIN]
    assert event.changes["is_staff"] == [False, True]
    assert "password" not in event.changes
    rows = _history_rows(admin_client, f"/admin/accounts/user/{viewer.pk}/history/")
    assert rows == [("updated viewer", ["staff status: no → yes", "role: Viewer → PMO admin"])]


def test_a_password_is_recorded_as_changed_never_as_a_hash(
    admin_client: Client, users: Any
) -> None:
    viewer = users["viewer"]
    response = admin_client.post(
        f"/admin/accounts/user/{viewer.pk}/password/",
        {"usable_password": "true", "password1": "n3w-long-pass!", "password2": "n3w-long-pass!"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    viewer.refresh_from_db()
    assert viewer.check_password("n3w-long-pass!")
    (event,) = AuditEvent.objects.filter(object_type="accounts.user")
    assert event.changes == {"password": [None, "changed"]}
    assert event.actor == users["admin"]
    rows = _history_rows(admin_client, f"/admin/accounts/user/{viewer.pk}/history/")
    assert rows == [("updated viewer", ["password: changed"])]


def test_a_new_user_is_recorded_without_its_password(admin_client: Client, org: Any) -> None:
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "li",
            "usable_password": "true",
            "password1": "a-long-pass-9876",
            "password2": "a-long-pass-9876",
            "role": Role.PMO_MEMBER,
            "person": "",
            "language": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="li")
    (event,) = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    assert event.action == "create" and event.changes["role"] == [None, Role.PMO_MEMBER]
    recorded = json.dumps(event.changes)
    assert "password" not in event.changes and user.password not in recorded


def test_groups_and_the_person_are_recorded(admin_client: Client, users: Any, org: Any) -> None:
    viewer = users["viewer"]
    group = Group.objects.create(name="Auditors")
    chen = Person.objects.create(name="Chen Jie", org_unit=org["sh"])
    form = _user_form(viewer, groups=[group.pk], person=chen.pk)
    response = admin_client.post(f"/admin/accounts/user/{viewer.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(viewer.pk))
    assert event.changes["groups"] == [[], [group.pk]]
    assert event.changes["person"][1] == "Chen Jie"
    rows = _history_rows(admin_client, f"/admin/accounts/user/{viewer.pk}/history/")
    assert rows[0][1] == ["groups: ∅ → Auditors", "person: Wang Fang → Chen Jie"]


def test_org_units_are_recorded_from_creation_to_deletion(admin_client: Client, org: Any) -> None:
    response = admin_client.post(
        "/admin/accounts/orgunit/add/",
        {"code": "sz", "name": "Shenzhen", "name_zh": "", "kind": "plant", "parent": org["sh"].pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = OrgUnit.objects.get(code="sz")
    created = AuditEvent.objects.get(object_type="accounts.orgunit", action="create")
    assert created.scope == "org-unit:sz"
    assert created.changes["parent"] == [None, org["sh"].pk]
    rows = _history_rows(admin_client, f"/admin/accounts/orgunit/{unit.pk}/history/")
    assert rows == [
        (
            "created sz Shenzhen",
            ["name: Shenzhen", "code: sz", "kind: Plant / site", "parent: Shanghai R&D"],
        )
    ]
    response = admin_client.post(f"/admin/accounts/orgunit/{unit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    deleted = AuditEvent.objects.get(object_type="accounts.orgunit", action="delete")
    assert deleted.changes["code"] == ["sz", None] and deleted.actor is not None


def test_a_person_changed_in_the_admin_is_recorded(admin_client: Client, org: Any) -> None:
    person = Person.objects.create(name="Chen Jie", org_unit=org["sh"])
    response = admin_client.post(
        f"/admin/accounts/person/{person.pk}/change/",
        {"name": "Chen Jie", "name_zh": "陈杰", "email": "", "title": "", "org_unit": org["sh"].pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(object_type="accounts.person")
    assert (event.scope, event.changes) == (f"person:{person.pk}", {"name_zh": ["", "陈杰"]})
    person.refresh_from_db()
    assert person.version == 2  # a page opened before the change gets a conflict


def test_the_person_label_is_capitalised_and_the_parent_select_is_a_tree(
    admin_client: Client, org: Any
) -> None:
    page = admin_client.get("/admin/accounts/user/add/").content.decode()
    tree = lxml.html.fromstring(page)
    (label,) = tree.xpath("//label[@for='id_person']")
    assert label.text_content().strip().rstrip(":") == "Person"
    page = admin_client.get("/admin/accounts/orgunit/add/").content.decode()
    options = lxml.html.fromstring(page).xpath("//select[@name='parent']/option")
    shown = {o.get("value"): o.text_content() for o in options if o.get("value")}
    # as on the list: each unit under its parent, indented by its depth
    assert list(shown.values()) == [
        "Group",
        "\u2002└ China",
        "\u2003\u2002└ Shanghai R&D",
        "\u2002└ London HQ",
        "\u2003\u2002└ London IT",
    ]
    listed = lxml.html.fromstring(admin_client.get("/admin/accounts/orgunit/").content.decode())
    assert [
        _text(c)
        for c in listed.xpath("//td[@class='field-tree_name']|//th[@class='field-tree_name']")
    ] == [" ".join(name.split()) for name in shown.values()]


def test_every_audited_admin_shows_the_trail_in_its_history(
    admin_client: Client, make_project: Any
) -> None:
    project = make_project(code="HIST1")
    AuditEvent.objects.create(
        action="update",
        object_type="portfolio.project",
        object_id=str(project.pk),
        object_repr="HIST1 x",
        scope=f"project:{project.pk}",
        changes={"priority": [3, 1]},
    )
    rows = _history_rows(admin_client, f"/admin/portfolio/project/{project.pk}/history/")
    assert rows == [(f"updated HIST1 {project.name}", ["priority: 3 → 1"])]


def test_the_admin_refuses_an_org_unit_under_its_own_subtree(
    admin_client: Client, org: Any
) -> None:
    # given China (under Group) with Shanghai R&D below it
    china = org["cn"]
    paths = dict(OrgUnit.objects.values_list("code", "path"))

    # when the admin puts China under Shanghai R&D, its own child
    response = admin_client.post(
        f"/admin/accounts/orgunit/{china.pk}/change/",
        {
            "code": "cn",
            "name": "China",
            "name_zh": "中国区",
            "kind": "region",
            "parent": org["sh"].pk,
        },
    )

    # then the form says why at the parent field and no path changed
    assert response.status_code == 200
    page = response.content.decode()
    assert "an org unit cannot be its own parent" in page
    assert dict(OrgUnit.objects.values_list("code", "path")) == paths
    assert not AuditEvent.objects.filter(object_type="accounts.orgunit").exists()
