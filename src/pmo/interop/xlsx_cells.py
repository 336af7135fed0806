"""Read the cells of an XLSX plan: dates, numbers, working hours, links and row records.

Every error names the sheet, the row and the column in the reader's words
(``Tasks row 7 Duration (days): ...``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.utils import get_column_letter

from pmo.core.dates import date_out_of_range
from pmo.core.sentences import quoted
from pmo.interop.errors import ImportFileError
from pmo.interop.xlsx_layout import (
    DAY,
    EXCEPTION_COLUMNS,
    NO,
    OFF,
    RESOURCE,
    YES,
    ZH,
    key_of,
    name_in,
    normal,
)
from pmo.scheduling.planio import BaselineData, ExceptionData, Hours, LinkData

__all__ = [
    "OFF_WORDS",
    "Getter",
    "Header",
    "in_range",
    "parse_day",
    "parse_flag",
    "parse_hours",
    "parse_links",
    "parse_number",
    "parse_when",
    "read_baseline",
    "read_exceptions",
    "read_header",
    "records",
    "row_label",
]

_PRED = re.compile(r"(\d+)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(\d+(?:\.\d+)?)\s*([dh]))?", re.I)
_SPAN = re.compile(r"(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})")
OFF_WORDS = ("", OFF, "-", "—", ZH[OFF], "休息")
_YES = {normal(w) for w in (YES, ZH[YES], "y", "true", "1", "x", "✓", "√", "对")}
_NO = {normal(w) for w in ("", NO, ZH[NO], "n", "false", "0", "-", "—", "×", "不是")}
Getter = Callable[[str], Any]


def row_label(sheet: str, number: int) -> str:
    """Where an error is: the sheet's name as in the file, the row in the reader's words."""
    return _("%(sheet)s row %(row)s") % {"sheet": sheet, "row": number}


def parse_hours(value: Any, where: str) -> Hours:
    """Working hours as :func:`~pmo.interop.xlsx_write.hours_text` writes them.

    ``off`` (or empty, ``休``, ...) means no work.
    """
    text = str(value or "").strip()
    if text.lower() in OFF_WORDS:
        return []
    spans: Hours = []
    for part in re.split(r"[,;，；]", text):
        m = _SPAN.fullmatch(part.strip())
        if m is None:
            raise ImportFileError(
                _("%(where)s: %(value)s is not a time span like 09:00-12:00 (or write off)")
                % {"where": where, "value": quoted(part.strip())}
            )
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        first, last = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or last > 24 * 60 or first >= last:
            raise ImportFileError(
                _("%(where)s: %(value)s is not a time span within one day")
                % {"where": where, "value": quoted(part.strip())}
            )
        if spans and first < spans[-1][1]:
            raise ImportFileError(
                _("%(where)s: spans must be in order and must not overlap") % {"where": where}
            )
        spans.append((first, last))
    return spans


_D = TypeVar("_D", dt.date, dt.datetime)


def in_range(value: _D, where: str) -> _D:
    """``value`` if the product accepts the date (:mod:`pmo.core.dates`), else the file's error."""
    problem = date_out_of_range(value)
    if problem:
        raise ImportFileError(f"{where}: {problem}")
    return value


def parse_day(value: Any, where: str) -> dt.date:
    """A date cell (a date, a date and time, or ``YYYY-MM-DD`` text)."""
    if isinstance(value, dt.datetime):
        return in_range(value.date(), where)
    if isinstance(value, dt.date):
        return in_range(value, where)
    try:
        return in_range(dt.date.fromisoformat(str(value or "").strip()), where)
    except ValueError:
        raise ImportFileError(
            _("%(where)s: %(value)s is not a date (YYYY-MM-DD)")
            % {"where": where, "value": quoted(value)}
        ) from None


