"""Links whose offset is not a constant: elapsed lags and links between calendars.

The passes handle most links as ``ES[succ] >= ES[pred] + offset``. Two kinds
need the calendars instead, and go through the small vectorised functions
here (only those links of a level, so the common case stays integer
arithmetic):

- an elapsed lag (calendar time) on a one-calendar network
  (:class:`ElapsedLinks`, through an :class:`ElapsedAxis`);
- on a network with per-task calendars (:class:`CalendarLinks`, through
  :class:`TaskCalendars`), every link whose predecessor, successor and lag
  are not all on one calendar, and every elapsed lag.

A calendar link is evaluated on the common clock: the predecessor's anchor
(its finish for FS/FF, read as the end of the previous working period; its
start for SS/SF, read as the start of the next) becomes a minute; the lag is
added (elapsed: plain minutes; otherwise working minutes of the lag's
calendar, Microsoft Project's rule being the successor's task calendar, else
the project calendar); the minute becomes the successor's start (SS/FS: the
first working minute at or after it on the successor's calendar) or finish
(FF/SF). Every step is monotone, so the backward pass inverts it exactly:
the latest predecessor start whose forward bound still fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pmo.engine.cpm.network import (
    FF,
    FS,
    SF,
    BoolArray,
    ElapsedAxis,
    IntArray,
    Network,
    TaskCalendars,
)

__all__ = ["CalendarLinks", "ElapsedLinks", "LinkTerms", "SpecialLinks"]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class LinkTerms:
    """Per-link terms: which ends are anchored and the start-to-start offset."""

    from_finish: BoolArray
    to_finish: BoolArray
    offset: IntArray

    @staticmethod
    def of(net: Network) -> LinkTerms:
        """Terms of every link of ``net``."""
        lt = net.link_type
        from_finish = (lt == FS) | (lt == FF)
        to_finish = (lt == FF) | (lt == SF)
        d = net.duration
        offset = net.lag + np.where(from_finish, d[net.pred], 0)
        offset -= np.where(to_finish, d[net.succ], 0)
        return LinkTerms(from_finish=from_finish, to_finish=to_finish, offset=offset)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SpecialLinks:
    """Links the passes must not treat as a constant offset (``mask``)."""

    net: Network
    terms: LinkTerms
    mask: BoolArray

    def forward(self, sel: IntArray, pred_start: IntArray) -> IntArray:
        """Earliest successor starts of links ``sel`` (``pred_start`` aligned)."""
        raise NotImplementedError

    def backward(self, sel: IntArray, succ_start: IntArray) -> IntArray:
        """Latest predecessor starts of links ``sel`` (``succ_start`` aligned)."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ElapsedLinks(SpecialLinks):
    """Elapsed lags on a one-calendar network (engine decision 4)."""

    axis: ElapsedAxis

    def forward(self, sel: IntArray, pred_start: IntArray) -> IntArray:
        net, lk = self.net, self.terms
        d, p, s = net.duration, net.pred[sel], net.succ[sel]
        ff = lk.from_finish[sel]
        target = self.axis.shift(pred_start + np.where(ff, d[p], 0), net.lag[sel], ff)
        return target - np.where(lk.to_finish[sel], d[s], 0)

    def backward(self, sel: IntArray, succ_start: IntArray) -> IntArray:
        net, lk = self.net, self.terms
        d, p, s = net.duration, net.pred[sel], net.succ[sel]
        ff = lk.from_finish[sel]
        bound = succ_start + np.where(lk.to_finish[sel], d[s], 0)
        return self.axis.unshift(bound, net.lag[sel], ff) - np.where(ff, d[p], 0)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class CalendarLinks(SpecialLinks):
    """Links between tasks on different calendars, or with lags on another calendar."""

    cals: TaskCalendars
    task_cal: IntArray
    lag_cal: IntArray
    elapsed: BoolArray

    @staticmethod
    def of(net: Network, terms: LinkTerms, cals: TaskCalendars) -> CalendarLinks:
        """The calendar links of ``net`` (tasks without a calendar are on calendar 0)."""
        n, m = net.n_tasks, net.n_links
        task_cal = net.calendar if net.calendar is not None else np.zeros(n, dtype=np.int64)
        lag_cal = net.lag_calendar if net.lag_calendar is not None else np.zeros(m, dtype=np.int64)
        elapsed = net.elapsed if net.elapsed is not None else np.zeros(m, dtype=np.bool_)
        cp, cs = task_cal[net.pred], task_cal[net.succ]
        mask = (cp != cs) | elapsed | ((net.lag != 0) & (lag_cal != cs))
        return CalendarLinks(
            net=net,
            terms=terms,
            mask=mask,
            cals=cals,
            task_cal=task_cal,
            lag_cal=lag_cal,
            elapsed=elapsed,
        )

    def forward(self, sel: IntArray, pred_start: IntArray) -> IntArray:
        net, lk, cals = self.net, self.terms, self.cals
        d, p, s = net.duration, net.pred[sel], net.succ[sel]
        a = lk.from_finish[sel]
        y = cals.minute_of(self.task_cal[p], pred_start + np.where(a, d[p], 0), a)
        lag, el = net.lag[sel], self.elapsed[sel]
        y = np.where(el, y + lag, y)
        work = np.flatnonzero(~el & (lag != 0))
        if work.size:
            lw, cw = lag[work], self.lag_cal[sel[work]]
            # a lag ends at the end of its last working minute; a lead at a start
            y[work] = cals.minute_of(cw, cals.work_before(cw, y[work]) + lw, lw > 0)
        return cals.work_before(self.task_cal[s], y) - np.where(lk.to_finish[sel], d[s], 0)

    def backward(self, sel: IntArray, succ_start: IntArray) -> IntArray:
        net, lk, cals = self.net, self.terms, self.cals
        d, p, s = net.duration, net.pred[sel], net.succ[sel]
        a = lk.from_finish[sel]
        bound = succ_start + np.where(lk.to_finish[sel], d[s], 0)
        # the latest minute y with work_before(succ, y) <= bound is bound's start minute
        z = cals.minute_of(self.task_cal[s], bound, False)
        lag, el = net.lag[sel], self.elapsed[sel]
        y = np.where(el, z - lag, z)
        work = np.flatnonzero(~el & (lag != 0))
        if work.size:
            lw, cw, zw = lag[work], self.lag_cal[sel[work]], z[work]
            # invert the lag: the latest y whose lagged minute is still <= z
            k = np.where(
                lw > 0,
                cals.work_before(cw, zw) - lw,
                cals.work_before(cw, zw + 1) - 1 - lw,
            )
            y[work] = cals.minute_of(cw, k, False)
        cp = self.task_cal[p]
        return np.where(a, cals.work_before(cp, y) - d[p], cals.work_before(cp, y + 1) - 1)
