"""A PMO member tidies the role catalogue: renames a role, merges a second spelling of it
into it, and the resource list shows the new role on every resource that had either."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_spellings(org: Any) -> None:
    """Roles "Java developer" and "Java Dev", one pool of each, and an unrelated tester pool."""
    from pmo.resources.models import Resource, Role

    for code, name, role in (
        ("java-sh", "Java pool, Shanghai", "Java developer"),
        ("java-sz", "Java pool, Shenzhen", "Java Dev"),
        ("test-sh", "Testers, Shanghai", "Tester"),
    ):
        Role.objects.get_or_create(name=role)
        Resource.objects.create(
            code=code, name=name, kind="pool", role=role, org_unit=org["sh"], fte=Decimal("2")
        )


@pytest.mark.usefixtures("two_spellings")
def test_rename_and_merge_a_role_from_the_catalogue(sign_in: Callable[[str], Any]) -> None:
    page = sign_in("member")
    page.goto("/resources/")
    page.click("[data-testid=role-catalogue]")
    expect(page.locator("h1")).to_have_text("Role catalogue")
    java = page.locator('tr[data-role="Java developer"]')
    expect(java.locator("[data-testid=role-resources]")).to_have_text("1")

    java.locator("[data-testid=edit-role]").click()
    expect(page.locator("[data-testid=role-reach]")).to_contain_text(
        "reaches the 1 resource of this role"
    )
    page.fill("input[name=name]", "Java engineer")
    page.fill("input[name=name_zh]", "Java工程师")
    page.click("[data-testid=save]")
    expect(page.locator('tr[data-role="Java engineer"]')).to_contain_text("Java工程师")
    expect(page.locator('tr[data-role="Java developer"]')).to_have_count(0)

    page.locator('tr[data-role="Java Dev"] [data-testid=edit-role]').click()
    merge = page.locator("[data-testid=merge-form]")
    merge.locator("select[name=into]").select_option(label="Java engineer")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    merge.locator("[data-testid=merge]").click()
    expect(page.locator(".flash.success")).to_contain_text(
        "Role “Java Dev” merged into “Java engineer”"
    )
    assert asked and asked[0].startswith("Merge Java Dev into the chosen role?")
    expect(page.locator('tr[data-role="Java Dev"]')).to_have_count(0)
    engineer = page.locator('tr[data-role="Java engineer"]')
    expect(engineer.locator("[data-testid=role-resources]")).to_have_text("2")
    expect(engineer.locator("[data-testid=role-fte]")).to_have_text("4")

    page.click("[data-testid=resource-list]")
    page.wait_for_url("**/resources/")
    rows = page.locator("table.grid tbody tr")
    expect(rows).to_have_count(3)
    for name in ("Java pool, Shanghai", "Java pool, Shenzhen"):
        expect(rows.filter(has_text=name).locator("td").nth(3)).to_have_text("Java engineer")
    expect(rows.filter(has_text="Testers, Shanghai").locator("td").nth(3)).to_have_text("Tester")
