"""The one-page XLSX writes its flags (columns G-K of 项目) as words, not TRUE/FALSE."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from pmo.portfolio.models import Project
from pmo.reports.onepage.build import build_onepage
from pmo.reports.onepage.render import render_xlsx
from pmo.reports.tests.test_onepage import history


@pytest.mark.parametrize(("language", "yes", "no"), [("en", "yes", "no"), ("zh-hans", "是", "否")])
def test_onepage_xlsx_writes_flags_as_words(users, make_project, language, yes, no):
    # given a project with a report but none for the period (so it is missing)
    make_project(code="FLG1", manager=users["pm"].person)
    history(Project.objects.get(code="FLG1"), ("2026-W45", 1, "execution", None, {}))
    page = build_onepage(users["exec"], {"scope": "all"}, period="2026-W46")
    # when the workbook is written for a reader of the language
    with translation.override(language):
        sheet = load_workbook(io.BytesIO(render_xlsx(page))).worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "FLG1")
    # then decision needed, report missing, gate overdue, dependency, change are words
    flags = [(c.value, c.data_type) for c in row[6:11]]
    assert flags == [(no, "s"), (yes, "s"), (no, "s"), (no, "s"), (no, "s")]
    assert not any(c.data_type == "b" for r in sheet.iter_rows() for c in r)
