"""Place "as late as possible" tasks the way Microsoft Project does.

Microsoft Project schedules an ALAP task as late as it can *without delaying its
successors or the project finish*: the task consumes its free slack, not its total
slack. An ALAP task followed by an ASAP task therefore stays where the ASAP task needs
it; a chain of ALAP tasks moves late together; an ALAP task without successors finishes
with the project. Its successors are never pushed, so every link still holds between
the *scheduled* dates.

Tasks are placed from the end of the network backwards (descending topological level),
each ALAP task at::

    start = max(ES, min(project finish or latest finish - d,
                        min over its links of (scheduled start of succ - offset)))

where non-ALAP tasks are scheduled at their early start. The early and late dates and
the total float are those of the critical path method; free float is measured between
scheduled dates, so an ALAP task that uses its free slack has none left and its
predecessors gain what it gave up.
"""

from __future__ import annotations

import numpy as np

from pmo.engine.cpm.network import FF, FS, SF, BoolArray, ElapsedAxis, IntArray, Network, prepare

__all__ = ["place_alap"]


def _offsets(net: Network) -> tuple[BoolArray, BoolArray, IntArray]:
    """Per link: leaves the predecessor's finish, reaches the successor's finish, offset."""
    lt, d = net.link_type, net.duration
    from_finish = (lt == FS) | (lt == FF)
    to_finish = (lt == FF) | (lt == SF)
    offset = net.lag + np.where(from_finish, d[net.pred], 0) - np.where(to_finish, d[net.succ], 0)
    return from_finish, to_finish, offset


def place_alap(
    net: Network,
    *,
    early_start: IntArray,
    latest_finish: IntArray,
    free_float: IntArray,
    project_finish: int,
    alap: BoolArray,
    axis: ElapsedAxis | None = None,
) -> tuple[IntArray, IntArray]:
    """Scheduled starts and free floats once the ALAP tasks are placed.

    Parameters
    ----------
    net : Network
        The (leaf) precedence network.
    early_start : array of int
        Early starts of the forward pass.
    latest_finish : array of int
        Per task, the project finish capped by the task's own latest finish
        (deadline, "no later than" constraint of a summary).
    free_float : array of int
        Free floats of the passes, returned unchanged when no task is ALAP.
    project_finish : int
        Late finish of the project (free float of tasks without successors).
    alap : array of bool
        Tasks to place as late as possible (not started, not summaries).
    axis : ElapsedAxis, optional
        Needed when the network has elapsed lags.

    Returns
    -------
    start, free_float : arrays of int

    Examples
    --------
    A (ALAP, 2) -> B (ALAP, 3), with C (10) in parallel: the chain moves to the end.

    >>> net = Network(duration=[2, 3, 10], pred=[0], succ=[1], link_type=[FS], lag=[0])
    >>> es, lf = np.array([0, 2, 0]), np.array([10, 10, 10])
    >>> start, free = place_alap(net, early_start=es, latest_finish=lf,
    ...                          free_float=np.zeros(3, dtype=np.int64), project_finish=10,
    ...                          alap=np.array([True, True, False]))
    >>> start.tolist(), free.tolist()
    ([5, 7, 0], [0, 0, 0])
    """
    start = early_start.astype(np.int64, copy=True)
    if not alap.any():
        return start, free_float
    d = net.duration
    from_finish, to_finish, offset = _offsets(net)
    elapsed = net.elapsed if net.elapsed is not None and axis is not None else None
    out: dict[int, list[int]] = {}
    for k in np.flatnonzero(alap[net.pred]).tolist():  # links leaving an ALAP task
        out.setdefault(int(net.pred[k]), []).append(k)
    level = prepare(net).level
    order = sorted(np.flatnonzero(alap).tolist(), key=lambda i: -int(level[i]))

    def bound(k: int) -> int:
        """Latest start of the link's predecessor that keeps its successor where it is."""
        s = int(net.succ[k])
        if elapsed is not None and elapsed[k]:
            anchor = start[s : s + 1] + (d[s] if to_finish[k] else 0)
            back = axis.unshift(anchor, net.lag[k : k + 1], from_finish[k : k + 1])  # type: ignore[union-attr]
            return int(back[0]) - (int(d[net.pred[k]]) if from_finish[k] else 0)
        return int(start[s]) - int(offset[k])

    for i in order:
        latest = int(latest_finish[i]) - int(d[i])
        for k in out.get(i, []):
            latest = min(latest, bound(k))
        start[i] = max(int(early_start[i]), latest)
    free = project_finish - (start + d)
    if net.n_links:
        slack = start[net.succ] - start[net.pred] - offset
        if elapsed is not None:
            for k in np.flatnonzero(elapsed).tolist():
                slack[k] = bound(k) - int(start[net.pred[k]])
        np.minimum.at(free, net.pred, slack)
    return start, free
