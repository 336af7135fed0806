"""An empty Duration cell is refused at its cell: it used to make the task a milestone.

openpyxl reads a formula whose value was never saved, and the lower cells of a merged
range, as empty; only a 0 typed in or Milestone ``yes`` makes a milestone.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook

from pmo.interop import xlsx
from pmo.interop.errors import ImportFileError

EMPTY = (
    "Tasks row 3 Duration (days): empty — a formula needs its value saved (open and save the "
    "file in Excel)"
)


def _book(rows: list[list[Any]], merge: str = "") -> bytes:
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Plan"
    info.append(["Start", "2026-03-02 08:00"])
    ws = wb.create_sheet("Tasks")
    ws.append(xlsx.COLUMNS)  # UID, WBS, Outline level, Name, Duration (days), Milestone, ...
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)  # openpyxl saves formulas without their values, as a script would
    return out.getvalue()


@pytest.mark.parametrize(
    ("second", "merge"),
    [
        ([2, "", 1, "Build", None], ""),
        ([2, "", 1, "Build", ""], ""),
        ([2, "", 1, "Build", "=E2*2"], ""),  # a formula without a saved value
        ([2, "", 1, "Build", 3], "E2:E3"),  # the lower cell of a merged one
    ],
)
def test_an_empty_duration_is_refused_at_its_cell(second: list[Any], merge: str) -> None:
    rows = [[1, "", 1, "Design", 3], second]
    with translation.override("en"), pytest.raises(ImportFileError) as refused:
        xlsx.read_xlsx(_book(rows, merge))
    assert refused.value.message == EMPTY


def test_a_milestone_is_a_typed_zero_or_a_yes() -> None:
    rows = [
        [1, "", 1, "Design", 3],
        [2, "", 1, "Typed zero", 0, "", "1"],
        [3, "", 1, "Flagged", None, "yes", "2"],
        [4, "", 1, "Build", 2, "", "3"],
    ]
    data = xlsx.read_xlsx(_book(rows))
    assert [(t.uid, t.duration, t.milestone) for t in data.tasks] == [
        (1, 1440, False),
        (2, 0, True),
        (3, 0, True),
        (4, 960, False),
    ]


def test_a_summary_row_may_leave_its_duration_empty() -> None:
    rows = [[1, "1", 1, "Phase", None], [2, "1.1", 2, "Design", 3], [3, "1.2", 2, "Build", 2]]
    data = xlsx.read_xlsx(_book(rows))
    assert [(t.uid, t.milestone) for t in data.tasks] == [(1, False), (2, False), (3, False)]


def test_an_empty_duration_is_placed_in_the_readers_words() -> None:
    # the message itself is translated in the catalogue; the place is in the reader's words
    with translation.override("zh-hans"), pytest.raises(ImportFileError) as refused:
        xlsx.read_xlsx(_book([[1, "", 1, "Design", 3], [2, "", 1, "Build", None]]))
    assert refused.value.message.startswith("Tasks 第 3 行 Duration (days)")
