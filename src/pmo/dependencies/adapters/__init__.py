"""Database rows <-> the impact engine. The only package of the app that imports the engine.

Every open task, milestone, gate and project finish of the portfolio becomes a node dated in
working days of its project's calendar (``WorkDays``: the plan calendar when the project has a
plan, else the mainland-China calendar for projects under a China region, else Monday to
Friday); edges carry the slack a delay must use up before the successor moves, counted in the
successor's calendar:

- schedule links of a plan (FS/SS/FF; summary tasks are left out): the room between the
  predecessor's date and the successor's, less the lag;
- a plan task and the status-center milestone it drives: no slack;
- in a project with a plan, gates, unlinked milestones and the project finish follow every
  end task and milestone task finishing on or before them, with the room between the dates;
- a project without a plan: its milestones, gates and finish follow each other in date
  order with no slack (nothing tells us their float, so a slip moves what comes after);
- cross-project dependencies (each side a task, milestone or gate): from the supplier's
  finish (start for SS) to the consumer's start, less the lag.

Items of a closed or cancelled project stay nodes (their dates are read, a critical chain may
start at one) but no edge leads into them: they never move, so nothing moves through them
(ADR 0005, "Ended projects and change requests"); a slip of one is refused.

``calendars`` counts working days, ``network`` loads the items and edges, ``analysis`` reads
what a slip does, ``margins`` each dependency's dates and the room between them (a link's
slack as the network counts it, shown in the register); every name is imported here
(``from pmo.dependencies import adapters``).
"""

from pmo.dependencies.adapters.analysis import (
    analyse,
    breached_dependencies,
    critical_chain,
    pushed_across,
)
from pmo.dependencies.adapters.calendars import (
    CALENDAR_YEARS_AHEAD,
    CALENDAR_YEARS_BACK,
    WorkDays,
    add_workdays,
    workdays_between,
)
from pmo.dependencies.adapters.margins import (
    MARGIN_RELATED,
    DependencyDates,
    MarginTo,
    dependency_dates,
)
from pmo.dependencies.adapters.network import (
    Item,
    NetworkCycleError,
    PortfolioNetwork,
    load_network,
    source_key,
)

__all__ = [
    "CALENDAR_YEARS_AHEAD",
    "CALENDAR_YEARS_BACK",
    "MARGIN_RELATED",
    "DependencyDates",
    "Item",
    "MarginTo",
    "NetworkCycleError",
    "PortfolioNetwork",
    "WorkDays",
    "add_workdays",
    "analyse",
    "breached_dependencies",
    "critical_chain",
    "dependency_dates",
    "load_network",
    "pushed_across",
    "source_key",
    "workdays_between",
]
