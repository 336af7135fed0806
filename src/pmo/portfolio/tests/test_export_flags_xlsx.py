"""The status-center XLSX writes flags as the words the CSV uses, in the reader's language."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from pmo.portfolio import selectors
from pmo.portfolio.exports import workbook_bytes
from pmo.portfolio.extensions import registry


@pytest.mark.parametrize(("language", "yes", "no"), [("en", "yes", "no"), ("zh-hans", "是", "否")])
def test_xlsx_export_writes_flags_as_words(users, make_project, language, yes, no):
    # given a project with no decision pending and no report (so its report is missing)
    make_project(code="FLG1")
    qs = selectors.status_center(users["exec"], {}).filter(code="FLG1")
    # when the XLSX is written for a reader of the language
    with translation.override(language):
        data = workbook_bytes(qs, {})
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=2))
    # then decision needed and report missing are words, not TRUE/FALSE
    last = sheet.max_column - len(registry.export_columns)
    flags = rows[0][last - 2 : last]
    assert [(c.value, c.data_type) for c in flags] == [(no, "s"), (yes, "s")]
    assert not any(c.data_type == "b" for row in rows for c in row)
