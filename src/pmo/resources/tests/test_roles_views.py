"""The role catalogue's pages: the list with counts, adding, renaming (reaching the
resources), a stale form, deleting, merging, who may do what, and the resource form's
datalist of catalogue roles."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.resources.forms import ResourceForm
from pmo.resources.models import Resource, Role
from pmo.resources.tests.factories import pool


def _role(name: str, name_zh: str = "", description: str = "") -> Role:
    return Role.objects.create(name=name, name_zh=name_zh, description=description)


def _java(org: dict[str, Any]) -> Role:
    """Role "Java developer" with two pools (2 + 3 FTE) and an inactive one (4 FTE)."""
    role = _role("Java developer", "Java开发工程师", "Backend services")
    pool(org)
    pool(org, code="java-sz", name="Java developer, Shenzhen", fte=Decimal("3"))
    pool(org, code="java-old", name="Java developer, old", fte=Decimal("4"), active=False)
    return role


def _row(html: str, name: str) -> str:
    start = html.index(f'data-role="{name}"')
    return html[start : html.index("</tr>", start)]


def test_list_shows_each_role_with_its_resources_and_standing_fte(
    client: Any, users: Any, org: Any
) -> None:
    _java(org)
    _role("Tester", "测试工程师")
    client.force_login(users["member"])
    page = client.get("/resources/roles/")
    assert page.status_code == 200
    html = page.content.decode()
    java = _row(html, "Java developer")
    assert "Java开发工程师" in java and "Backend services" in java
    # the count opens the resource list on the role's resources, inactive ones too
    assert '<a href="/resources/?role=Java%20developer&amp;state=all"' in java
    assert '">3</a></td>' in java  # all three resources, the inactive one too
    assert '<td class="num" data-testid="role-fte">5</td>' in java  # active ones only
    assert 'data-testid="delete-role"' not in java  # used: merge it instead
    tester = _row(html, "Tester")
    assert '<td class="num" data-testid="role-resources">0</td>' in tester
    assert 'data-testid="delete-role"' in tester
    assert 'data-testid="new-role"' in html


def test_list_reads_the_counts_in_one_query_however_many_roles(
    client: Any, users: Any, org: Any
) -> None:
    _java(org)
    client.force_login(users["member"])
    with CaptureQueriesContext(connection) as few:
        client.get("/resources/roles/")
    for n in range(5):
        _role(f"Role {n}")
        pool(org, code=f"r{n}", name=f"Pool {n}", role=f"Role {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/resources/roles/")
    assert page.content.decode().count('data-testid="role-resources"') == 6
    assert len(many) == len(few)


def test_create_adds_a_role_and_a_name_taken_in_another_case_is_refused_at_name(
    client: Any, users: Any
) -> None:
    client.force_login(users["member"])
    made = client.post(
        "/resources/roles/new/",
        {"name": " Data engineer ", "name_zh": "数据工程师", "description": "Pipelines"},
    )
    assert made.status_code == 302 and made.url == "/resources/roles/"
    role = Role.objects.get()
    assert (role.name, role.name_zh, role.description) == (
        "Data engineer",
        "数据工程师",
        "Pipelines",
    )
    taken = client.post("/resources/roles/new/", {"name": "data ENGINEER"})
    assert taken.status_code == 422
    html = taken.content.decode()
    field = html[html.index('data-field="name"') : html.index('data-field="name_zh"')]
    assert "names may not differ by case only" in field
    assert Role.objects.count() == 1


def test_edit_renames_the_role_on_every_resource_of_it(client: Any, users: Any, org: Any) -> None:
    role = _java(org)
    _role("Tester")
    tester = pool(org, code="test-sh", name="Testers", role="Tester")
    client.force_login(users["member"])
    page = client.get(f"/resources/roles/{role.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "A new name or Chinese name reaches all 3 resources of this role." in html
    assert '<option value="' in html and ">Tester</option>" in html  # the merge select
    saved = client.post(
        f"/resources/roles/{role.pk}/edit/",
        {
            "version": role.version,
            "name": "Java engineer",
            "name_zh": "Java工程师",
            "description": "Backend services",
        },
    )
    assert saved.status_code == 302 and saved.url == "/resources/roles/"
    assert set(Resource.objects.exclude(pk=tester.pk).values_list("role", "role_zh")) == {
        ("Java engineer", "Java工程师")
    }
    assert Resource.objects.get(pk=tester.pk).role == "Tester"
    assert Role.objects.get(pk=role.pk).name == "Java engineer"


def test_a_stale_edit_is_refused_with_the_409_message(client: Any, users: Any, org: Any) -> None:
    role = _java(org)
    opened = role.version
    client.force_login(users["member"])
    client.post(
        f"/resources/roles/{role.pk}/edit/",
        {"version": opened, "name": "Java engineer", "name_zh": "", "description": ""},
    )
    stale = client.post(
        f"/resources/roles/{role.pk}/edit/",
        {"version": opened, "name": "Java developer", "name_zh": "", "description": "Old"},
    )
    assert stale.status_code == 409
    assert "Someone else saved this role while you were editing it." in stale.content.decode()
    assert Role.objects.get(pk=role.pk).name == "Java engineer"
    assert set(Resource.objects.values_list("role", flat=True)) == {"Java engineer"}


def test_delete_is_refused_while_resources_have_the_role(client: Any, users: Any, org: Any) -> None:
    role = _java(org)
    client.force_login(users["member"])
    answer = client.post(f"/resources/roles/{role.pk}/delete/", follow=True)
    assert answer.status_code == 200
    assert (
        "3 resources have role “Java developer”: change them or merge the role into another"
        in answer.content.decode()
    )
    assert Role.objects.filter(pk=role.pk).exists()


def test_delete_removes_an_unused_role(client: Any, users: Any) -> None:
    role = _role("Tester")
    client.force_login(users["member"])
    answer = client.post(f"/resources/roles/{role.pk}/delete/", follow=True)
    assert "Role “Tester” deleted from the catalogue." in answer.content.decode()
    assert not Role.objects.exists()
    again = client.post(f"/resources/roles/{role.pk}/delete/", follow=True)
    assert "That role was removed from the catalogue already." in again.content.decode()


def test_merge_moves_the_resources_and_deletes_the_role(client: Any, users: Any, org: Any) -> None:
    java = _java(org)
    other = _role("Java Dev")
    pool(org, code="jd", name="Java devs", role="Java Dev")
    client.force_login(users["member"])
    answer = client.post(
        f"/resources/roles/{other.pk}/merge/", {"into": java.pk, "version": other.version}
    )
    assert answer.status_code == 302 and answer.url == "/resources/roles/"
    assert not Role.objects.filter(pk=other.pk).exists()
    moved = Resource.objects.get(code="jd")
    assert (moved.role, moved.role_zh) == ("Java developer", "Java开发工程师")


def test_a_merge_into_nothing_or_with_a_stale_version_shows_the_page_again(
    client: Any, users: Any, org: Any
) -> None:
    java = _java(org)
    other = _role("Java Dev")
    client.force_login(users["member"])
    empty = client.post(f"/resources/roles/{other.pk}/merge/", {"version": other.version})
    assert empty.status_code == 422
    assert "Choose the role to merge into." in empty.content.decode()
    itself = client.post(
        f"/resources/roles/{other.pk}/merge/", {"into": other.pk, "version": other.version}
    )
    assert itself.status_code == 422  # not offered: the select has the other roles only
    stale = client.post(
        f"/resources/roles/{other.pk}/merge/", {"into": java.pk, "version": other.version + 1}
    )
    assert stale.status_code == 409
    assert "was changed by someone else" in stale.content.decode()
    assert Role.objects.filter(pk=other.pk).exists()


def test_readers_of_capacity_see_the_list_but_change_nothing(
    client: Any, users: Any, org: Any
) -> None:
    role = _java(org)
    unused = _role("Tester")
    client.force_login(users["exec"])
    page = client.get("/resources/roles/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Java developer" in html
    assert 'data-testid="new-role"' not in html and 'data-testid="edit-role"' not in html
    visit = client.get(f"/resources/roles/{role.pk}/edit/", follow=True)
    assert visit.redirect_chain == [("/resources/roles/", 302)]
    assert "Only the PMO and resource managers may change resources" in visit.content.decode()
    assert client.post("/resources/roles/new/", {"name": "Hacker"}).status_code == 403
    assert client.post(f"/resources/roles/{unused.pk}/delete/").status_code == 403
    merge = client.post(f"/resources/roles/{unused.pk}/merge/", {"into": role.pk})
    assert merge.status_code == 403
    assert set(Role.objects.values_list("name", flat=True)) == {"Java developer", "Tester"}


def test_viewers_may_not_open_the_catalogue(client: Any, users: Any) -> None:
    role = _role("Tester")
    client.force_login(users["viewer"])
    assert client.get("/resources/roles/").status_code == 403
    assert client.get("/resources/roles/new/").status_code == 403
    assert client.get(f"/resources/roles/{role.pk}/edit/").status_code == 403
    assert client.post(f"/resources/roles/{role.pk}/delete/").status_code == 403


def test_an_unknown_role_is_404(client: Any, users: Any) -> None:
    client.force_login(users["member"])
    assert client.get("/resources/roles/999/edit/").status_code == 404
    assert client.post("/resources/roles/999/merge/", {"into": "1"}).status_code == 404


def test_the_resource_form_offers_the_catalogue_roles_in_a_datalist(
    client: Any, users: Any, org: Any
) -> None:
    _role("Tester", "测试工程师")
    _role("Business analyst")
    html = str(ResourceForm()["role"])
    assert 'list="id_role-catalogue"' in html
    assert (
        '<datalist id="id_role-catalogue"><option value="Business analyst"></option>'
        '<option value="Tester">测试工程师</option></datalist>'
    ) in html
    client.force_login(users["member"])
    page = client.get("/resources/new/").content.decode()
    assert '<option value="Tester">测试工程师</option>' in page
    assert 'href="/resources/roles/"' in page


def test_the_catalogue_points_out_two_spellings_of_one_role(client: Any, users: Any) -> None:
    from pmo.resources import selectors

    _role("Java developer", "Java开发工程师")
    _role("Java-Developers")  # punctuation, case and a plural
    _role("Backend engineer", "Java开发工程师")  # the same Chinese name
    _role("Tester")
    _role("Process")  # "ss": not a plural
    _role("Proces")
    alike = {
        role.name: sorted(o.name for o in others)
        for role in Role.objects.all()
        for pk, others in selectors.look_alike_roles(Role.objects.all()).items()
        if pk == role.pk
    }
    assert alike == {
        "Backend engineer": ["Java developer"],
        "Java developer": ["Backend engineer", "Java-Developers"],
        "Java-Developers": ["Java developer"],
    }
    client.force_login(users["exec"])  # a reader sees it too
    html = client.get("/resources/roles/").content.decode()
    assert html.count('data-testid="look-alike"') == 4
    assert "same role as Java-Developers?" in _row(html, "Java developer")
    assert 'data-testid="look-alike"' not in _row(html, "Tester")
