"""Working days of resource calendars as numpy arrays (heat map, drill-down, leveling).

A resource names its working calendar by code:

- ``""`` — Monday to Friday;
- ``"CN"`` — mainland China: Monday to Friday, statutory holidays off and the adjusted
  working weekend days (调休) on, from ``chinesecalendar`` for the years it knows. Other
  years are counted Monday to Friday and reported by :func:`assumed_years`, as the
  scheduling and dependency apps do.

Days entered by the PMO (:class:`~pmo.resources.models.CalendarDay`: next year's official
holidays before the library knows them, a company day off) win over both rules; callers
load them once with :func:`load_overrides` and pass them in, so the functions here stay
free of queries. A year the library does not know stays "assumed" until the PMO states that
its official days are all entered (:class:`~pmo.resources.models.CalendarYear`, read by
:func:`load_overrides` too): a company day off alone does not make a year known.

Everything is vectorised: a calendar's days in a range are one ``np.is_busday`` call plus
the source's exception dates set in place, so a two-year range costs well under a
millisecond after the first call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import cache
from typing import TypeVar

import chinese_calendar
import numpy as np

from pmo.engine.calendars import china_calendar

__all__ = [
    "ABSENCE_DAYS",
    "DayAxis",
    "DayOverrides",
    "Overrides",
    "absence_overlaps",
    "absences",
    "assumed_years",
    "counted_days",
    "is_absence",
    "load_overrides",
    "unknown_years",
    "working",
]


K = TypeVar("K", bound=Hashable)

DayOverrides = Mapping[str, tuple[np.ndarray, np.ndarray]]
"""Per calendar code: the days off and the extra working days entered by hand."""


class Overrides(dict[str, tuple[np.ndarray, np.ndarray]]):
    """Per calendar code: the days off and the extra working days entered by hand; and in
    ``complete``, the ``(calendar, year)`` pairs whose official days the PMO marked entered
    (a plain dict of days works too: no year marked).

    From :func:`load_overrides`, ``complete`` is read on first use (one query): only when a
    range reaches a year the holiday library does not know, so the usual page pays nothing.
    """

    _complete: frozenset[tuple[str, int]] | None = frozenset()

    @property
    def complete(self) -> frozenset[tuple[str, int]]:
        if self._complete is None:
            from pmo.resources.models import CalendarYear

            self._complete = frozenset(CalendarYear.objects.values_list("calendar", "year"))
        return self._complete

    @complete.setter
    def complete(self, value: frozenset[tuple[str, int]]) -> None:
        self._complete = value


ABSENCE_DAYS = 14
"""A capacity change to 0 FTE no longer than this many calendar days is an absence (leave, a
shutdown): time off, as a holiday is, not a capacity cut (ADR 0006)."""


def is_absence(fte: object, first: dt.date, last: dt.date) -> bool:
    """Whether a capacity change of ``fte`` over ``first..last`` is an absence: the resource
    is off, so work pauses (neither capacity nor demand counts those days) instead of
    overloading it and being moved past it."""
    return float(str(fte)) == 0 and (last - first).days < ABSENCE_DAYS


def absence_overlaps(
    work: Iterable[tuple[int, K, dt.date, dt.date]],
    absences: Mapping[K, list[tuple[dt.date, dt.date]]],
) -> list[tuple[int, dt.date, dt.date]]:
    """The days work falls in its resource's absences: for each ``(key, resource id, first,
    last)`` of ``work`` and each absence of that resource (``absences[resource id]``: first and
    last day), ``(key, first, last)`` of the days they share."""
    shared = []
    for key, resource_id, first, last in work:
        for off_first, off_last in absences.get(resource_id, ()):
            lo, hi = max(first, off_first), min(last, off_last)
            if lo <= hi:
                shared.append((key, lo, hi))
    return shared


def absences(
    changes: Iterable[tuple[K, dt.date, dt.date, object]],
) -> dict[K, list[tuple[dt.date, dt.date]]]:
    """The absences among capacity changes ``(key, first, last, fte)``, by key (a resource id,
    or a layer and resource): the windows in which the key's work pauses."""
    found: dict[K, list[tuple[dt.date, dt.date]]] = {}
    for key, first, last, fte in changes:
        if is_absence(fte, first, last):
            found.setdefault(key, []).append((first, last))
    return found


