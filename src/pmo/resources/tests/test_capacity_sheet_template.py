"""The capacity sheet template (example and allowed values), org units by code or name, and
the import's messages in both languages."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook

from pmo.resources.models import CapacityChange, Resource
from pmo.resources.tests.factories import bearer, pool
from pmo.resources.tests.test_api import _sheet

HEADER = ["code", "name", "kind", "role", "org_unit"]


def _template(client: Any, users: Any) -> Workbook:
    client.force_login(users["admin"])
    answer = client.get("/resources/import/?template=1")
    assert answer.status_code == 200
    return load_workbook(BytesIO(answer.content))


def _upload(book: Workbook) -> BytesIO:
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "capacity.xlsx"
    return out


def _import(client: Any, users: Any, sheet: BytesIO, language: str = "en") -> Any:
    headers = {**bearer(users["admin"]), "Accept-Language": language}
    return client.post("/api/v1/capacity/import", {"file": sheet}, headers=headers)


def test_the_template_has_an_example_and_the_allowed_values(
    client: Any, users: Any, org: Any
) -> None:
    pool(org, role_zh="Java开发工程师")
    book = _template(client, users)
    assert book.sheetnames == ["Resources", "Capacity", "Example", "Allowed values"]
    resources = book["Resources"]
    assert resources.max_row == 1  # headers only: nothing to import by mistake
    assert [c.value for c in resources[1]][:5] == ["code", "name", "name_zh", "kind", "role"]
    lists = {str(v.sqref): v.formula1 for v in resources.data_validations.dataValidation}
    assert lists["D2:D2000"] == '"person,pool"'
    assert lists["M2:M2000"] == '"CN,Mon-Fri"'
    assert lists["H2:H2000"] == "'Allowed values'!$E$2:$E$6"
    values = book["Allowed values"]
    units = [tuple(c.value for c in row[4:7]) for row in values.iter_rows(min_row=2, max_row=6)]
    assert ("sh", "Shanghai R&D", "上海研发") in units and ("uk-it", "London IT", "伦敦IT") in units
    # the role catalogue, offered (not imposed: a new role joins it) in column role
    assert lists["E2:E2000"] == "'Allowed values'!$I$2:$I$2"
    assert [(c.value) for c in values[1][8:10]] == ["role", "role_zh"]
    assert [
        tuple(c.value for c in row[8:10]) for row in values.iter_rows(min_row=2, max_row=2)
    ] == [("Java developer", "Java开发工程师")]
    kinds = [row[1].value for row in values.iter_rows(min_row=2) if row[0].value == "kind"]
    assert kinds == ["person", "pool"]
    example = book["Example"]
    assert "not imported" in str(example["A1"].value)
    assert [c.value for c in example[5]][:8] == [
        "zhao-lei",
        "Zhao Lei",
        "赵磊",
        "person",
        "Architect",
        "架构师",
        "Java, Kafka",
        "uk-it",
    ]


def test_the_template_as_downloaded_imports_nothing_and_its_example_imports(
    client: Any, users: Any, org: Any
) -> None:
    book = _template(client, users)
    answer = _import(client, users, _upload(book))
    assert answer.status_code == 200, answer.json()
    counts = ("resources_created", "resources_updated", "capacity_changes")
    assert {k: answer.json()[k] for k in counts} == {
        "resources_created": 0,
        "resources_updated": 0,
        "capacity_changes": 0,
    }
    assert answer.json()["resources"] == []
    assert Resource.objects.count() == 0
    # the example rows, copied to the sheets the import reads, are a valid sheet
    example = book["Example"]
    for row in (5, 6):
        book["Resources"].append([c.value for c in example[row]])
    for row in (10, 11, 12):
        book["Capacity"].append([c.value for c in example[row]][:5])
    answer = _import(client, users, _upload(book))
    assert answer.status_code == 200, answer.json()
    assert sorted(Resource.objects.values_list("code", "org_unit__code")) == [
        ("java-sh", "uk-it"),
        ("zhao-lei", "uk-it"),
    ]
    leave = CapacityChange.objects.get(resource__code="zhao-lei", fte=0)
    year = leave.first.year
    assert (leave.first, leave.last) == (dt.date(year, 1, 12), dt.date(year, 1, 16))
    assert CapacityChange.objects.count() == 3


def test_an_org_unit_is_named_by_its_code_or_its_exact_name(
    client: Any, users: Any, org: Any
) -> None:
    rows = [
        ["a", "A", "person", "QA", "UK-IT"],
        ["b", "B", "person", "QA", "London IT"],
        ["c", "C", "person", "QA", "伦敦IT"],
    ]
    answer = _import(client, users, _sheet(rows, None, HEADER))
    assert answer.status_code == 200, answer.json()
    assert set(Resource.objects.values_list("org_unit__code", flat=True)) == {"uk-it"}


def test_an_unknown_org_unit_names_both_forms(client: Any, users: Any, org: Any) -> None:
    rows = [["a", "A", "person", "QA", "IT Department"], ["b", "B", "person", "QA", ""]]
    answer = _import(client, users, _sheet(rows, None, HEADER))
    assert answer.status_code == 422
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert errors == {
        "Resources!E2": "unknown org unit “IT Department”: enter the code of an org unit, "
        "such as “uk-it”, or its exact name, such as “London IT”",
        "Resources!E3": "org_unit is required",
    }
    assert Resource.objects.count() == 0


def test_a_name_two_org_units_share_asks_for_the_code(client: Any, users: Any, org: Any) -> None:
    from pmo.accounts.models import OrgUnit

    OrgUnit(code="sh-it", kind="team", name="IT", parent=org["sh"]).save()
    OrgUnit(code="ldn-it", kind="team", name="IT", parent=org["it"]).save()
    answer = _import(client, users, _sheet([["a", "A", "person", "QA", "IT"]], None, HEADER))
    assert answer.json()["errors"][0]["message"] == (
        "several org units are named “IT”: enter the code of one (“sh-it”, “ldn-it”)"
    )


def test_import_messages_use_house_quotes_and_punctuation(
    client: Any, users: Any, org: Any
) -> None:
    sheet = _sheet(
        [["ana", "Ana Li", "human", "QA", "sh"]],
        [["ana", dt.date(2027, 5, 8), dt.date(2027, 5, 4), 0, "leave"]],
        HEADER,
    )
    refused = _import(client, users, sheet).json()
    assert refused["detail"] == (
        "Nothing was imported: Resources!C2: unknown kind “human”: enter “person” or “pool”; "
        "Capacity!C2: before “from”"
    )
    sheet.seek(0)
    chinese = _import(client, users, sheet, "zh-hans").json()["detail"]
    assert chinese.startswith("未导入任何内容：Resources!C2：")
    assert "；Capacity!C2：" in chinese
    assert "; Capacity" not in chinese and "Resources!C2: " not in chinese


def test_the_import_page_lists_the_problems_and_says_how_many(
    client: Any, users: Any, org: Any
) -> None:
    client.force_login(users["admin"])
    rows = [["a", "A", "human", "QA", "sh"], ["b", "B", "pool", "QA", "nowhere"]]
    page = client.post("/resources/import/", {"file": _sheet(rows, None, HEADER)})
    html = page.content.decode()
    assert "Nothing was imported: 2 problems, listed below." in html
    table = html.split('data-testid="import-errors"')[1].split("</table>")[0]
    assert "<td>Resources!C2</td>" in table and "<td>Resources!E3</td>" in table
    # the flash does not repeat the table
    flash = html.split('class="flash error"')[1].split("</div>")[0]
    assert "Resources!C2" not in flash
    assert "<code>docs/xlsx-capacity-template.md</code>" in html


def _applied(client: Any, sheet: Any) -> Any:
    """The page after the upload's preview was applied."""
    preview = client.post("/resources/import/", {"file": sheet}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', preview)
    assert token is not None, preview
    return client.post("/resources/import/", {"token": token[1], "action": "apply"}, follow=True)


def test_the_import_success_message_counts_in_the_singular(
    client: Any, users: Any, org: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PMO_CAPACITY_IMPORT_DIR = str(tmp_path)
    client.force_login(users["admin"])
    sheet = _sheet([["a", "A", "person", "QA", "sh"]], None, HEADER)
    answer = _applied(client, sheet)
    assert "Imported: 1 resource created, 0 updated, 0 capacity changes." in (
        answer.content.decode()
    )
    sheet = _sheet(
        [["a", "A", "person", "QA", "sh"], ["b", "B", "person", "QA", "sh"]],
        [["a", dt.date(2027, 5, 4), dt.date(2027, 5, 8), 0, "leave"]],
        HEADER,
    )
    answer = _applied(client, sheet)
    assert "Imported: 1 resource created, 1 updated, 1 capacity change." in (
        answer.content.decode()
    )