def parse_when(value: Any, where: str) -> dt.datetime | None:
    """A date and time cell (a date alone is 08:00); empty: None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return in_range(value.replace(second=0, microsecond=0), where)
    if isinstance(value, dt.date):
        return in_range(dt.datetime.combine(value, dt.time(8)), where)
    try:
        return in_range(dt.datetime.fromisoformat(str(value).strip()), where)
    except ValueError:
        raise ImportFileError(
            _("%(where)s: %(value)s is not a date (YYYY-MM-DD HH:MM)")
            % {"where": where, "value": quoted(value)}
        ) from None


def parse_number(value: Any, where: str, default: float = 0) -> float:
    """A finite number cell; empty: ``default``."""
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ImportFileError(
            _("%(where)s: %(value)s is not a number") % {"where": where, "value": quoted(value)}
        ) from None
    if not math.isfinite(number):  # "nan", "inf", "1e400"
        raise ImportFileError(
            _("%(where)s: %(value)s is not a finite number")
            % {"where": where, "value": quoted(value)}
        )
    return number


def parse_links(text: Any, where: str) -> list[LinkData]:
    """Predecessors written ``3; 3FS; 4SS+2d; 5FF-4h`` (``,`` also separates)."""
    out = []
    for part in str(text or "").replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        m = _PRED.fullmatch(part)
        if m is None:
            raise ImportFileError(
                _("%(where)s: predecessor %(value)s is not like 3, 3FS or 4SS+2d")
                % {"where": where, "value": quoted(part)}
            )
        uid, kind, sign, amount, unit = m.groups()
        lag = 0
        if amount:
            lag = round(float(amount) * (DAY if unit.lower() == "d" else 60))
            lag = -lag if sign == "-" else lag
        out.append(LinkData(pred_uid=int(uid), type=(kind or "FS").upper(), lag=lag))
    return out


@dataclass(frozen=True)
class Header:
    """Row 1 of a sheet: each column's key (``None``: not the template's) and its text."""

    sheet: str
    keys: list[str | None]
    texts: dict[str, str]

    def where(self, number: int, key: str) -> str:
        """A cell as the file names it (``Tasks row 7 Duration (days)``).

        Sheet and column as in the file, the row in the reader's words: ``任务 第 7 行 工期（天）``.
        """
        return f"{row_label(self.sheet, number)} {self.texts.get(key, key)}"


def read_header(
    sheet: str, row: tuple[Any, ...], known: list[str], required: list[str], chinese: bool
) -> Header:
    """Row 1 read in either language; a required column missing is named with the unknown ones.

    Missing columns are named in the language of the file (``chinese``); headers not
    recognised are named by their cell (``E1 “Dauer”``), so a misspelt column is found.
    Other unknown columns are notes of the reader's and ignored.
    """
    keys: list[str | None] = []
    texts: dict[str, str] = {}
    for value in row:
        key = key_of(value, known) if value not in (None, "") else None
        if key is not None and key in texts:
            key = None  # a second column of the same name is not read
        keys.append(key)
        if key is not None:
            texts[key] = str(value).strip()
    missing = [name_in(k, chinese) for k in required if k not in texts]
    if not missing:
        return Header(sheet=sheet, keys=keys, texts=texts)
    columns = pgettext("list separator", ", ").join(missing)
    unknown = [
        f"{get_column_letter(k + 1)}1 {quoted(str(value).strip())}"
        for k, value in enumerate(row)
        if keys[k] is None and value not in (None, "") and str(value).strip()
    ]
    if unknown:
        raise ImportFileError(
            _("%(where)s: missing column(s) %(columns)s (headers not recognised: %(headers)s)")
            % {
                "where": row_label(sheet, 1),
                "columns": columns,
                "headers": pgettext("list separator", ", ").join(unknown),
            }
        )
    raise ImportFileError(
        _("%(where)s: missing column(s) %(columns)s")
        % {"where": row_label(sheet, 1), "columns": columns}
    )


def records(header: Header, rows: list[tuple[Any, ...]]) -> Iterator[tuple[int, Getter]]:
    """Row number and a getter by column key, for each row below the header that has a value."""
    col = {key: k for k, key in enumerate(header.keys) if key is not None}
    filled = [
        (n, raw) for n, raw in enumerate(rows[1:], start=2) if any(v not in (None, "") for v in raw)
    ]
    getters: list[tuple[int, Getter]] = []
    for n, raw in filled:

        def get(name: str, raw: tuple[Any, ...] = raw) -> Any:
            k = col.get(name)
            return raw[k] if k is not None and k < len(raw) else None

        getters.append((n, get))
    for k, (n, getter) in enumerate(getters):
        if _DURATION in col:
            _check_duration(header, n, getter, getters[k + 1] if k + 1 < len(getters) else None)
        yield n, getter


_DURATION = "Duration (days)"


def _check_duration(
    header: Header, n: int, get: Getter, following: tuple[int, Getter] | None
) -> None:
    """An empty duration is refused unless the row is a summary or says Milestone yes.

    Empty is not 0: a formula whose value was never saved (openpyxl reads it as empty), or
    the lower cells of a merged one, would otherwise make a task a milestone. A milestone is
    a 0 typed in, or ``yes`` in column Milestone; a summary's duration is not read at all.
    """
    if get(_DURATION) not in (None, "") or (
        "Milestone" in header.texts and parse_flag(get("Milestone"), header.where(n, "Milestone"))
    ):
        return
    if following is not None and "Outline level" in header.texts:
        level = parse_number(get("Outline level"), header.where(n, "Outline level"), 1)
        m, next_get = following
        below = parse_number(next_get("Outline level"), header.where(m, "Outline level"), 1)
        if below > level:
            return
    raise ImportFileError(
        _("%(where)s: empty — a formula needs its value saved (open and save the file in Excel)")
        % {"where": header.where(n, _DURATION)}
    )


def parse_flag(value: Any, where: str) -> bool:
    """A yes/no cell in either language: 是/否, yes/no, y/n, true/false, 1/0, x, ✓; empty: no."""
    if isinstance(value, bool | int | float) and value in (0, 1):  # Excel's TRUE/FALSE, 1/0
        return bool(value)
    text = normal(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ImportFileError(
        _("%(where)s: %(value)s is neither yes nor no") % {"where": where, "value": quoted(value)}
    )


def read_baseline(get: Getter, header: Header, n: int) -> list[BaselineData]:
    """Baseline 0 from the exported baseline columns, when a date is filled in."""
    start = parse_when(get("Baseline start"), header.where(n, "Baseline start"))
    finish = parse_when(get("Baseline finish"), header.where(n, "Baseline finish"))
    if start is None and finish is None:
        return []
    where = header.where(n, "Baseline duration (days)")
    days = parse_number(get("Baseline duration (days)"), where)
    if days < 0:
        raise ImportFileError(_("%(where)s: must be >= 0") % {"where": where})
    return [BaselineData(number=0, start=start, finish=finish, duration=round(days * DAY))]


def read_exceptions(
    ws: Any, sheet: str, chinese: bool
) -> tuple[list[ExceptionData], list[tuple[str, str, ExceptionData]]]:
    """The days off and days worked of sheet ``Calendar exceptions`` (``日历例外``).

    The plan's, and those whose column ``Resource`` names a resource: (the name as written,
    its cell for an error, the day or days).
    """
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        return [], []
    header = read_header(sheet, rows[0], [*EXCEPTION_COLUMNS, RESOURCE], ["From"], chinese)
    out = []
    owned = []
    for n, get in records(header, rows):
        first = parse_day(get("From"), header.where(n, "From"))
        last = parse_day(get("To"), header.where(n, "To")) if get("To") not in (None, "") else first
        if last < first:
            raise ImportFileError(
                _("%(where)s: %(last)s is before %(column)s %(first)s")
                % {
                    "where": header.where(n, "To"),
                    "last": last,
                    "column": header.texts["From"],
                    "first": first,
                }
            )
        day = ExceptionData(
            first=first,
            last=last,
            hours=parse_hours(get("Working hours"), header.where(n, "Working hours")),
            name=str(get("Name") or "").strip()[:200],
        )
        owner = " ".join(str(get(RESOURCE) or "").split())
        if owner:
            owned.append((owner, header.where(n, RESOURCE), day))
        else:
            out.append(day)
    return out, owned
