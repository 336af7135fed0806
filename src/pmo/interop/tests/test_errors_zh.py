"""Import errors read in the reader's language; sheet and column names stay as in the file."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from pmo.interop import xlsx
from pmo.interop.errors import ImportFileError


def test_a_bad_predecessor_is_named_in_chinese() -> None:
    # given a workbook whose task row 2 has a predecessor that is no UID
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Plan"
    info.append(["Start", "2026-03-02 08:00"])
    ws = wb.create_sheet("Tasks")
    ws.append(xlsx.COLUMNS)
    ws.append([1, "", 1, "A", 1, "", "x1"])
    out = io.BytesIO()
    wb.save(out)
    # when a Chinese reader imports it
    with translation.override("zh-hans"), pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(out.getvalue())
    # then the message is Chinese; the sheet and column keep the file's names
    assert err.value.message == (
        "Tasks 第 2 行 Predecessors：前置任务“x1”的格式应类似 3、3FS 或 4SS+2d"
    )
