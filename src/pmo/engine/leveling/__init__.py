"""Resource leveling: resource-constrained scheduling of one project or a portfolio.

Build a :class:`Problem` from :class:`Resource`, :class:`Activity`,
:class:`Precedence` and :class:`Project`, then call :func:`solve`. The
``heuristic`` back-end (schedule generation schemes, priority rules,
justification) is fast; the ``cpsat`` back-end (OR-Tools CP-SAT, warm-started
by the heuristic) is exact given time and returns the best schedule, bound
and status within a time limit.
"""

from pmo.engine.leveling.check import InvalidScheduleError, check_schedule, violations
from pmo.engine.leveling.cpsat import CpSatOptions, solve_cpsat
from pmo.engine.leveling.heuristic import solve_heuristic
from pmo.engine.leveling.model import (
    Activity,
    CapacityWindow,
    Objective,
    Precedence,
    Problem,
    Project,
    Resource,
    Schedule,
    Status,
)
from pmo.engine.leveling.psplib import BestKnown, read_optimum, read_sm
from pmo.engine.leveling.solve import BACKENDS, solve

__all__ = [
    "BACKENDS",
    "Activity",
    "BestKnown",
    "CapacityWindow",
    "CpSatOptions",
    "InvalidScheduleError",
    "Objective",
    "Precedence",
    "Problem",
    "Project",
    "Resource",
    "Schedule",
    "Status",
    "check_schedule",
    "read_optimum",
    "read_sm",
    "solve",
    "solve_cpsat",
    "solve_heuristic",
    "violations",
]