def counted_days(
    rows: Sequence[tuple[str, K, dt.date, dt.date]],
    overrides: DayOverrides | None = None,
    off: Mapping[K, list[tuple[dt.date, dt.date]]] | None = None,
) -> list[int]:
    """The days each row ``(calendar code, key, first, last)`` counts: the days its calendar
    works in ``first..last``, less those in the absences of its key (``off``, from
    :func:`absences`). This is the heat map's rule for demand; the drill-down and costs use
    it, so a row costs the days the heat map charges. One mask per calendar over the rows'
    whole span and prefix sums: no loop over days.

    Examples
    --------
    >>> rows = [("", 7, dt.date(2026, 12, 10), dt.date(2026, 12, 23))]  # Thu to Wed: 10 days
    >>> counted_days(rows)
    [10]
    >>> counted_days(rows, off={7: [(dt.date(2026, 12, 14), dt.date(2026, 12, 18))]})
    [5]
    """
    if not rows:
        return []
    start = min(r[2] for r in rows)
    end = max(r[3] for r in rows)
    prefix = {
        code: np.concatenate(([0], np.cumsum(working(code, start, end, overrides))))
        for code in {r[0] for r in rows}
    }

    def days(code: str, lo: dt.date, hi: dt.date) -> int:
        sums = prefix[code]
        return int(sums[(hi - start).days + 1] - sums[(lo - start).days]) if lo <= hi else 0

    result = [days(code, first, last) for code, _key, first, last in rows]
    if off:
        shared = absence_overlaps(
            ((j, key, first, last) for j, (_c, key, first, last) in enumerate(rows)), off
        )
        for j, lo, hi in shared:
            result[j] -= days(rows[j][0], lo, hi)
    return result


def load_overrides() -> Overrides:
    """The calendar days entered by hand, by calendar (one query), and the years marked
    entered (:attr:`Overrides.complete`, one more query when first read)."""
    from pmo.resources.models import CalendarDay

    days: dict[str, tuple[list[dt.date], list[dt.date]]] = {}
    for code, day, works in CalendarDay.objects.values_list("calendar", "day", "working"):
        days.setdefault(code, ([], []))[1 if works else 0].append(day)
    result = Overrides(
        (code, (np.array(off, dtype="datetime64[D]"), np.array(on, dtype="datetime64[D]")))
        for code, (off, on) in days.items()
    )
    result._complete = None  # read when first needed
    return result


@cache
def _cn_exceptions() -> tuple[np.ndarray, np.ndarray]:
    """Weekdays off and weekend days worked in mainland China, as sorted day arrays."""
    off = sorted(d for d in chinese_calendar.holidays if d.weekday() < 5)
    on = sorted(d for d in chinese_calendar.workdays if d.weekday() >= 5)
    return np.array(off, dtype="datetime64[D]"), np.array(on, dtype="datetime64[D]")


def _days(first: dt.date, last: dt.date) -> np.ndarray:
    return np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)


def working(
    code: str, first: dt.date, last: dt.date, overrides: DayOverrides | None = None
) -> np.ndarray:
    """Whether each day of ``first..last`` (inclusive) is a working day of calendar ``code``.

    Examples
    --------
    >>> week = working("CN", dt.date(2026, 10, 5), dt.date(2026, 10, 11))  # Golden Week's end
    >>> week.astype(int).tolist()  # Mon-Wed holidays, Thu-Fri work, Saturday 10 Oct is 调休
    [0, 0, 0, 1, 1, 1, 0]
    >>> working("", dt.date(2026, 10, 5), dt.date(2026, 10, 11)).astype(int).tolist()
    [1, 1, 1, 1, 1, 0, 0]
    """
    days = _days(first, last)
    mask = np.is_busday(days)
    if code == "CN" and len(days):
        off, on = _cn_exceptions()
        mask[np.isin(days, off)] = False
        mask[np.isin(days, on)] = True
    if overrides and code in overrides and len(days):
        off, on = overrides[code]
        mask[np.isin(days, off)] = False
        mask[np.isin(days, on)] = True
    return mask


def unknown_years(first: dt.date, last: dt.date) -> tuple[int, ...]:
    """Years within ``first..last`` the mainland-China holiday library does not know."""
    return china_calendar().unknown_years(first, last)


def assumed_years(
    codes: Iterable[str],
    first: dt.date,
    last: dt.date,
    overrides: DayOverrides | None = None,
) -> tuple[int, ...]:
    """Years within ``first..last`` whose holidays are assumed: the holiday source does not
    know them yet (only calendars with a source, ``CN``, have such years) and the PMO has not
    marked their official days entered (``overrides.complete``, from
    :class:`~pmo.resources.models.CalendarYear`). Days entered by hand count in any case, but
    do not make a year known: one company day off is not the State Council's schedule.

    Examples
    --------
    >>> span = dt.date(2027, 2, 8), dt.date(2027, 2, 14)
    >>> entered = Overrides({"CN": (np.array(["2027-03-15"], "datetime64[D]"), np.array([]))})
    >>> assumed_years(["CN"], *span, entered)  # a company day off alone
    (2027,)
    >>> entered.complete = frozenset({("CN", 2027)})
    >>> assumed_years(["CN"], *span, entered)
    ()
    """
    if "CN" not in set(codes):
        return ()
    unknown = china_calendar().unknown_years(first, last)
    if not unknown:
        return ()
    complete = overrides.complete if isinstance(overrides, Overrides) else frozenset()
    return tuple(y for y in unknown if ("CN", y) not in complete)


