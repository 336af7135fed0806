"""Read the cells of an XLSX plan: dates, numbers, working hours, links and row records.

Every error names the sheet, the row and the column in the reader's words
(``Tasks row 7 Duration (days): ...``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from pmo.core.dates import date_out_of_range
from pmo.interop.errors import ImportFileError
from pmo.interop.xlsx_layout import DAY, EXCEPTIONS
from pmo.scheduling.planio import BaselineData, ExceptionData, Hours, LinkData

__all__ = [
    "OFF_WORDS",
    "in_range",
    "parse_day",
    "parse_hours",
    "parse_links",
    "parse_number",
    "parse_when",
    "read_baseline",
    "read_exceptions",
    "records",
    "row_label",
]

_PRED = re.compile(r"(\d+)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(\d+(?:\.\d+)?)\s*([dh]))?", re.I)
_SPAN = re.compile(r"(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})")
OFF_WORDS = ("", "off", "-", "—", "休", "休息")


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
                % {"where": where, "value": repr(part.strip())}
            )
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        first, last = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or last > 24 * 60 or first >= last:
            raise ImportFileError(
                _("%(where)s: %(value)s is not a time span within one day")
                % {"where": where, "value": repr(part.strip())}
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
            % {"where": where, "value": repr(value)}
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
            % {"where": where, "value": repr(value)}
        ) from None


def parse_number(value: Any, where: str, default: float = 0) -> float:
    """A finite number cell; empty: ``default``."""
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ImportFileError(
            _("%(where)s: %(value)s is not a number") % {"where": where, "value": repr(value)}
        ) from None
    if not math.isfinite(number):  # "nan", "inf", "1e400"
        raise ImportFileError(
            _("%(where)s: %(value)s is not a finite number")
            % {"where": where, "value": repr(value)}
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
                % {"where": where, "value": repr(part)}
            )
        uid, kind, sign, amount, unit = m.groups()
        lag = 0
        if amount:
            lag = round(float(amount) * (DAY if unit.lower() == "d" else 60))
            lag = -lag if sign == "-" else lag
        out.append(LinkData(pred_uid=int(uid), type=(kind or "FS").upper(), lag=lag))
    return out


def records(
    header: list[str], rows: list[tuple[Any, ...]]
) -> Iterator[tuple[int, Callable[[str], Any]]]:
    """Row number and a getter by column name, for each row below the header that has a value."""
    col = {name: k for k, name in enumerate(header)}
    for n, raw in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in raw):
            continue

        def get(name: str, raw: tuple[Any, ...] = raw) -> Any:
            k = col.get(name)
            return raw[k] if k is not None and k < len(raw) else None

        yield n, get


def read_baseline(get: Callable[[str], Any], where: str) -> list[BaselineData]:
    """Baseline 0 from the exported baseline columns, when a date is filled in."""
    start = parse_when(get("Baseline start"), f"{where} Baseline start")
    finish = parse_when(get("Baseline finish"), f"{where} Baseline finish")
    if start is None and finish is None:
        return []
    days = parse_number(get("Baseline duration (days)"), f"{where} Baseline duration (days)")
    if days < 0:
        raise ImportFileError(
            _("%(where)s: must be >= 0") % {"where": f"{where} Baseline duration (days)"}
        )
    return [BaselineData(number=0, start=start, finish=finish, duration=round(days * DAY))]


def read_exceptions(wb: Any) -> list[ExceptionData]:
    rows = list(wb[EXCEPTIONS].iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    if "From" not in header:
        raise ImportFileError(
            _("%(where)s: missing column %(column)s")
            % {"where": row_label(EXCEPTIONS, 1), "column": "From"}
        )
    out = []
    for n, get in records(header, rows):
        where = row_label(EXCEPTIONS, n)
        first = parse_day(get("From"), f"{where} From")
        last = parse_day(get("To"), f"{where} To") if get("To") not in (None, "") else first
        if last < first:
            raise ImportFileError(
                _("%(where)s: %(last)s is before From %(first)s")
                % {"where": f"{where} To", "last": last, "first": first}
            )
        out.append(
            ExceptionData(
                first=first,
                last=last,
                hours=parse_hours(get("Working hours"), f"{where} Working hours"),
                name=str(get("Name") or "").strip()[:200],
            )
        )
    return out
