"""The role catalogue's rules: resources resolve their role against it, renames and merges
reach every resource of a role, a capacity sheet adds roles, the migration fills it."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from pmo.resources import services, xlsx
from pmo.resources.models import Resource, Role
from pmo.resources.roles import chinese_roles
from pmo.resources.tests.factories import pool
from pmo.resources.tests.test_api import _sheet as sheet_of

pytestmark = pytest.mark.django_db


def _data(org: Any, code: str, role: str, **fields: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": code,
        "kind": "pool",
        "role": role,
        "org_unit_id": org["sh"].pk,
        **fields,
    }


def test_a_resource_with_a_new_role_adds_it_and_one_of_another_case_takes_its_spelling(
    users: Any, org: Any
) -> None:
    first = services.create_resource(
        actor=users["admin"], data=_data(org, "qa-sh", " QA engineer ", role_zh="测试工程师")
    )
    assert (first.role, first.role_zh) == ("QA engineer", "测试工程师")
    second = services.create_resource(actor=users["admin"], data=_data(org, "qa-sz", "qa ENGINEER"))
    assert (second.role, second.role_zh) == ("QA engineer", "测试工程师")
    assert list(Role.objects.values_list("name", "name_zh")) == [("QA engineer", "测试工程师")]
    assert chinese_roles() == {"QA engineer": "测试工程师"}
    # another Chinese name for the role is refused, nothing written
    with pytest.raises(FieldError, match="测试工程师") as refused:
        services.create_resource(
            actor=users["admin"], data=_data(org, "qa-bj", "QA engineer", role_zh="质量工程师")
        )
    assert refused.value.errors[0]["field"] == "role_zh"
    assert not Resource.objects.filter(code="qa-bj").exists()


def test_a_resource_names_a_role_in_chinese_for_all_its_resources(users: Any, org: Any) -> None:
    one = pool(org)  # role "Java developer", no Chinese name yet
    two = pool(org, code="java-sz")
    version = two.version
    pool(org, code="java-bj", role_zh="Java开发工程师")
    assert Role.objects.get(name="Java developer").name_zh == "Java开发工程师"
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.role_zh, two.role_zh) == ("Java开发工程师", "Java开发工程师")
    assert two.version == version + 1  # a form open on it is told it changed


def test_changing_a_resources_role_takes_the_new_roles_chinese_name(users: Any, org: Any) -> None:
    pool(org, code="qa", role="QA engineer", role_zh="测试工程师")
    java = pool(org, role_zh="Java开发工程师")
    # the form sends the Chinese role it showed: left as it was, it is not a new name
    changed = services.update_resource(
        actor=users["admin"],
        resource=java,
        data={"role": "qa engineer", "role_zh": "Java开发工程师"},
        version=java.version,
    )
    assert (changed.role, changed.role_zh) == ("QA engineer", "测试工程师")


def test_renaming_a_role_renames_it_on_every_resource(users: Any, org: Any) -> None:
    java = pool(org, role_zh="Java开发工程师")
    other = pool(org, code="qa", role="QA engineer")
    role = Role.objects.get(name="Java developer")
    services.update_role(
        actor=users["admin"],
        role=role,
        data={"name": "Java engineer", "name_zh": "Java工程师"},
        version=role.version,
    )
    java.refresh_from_db()
    other.refresh_from_db()
    assert (java.role, java.role_zh, java.version) == ("Java engineer", "Java工程师", 2)
    assert (other.role, other.version) == ("QA engineer", 1)
    event = AuditEvent.objects.filter(object_type="resources.role", action="update").get()
    assert event.changes["name"] == ["Java developer", "Java engineer"]
    assert event.changes["resources"] == [None, 1]
    with pytest.raises(ConflictError):  # the version read before the rename
        services.update_role(
            actor=users["admin"], role=role, data={"description": "x"}, version=role.version - 1
        )
    with pytest.raises(FieldError, match="differ by case only"):
        services.update_role(
            actor=users["admin"], role=role, data={"name": "qa ENGINEER"}, version=None
        )
    with pytest.raises(PermissionDeniedError):
        services.update_role(actor=users["pm"], role=role, data={"name": "Dev"}, version=None)


def test_merging_moves_the_resources_and_deleting_needs_none(users: Any, org: Any) -> None:
    pool(org, role_zh="Java开发工程师")
    typo = pool(org, code="java-typo", role="Java develper")
    source, target = Role.objects.get(name="Java develper"), Role.objects.get(name="Java developer")
    with pytest.raises(ConflictError, match="1 resource has role"):
        services.delete_role(actor=users["admin"], role=source)
    with pytest.raises(FieldError, match="itself"):
        services.merge_role(actor=users["admin"], role=source, into=source)
    services.merge_role(actor=users["admin"], role=source, into=target, version=source.version)
    typo.refresh_from_db()
    assert (typo.role, typo.role_zh) == ("Java developer", "Java开发工程师")
    assert list(Role.objects.values_list("name", flat=True)) == ["Java developer"]
    with pytest.raises(NotFoundError):  # merged away meanwhile
        services.update_role(actor=users["admin"], role=source, data={"name": "X"}, version=None)
    unused = services.create_role(actor=users["admin"], data={"name": "Tester"})
    services.delete_role(actor=users["admin"], role=unused)
    assert not Role.objects.filter(name="Tester").exists()


HEADER = ["code", "name", "kind", "role", "role_zh", "org_unit", "fte"]


def _sheet(rows: list[list[Any]]) -> BytesIO:
    return sheet_of(rows, header=HEADER)


def test_a_capacity_sheet_adds_roles_and_their_chinese_names(users: Any, org: Any) -> None:
    pool(org)  # "Java developer" without a Chinese name
    sheet = _sheet(
        [
            ["qa-1", "QA one", "pool", "QA engineer", "", "sh", 2],
            ["qa-2", "QA two", "pool", "qa engineer", "测试工程师", "sh", 2],  # names it for both
            ["java-2", "Java two", "pool", "JAVA DEVELOPER", "Java开发工程师", "sh", 3],
        ]
    )
    xlsx.import_capacity(actor=users["admin"], stream=sheet, name="roles.xlsx")
    assert dict(Role.objects.values_list("name", "name_zh")) == {
        "Java developer": "Java开发工程师",
        "QA engineer": "测试工程师",
    }
    rows = Resource.objects.order_by("code").values_list("code", "role", "role_zh")
    assert list(rows) == [
        ("java-2", "Java developer", "Java开发工程师"),
        ("java-sh", "Java developer", "Java开发工程师"),
        ("qa-1", "QA engineer", "测试工程师"),
        ("qa-2", "QA engineer", "测试工程师"),
    ]
    events = AuditEvent.objects.filter(object_type="resources.role").order_by("pk")
    added = [e.changes for e in events if e.action == "create" and "capacity_sheet" in e.changes]
    assert [(c["name"], c["capacity_sheet"]) for c in added] == [
        ([None, "QA engineer"], [None, "roles.xlsx"])
    ]
    named = [e.changes for e in events if e.action == "update"]
    assert named == [{"name_zh": ["", "Java开发工程师"], "capacity_sheet": [None, "roles.xlsx"]}]


def test_a_capacity_sheet_with_two_chinese_names_for_a_role_is_refused(
    users: Any, org: Any
) -> None:
    pool(org, role_zh="Java开发工程师")
    sheet = _sheet(
        [
            ["qa-1", "QA one", "pool", "QA engineer", "测试工程师", "sh", 2],
            ["qa-2", "QA two", "pool", "QA engineer", "质量工程师", "sh", 2],
            ["java-2", "Java two", "pool", "Java developer", "Java 程序员", "sh", 3],
        ]
    )
    from pmo.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        xlsx.import_capacity(actor=users["admin"], stream=sheet)
    fields = [e["field"] for e in refused.value.errors]
    assert fields == ["Resources!E3", "Resources!E4"]
    assert "row 2" in refused.value.errors[0]["message"]
    assert list(Role.objects.values_list("name", flat=True)) == ["Java developer"]
    assert Resource.objects.count() == 1


BEFORE = [("resources", "0016_leveling_run_heartbeat")]
AFTER = [("resources", "0017_role_catalogue")]


def _migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps if targets else None


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_one_role_of_each_spelling_with_the_first_chinese_name(
    org: Any,
) -> None:
    apps = _migrate(BEFORE)
    try:
        Old = apps.get_model("resources", "Resource")
        for code, role, zh in [
            ("a", "Java developer", ""),
            ("b", "java developer ", "Java开发工程师"),
            ("c", "JAVA DEVELOPER", "Java 程序员"),
            ("d", "Tester", ""),
        ]:
            Old.objects.create(
                code=code, name=code, kind="pool", role=role, role_zh=zh, org_unit_id=org["sh"].pk
            )
        _migrate(AFTER)
        assert dict(Role.objects.values_list("name", "name_zh")) == {
            "Java developer": "Java开发工程师",
            "Tester": "",
        }
        rows = Resource.objects.order_by("code").values_list("role", "role_zh")
        assert list(rows) == [
            ("Java developer", "Java开发工程师"),
            ("Java developer", "Java开发工程师"),
            ("Java developer", "Java开发工程师"),
            ("Tester", ""),
        ]
    finally:
        Resource.objects.all().delete()
        _migrate()
