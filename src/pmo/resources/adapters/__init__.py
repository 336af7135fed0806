"""Map a scenario layer to the leveling engine's problem and its schedule back to dates.

The only package of the app that imports :mod:`pmo.engine`. It works on plain rows (no
queries), so it is tested without a database.

- Time is the working days of the resource calendars in use (:class:`DayAxis`: with only
  ``CN`` resources, mainland-China working days; with only ``""``, Monday to Friday; with
  both, their union). An allocation covering ``n`` axis days is an activity of duration
  ``n``; with one calendar in use, moving it by whole axis days keeps exactly the demand the
  heat map counts. With several, an axis day may be a day off for a resource (a Chinese
  holiday for ``CN``, a 调休 Saturday for ``""``): the heat map counts neither capacity nor
  demand there, but the engine keeps the resource's capacity on such a day, so that leveling
  never "removes" overload by moving work into a holiday. The solver's schedule is then
  fitted to each resource's own calendar (:func:`place`, module :mod:`.fit`): a moved row
  covers as many of its resource's working days as before, starts on one of them and fits
  the heat map's capacity; its axis length follows from where it lands.
- An absence (a capacity change to 0 FTE of at most two weeks: leave, a shutdown) is a day
  off of its resource in the same way: the engine keeps the standing capacity there and the
  overload figures count neither capacity nor demand, so a week of leave pauses the work
  that spans it instead of pushing that work past it (ADR 0006).
- Demand and capacity are integer hundredths of an FTE (FTE has two decimals: exact).
- Capacity per resource and day: the standing FTE inside the availability window (0 for an
  inactive resource), overridden by the layer's capacity changes; outside the built axis
  the value of its last day.
- Leveling only delays: an activity's release is its current start. The axis starts today:
  allocations that have ended are left out; of an allocation under way only the part from
  today on is an activity (moving it splits the row: the part before today stays); every
  allocation of a pinned project is fixed in place, and so is what is left of a closed or
  cancelled project's (``ProjectRow.ended``: it takes no more work, so none of it moves
  later; it still counts as the load the heat map shows); within a project the movable
  allocations are chained by start with start-to-start lags equal to their current offsets
  (a project can stretch, not compress).
- Where fixed demand alone exceeds capacity, the engine's capacity is raised to that demand
  (the overload stays and is reported; nothing else may use the day). An allocation that fits
  nowhere at or after its start even alone (demand above the residual capacity on every
  window) is "not levelable": fixed in place and listed.

The rows, the engine input and the shared arithmetic are in :mod:`.rows`, the building of
the problem in :mod:`.problem`, solving and reading the schedule back in :mod:`.schedule`;
every name is imported here (``from pmo.resources import adapters``).
"""

from pmo.engine.errors import EngineError
from pmo.engine.leveling import violations
from pmo.resources.adapters.fit import PinnedOverload, Placement, pinned_overload, place
from pmo.resources.adapters.problem import build_problem
from pmo.resources.adapters.rows import (
    SCALE,
    AllocationRow,
    ChangeRow,
    LevelingInput,
    Move,
    ProjectRow,
    ResourceRow,
    priority_weight,
)
from pmo.resources.adapters.schedule import compact, moves, overload, solve_problem

__all__ = [
    "SCALE",
    "AllocationRow",
    "ChangeRow",
    "EngineError",
    "LevelingInput",
    "Move",
    "PinnedOverload",
    "Placement",
    "ProjectRow",
    "ResourceRow",
    "build_problem",
    "compact",
    "moves",
    "overload",
    "pinned_overload",
    "place",
    "priority_weight",
    "solve_problem",
    "violations",
]
