"""The capacity views' role filter reads a role as the resource list does (any case, or its
Chinese name) and refuses one nobody has; a cell's key names an org unit or a resource by code
or id."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from pmo.resources.filters import ResourceFilter, role_names
from pmo.resources.models import Resource
from pmo.resources.tests.factories import MON, allocate, bearer, pool

WEEK = f"first={MON}&last={MON + dt.timedelta(days=6)}"


def _world(org: Any, make_project: Any) -> tuple[Resource, Resource, Any]:
    """A quantum pool (with a Chinese role) 1 FTE over in the week of MON, a Java pool."""
    quantum = pool(
        org,
        code="qe-pool",
        name="Quantum engineers",
        role="Quantum engineer",
        role_zh="量子工程师",
        fte=Decimal("2"),
    )
    java = pool(org, org_unit=org["it"])
    project = make_project()
    allocate(quantum, project, MON, MON + dt.timedelta(days=4), "3")
    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    return quantum, java, project


def _heatmap(client: Any, users: Any, query: str) -> Any:
    return client.get(
        f"/api/v1/capacity/heatmap?start={MON}&periods=1&{query}", headers=bearer(users["exec"])
    )


def test_role_names_reads_any_case_and_the_chinese_name(org: Any) -> None:
    pool(org, code="qe-pool", role="Quantum engineer", role_zh="量子工程师")
    # a resource written past the catalogue (the ORM: old rows, the demo loader) counts too
    Resource.objects.create(code="old", name="Old", kind="pool", role="Legacy", org_unit=org["sh"])
    assert role_names("quantum ENGINEER ") == ["Quantum engineer"]
    assert role_names("量子工程师") == ["Quantum engineer"]
    assert role_names("legacy") == ["Legacy"]
    assert role_names("NoSuchRole") == []
    assert role_names("  ") == []
    kept = Resource.objects.filter(ResourceFilter(role="QUANTUM engineer").q())
    assert [r.code for r in kept] == ["qe-pool"]


@pytest.mark.usefixtures("on_mon")
def test_heatmap_role_filter_any_case_or_chinese(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    _world(org, make_project)
    exact = _heatmap(client, users, "role=Quantum%20engineer").json()
    assert [r["key"] for r in exact["rows"]] == ["Quantum engineer"]
    assert (exact["overloaded_cells"], exact["overload"]) == (1, 1.0)
    for spelled in ("quantum%20engineer", "QUANTUM%20ENGINEER", "量子工程师"):
        assert _heatmap(client, users, f"role={spelled}").json() == exact, spelled


@pytest.mark.parametrize("role", ["NoSuchRole", "quantum%20engineers"])
def test_heatmap_and_causes_refuse_an_unknown_role(
    client: Any, users: Any, org: Any, make_project: Any, role: str
) -> None:
    _world(org, make_project)
    for answer in (
        _heatmap(client, users, f"role={role}"),
        client.get(
            f"/api/v1/capacity/causes?by=org_unit&key=sh&{WEEK}&role={role}",
            headers=bearer(users["exec"]),
        ),
    ):
        assert answer.status_code == 422, answer.content
        error = answer.json()["errors"][0]
        assert error["field"] == "role"
        assert error["message"] == f"no role “{role.replace('%20', ' ')}”"


def _causes(client: Any, users: Any, query: str) -> Any:
    return client.get(f"/api/v1/capacity/causes?{query}&{WEEK}", headers=bearer(users["exec"]))


def test_causes_key_is_a_code_or_an_id(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    quantum, java, project = _world(org, make_project)
    by_id = _causes(client, users, f"by=org_unit&key={org['sh'].pk}").json()
    assert [(c["code"], c["demand"]) for c in by_id] == [(project.code, 3.0)]
    assert _causes(client, users, "by=org_unit&key=sh").json() == by_id
    assert _causes(client, users, "by=org_unit&key=SH").json() == by_id
    by_pool = _causes(client, users, f"by=resource&key={quantum.pk}").json()
    assert by_pool == by_id
    assert _causes(client, users, "by=resource&key=qe-pool").json() == by_pool
    assert _causes(client, users, "by=resource&key=QE-POOL").json() == by_pool
    assert _causes(client, users, "by=role&key=quantum%20engineer").json() == by_id
    assert _causes(client, users, "by=role&key=量子工程师").json() == by_id
    # the role filter, any case, still narrows a cell found by code
    java_only = _causes(client, users, f"by=resource&key={java.code}&role=java%20DEVELOPER")
    assert [(c["code"], c["demand"]) for c in java_only.json()] == [(project.code, 1.0)]
    other_role = _causes(client, users, "by=resource&key=qe-pool&role=java%20developer")
    assert (other_role.status_code, other_role.json()) == (200, [])


@pytest.mark.parametrize(
    "query, message",
    [
        ("by=org_unit&key=acme-cap", "no org unit with code or id “acme-cap”"),
        ("by=org_unit&key=999999", "no org unit with code or id “999999”"),
        ("by=resource&key=no-pool", "no resource with code or id “no-pool”"),
        ("by=resource&key=999999", "no resource with code or id “999999”"),
        ("by=resource&key=", "no resource with code or id “”"),
        ("by=role&key=Nope", "no role “Nope”"),
        ("by=role&key=", "no role “”"),
    ],
)
def test_causes_key_naming_nothing_is_a_404(
    client: Any, users: Any, org: Any, make_project: Any, query: str, message: str
) -> None:
    _world(org, make_project)
    answer = _causes(client, users, query)
    assert (answer.status_code, answer.json()["detail"]) == (404, message)


def test_causes_of_a_known_key_with_no_work_is_empty(client: Any, users: Any, org: Any) -> None:
    idle = pool(org, code="idle", role="Idle role")
    for query in ("by=role&key=idle%20ROLE", f"by=resource&key={idle.pk}", "by=org_unit&key=cn"):
        answer = _causes(client, users, query)
        assert (answer.status_code, answer.json()) == (200, []), query


def test_a_number_is_an_id_first_then_a_code(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    quantum, _java, project = _world(org, make_project)
    digits = pool(org, code="4711", name="Digits", role="Quantum engineer")
    allocate(digits, project, MON, MON, "1")
    own = _causes(client, users, "by=resource&key=4711").json()
    assert [(c["code"], c["demand"]) for c in own] == [(project.code, 0.2)]
    # a number that is a resource's id is that resource, whatever code another has
    Resource.objects.filter(pk=digits.pk).update(code=str(quantum.pk))
    by_id = _causes(client, users, f"by=resource&key={quantum.pk}").json()
    assert [(c["code"], c["demand"]) for c in by_id] == [(project.code, 3.0)]


@pytest.mark.usefixtures("on_mon")
def test_heatmap_page_with_an_unknown_role_shows_every_role_and_says_why(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    _world(org, make_project)
    client.force_login(users["exec"])
    stale = client.get(f"/resources/heatmap/?start={MON}&periods=1&role=NoSuchRole")
    html = stale.content.decode()
    assert stale.status_code == 200
    assert "No role “NoSuchRole”: all roles are shown." in html
    assert "3.0/2.0" in html and "1.0/2.0" in html  # both roles' rows
    # the export and drill-down links drop it (the language switch keeps the address as is)
    assert [u for u in re.findall(r'href="([^"]*)"', html) if "NoSuchRole" in u] == []
    # another case, or the Chinese name, chooses the role in the select and narrows the map
    for spelled in ("quantum+ENGINEER", "量子工程师"):
        page = client.get(f"/resources/heatmap/?start={MON}&periods=1&role={spelled}")
        html = page.content.decode()
        assert '<option value="Quantum engineer" selected>' in html, spelled
        assert any("role=Quantum+engineer" in u for u in re.findall(r'href="([^"]*)"', html))
        assert "3.0/2.0" in html and "1.0/2.0" not in html, spelled
        assert "No role" not in html