class DayAxis:
    """The days on which at least one of ``codes`` works, numbered from ``origin``.

    Index ``i`` is the ``i``-th such day on or after ``origin`` (negative before it); past
    ``last`` the axis continues Monday to Friday. This is the leveling time axis: with one
    calendar in use it is exactly that calendar's working days; with several, a day on the
    axis may be a day off for some resources (:meth:`works`).

    Examples
    --------
    >>> axis = DayAxis(["CN"], dt.date(2026, 9, 28), dt.date(2026, 9, 28), dt.date(2026, 12, 31))
    >>> axis.date(3), axis.date(4)  # 30 Sep, then past Golden Week to Thursday 8 Oct
    (datetime.date(2026, 10, 8), datetime.date(2026, 10, 9))
    >>> axis.index(dt.date(2026, 10, 1)), axis.index(dt.date(2026, 10, 8))
    (3, 3)
    """

    def __init__(
        self,
        codes: Iterable[str],
        first: dt.date,
        origin: dt.date,
        last: dt.date,
        overrides: DayOverrides | None = None,
    ):
        self.codes = sorted(set(codes)) or [""]
        self.first, self.last = first, max(last, first)
        calendar_days = _days(self.first, self.last)
        self._masks = {c: working(c, self.first, self.last, overrides) for c in self.codes}
        union = np.logical_or.reduce([self._masks[c] for c in self.codes])
        self.days = calendar_days[union]
        self._on_axis = {c: self._masks[c][union] for c in self.codes}
        self._prefix = {
            c: np.concatenate(([0], np.cumsum(on, dtype=np.int64)))
            for c, on in self._on_axis.items()
        }
        self._offset = 0
        self._offset = self.index(origin)

    def index(self, day: dt.date | np.datetime64) -> int:
        """Number of axis days from ``origin`` up to (not including) ``day``."""
        return int(self.indexes(np.array([day], dtype="datetime64[D]"))[0])

    def indexes(self, days: np.ndarray) -> np.ndarray:
        """:meth:`index` of each day of a ``datetime64[D]`` array."""
        days = np.asarray(days, dtype="datetime64[D]")
        end = np.datetime64(self.last, "D") + 1
        result = np.searchsorted(self.days, days).astype(np.int64)
        beyond = days > end
        if beyond.any():
            result[beyond] += np.busday_count(end, days[beyond])
        return result - self._offset

    def date(self, i: int) -> dt.date:
        """The day of axis index ``i``."""
        k = i + self._offset
        if k < 0:
            raise IndexError(f"axis index {i} is before the axis start {self.first}")
        if k < len(self.days):
            return dt.date.fromisoformat(str(self.days[k]))
        beyond = np.busday_offset(
            np.datetime64(self.last, "D") + 1, k - len(self.days), roll="forward"
        )
        return dt.date.fromisoformat(str(beyond))

    def works(self, code: str, start: int, stop: int) -> np.ndarray:
        """Whether calendar ``code`` works on each axis day ``start..stop-1``."""
        result = np.ones(max(stop - start, 0), dtype=bool)
        on_axis = self._on_axis.get(code)
        if on_axis is None:
            return result
        lo, hi = start + self._offset, stop + self._offset
        if lo < 0:
            raise IndexError(f"axis index {start} is before the axis start {self.first}")
        part = on_axis[lo:hi]
        result[: len(part)] = part
        return result

    def worked(self, code: str, start: int, stop: int) -> int:
        """How many axis days ``start..stop-1`` calendar ``code`` works (past the built
        range every axis day counts: Monday to Friday)."""
        if stop <= start:
            return 0
        prefix = self._prefix.get(code)
        if prefix is None:
            return stop - start
        lo, hi = start + self._offset, stop + self._offset
        if lo < 0:
            raise IndexError(f"axis index {start} is before the axis start {self.first}")
        inside = len(self.days)
        extra = max(hi - max(lo, inside), 0)
        return int(prefix[min(hi, inside)] - prefix[min(lo, inside)]) + extra
