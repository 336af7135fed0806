"""Work counted twice: a project's plan (schedule demand) and a hand-entered allocation of the
same resource on the same days. Both count as demand (nothing is dropped silently); the pages
and the API flag them (ADR 0006, numbers audit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from typing import TypeVar

from pmo.resources.models import AllocationSource

__all__ = ["counted_twice"]

K = TypeVar("K", bound=Hashable)


def counted_twice(
    rows: Iterable[tuple[K, int, int, str, dt.date, dt.date]],
) -> set[K]:
    """The keys of the rows ``(key, project id, resource id, source, first, last)`` whose
    project has both a schedule row and a hand-entered (manual) row of the same resource on
    some of the same days: each such row, of either source. No queries.

    Examples
    --------
    >>> d = dt.date
    >>> sorted(counted_twice([
    ...     ("plan", 1, 5, "schedule", d(2026, 12, 28), d(2027, 1, 8)),
    ...     ("hand", 1, 5, "manual", d(2026, 12, 28), d(2027, 1, 8)),
    ...     ("other pool", 1, 6, "manual", d(2026, 12, 28), d(2027, 1, 8)),
    ...     ("later", 1, 5, "manual", d(2027, 1, 11), d(2027, 1, 15)),
    ... ]))
    ['hand', 'plan']
    """
    groups: dict[tuple[int, int], tuple[list[tuple[K, dt.date, dt.date]], ...]] = {}
    for key, project, resource, source, first, last in rows:
        pair = groups.setdefault((project, resource), ([], []))
        pair[0 if source == AllocationSource.SCHEDULE else 1].append((key, first, last))
    found: set[K] = set()
    for planned, by_hand in groups.values():
        for p_key, p_first, p_last in planned:
            for m_key, m_first, m_last in by_hand:
                if p_first <= m_last and m_first <= p_last:
                    found.update((p_key, m_key))
    return found
