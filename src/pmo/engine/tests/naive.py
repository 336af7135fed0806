"""A naive reference CPM for tests: relax every link until nothing changes."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NaiveResult", "naive_cpm"]

_FROM_FINISH = {0: True, 1: False, 2: True, 3: False}  # FS, SS, FF, SF
_TO_FINISH = {0: False, 1: False, 2: True, 3: True}


@dataclass(frozen=True, slots=True, kw_only=True)
class NaiveResult:
    """Early/late starts, total and free float as plain lists."""

    es: list[int]
    ls: list[int]
    tf: list[int]
    ff: list[int]
    finish: int


def naive_cpm(
    duration: list[int],
    links: list[tuple[int, int, int, int]],
    *,
    floor: list[int] | None = None,
    fixed: list[int | None] | None = None,
    cap: list[int | None] | None = None,
) -> NaiveResult:
    """Longest paths by repeated relaxation (Bellman-Ford style), no ordering needed.

    ``links`` are ``(pred, succ, type, lag)`` with type 0..3 = FS, SS, FF, SF.
    """
    n = len(duration)
    fixed = fixed or [None] * n
    cap = cap or [None] * n

    def offset(p: int, s: int, t: int, lag: int) -> int:
        return lag + (duration[p] if _FROM_FINISH[t] else 0) - (duration[s] if _TO_FINISH[t] else 0)

    es = [max(0, (floor or [0] * n)[i]) for i in range(n)]
    for i in range(n):
        f = fixed[i]
        if f is not None:
            es[i] = f
    for _ in range(n + 1):
        changed = False
        for p, s, t, lag in links:
            if fixed[s] is None and es[p] + offset(p, s, t, lag) > es[s]:
                es[s] = es[p] + offset(p, s, t, lag)
                changed = True
        if not changed:
            break
    finish = max((es[i] + duration[i] for i in range(n)), default=0)
    lf = [finish if c is None else min(finish, c) for c in cap]
    ls = [lf[i] - duration[i] for i in range(n)]
    for _ in range(n + 1):
        changed = False
        for p, s, t, lag in links:
            if ls[s] - offset(p, s, t, lag) < ls[p]:
                ls[p] = ls[s] - offset(p, s, t, lag)
                changed = True
        if not changed:
            break
    ff = [finish - es[i] - duration[i] for i in range(n)]
    for p, s, t, lag in links:
        ff[p] = min(ff[p], es[s] - es[p] - offset(p, s, t, lag))
    return NaiveResult(es=es, ls=ls, tf=[ls[i] - es[i] for i in range(n)], ff=ff, finish=finish)
