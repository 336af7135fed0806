"""Demand against capacity per group (role, org unit or resource) and period, with numpy.

Everything is aggregated from three ``values_list`` queries: the resources, the capacity
changes and the allocations of one layer (the current plan or a scenario). Intervals are
turned into per-day FTE by difference arrays (``np.add.at`` then ``cumsum``), one layer per
working calendar in use, masked by that calendar's working days (``CN``: mainland-China
holidays off, 调休 weekend days on; see :mod:`pmo.resources.calendars`) and summed per
period with ``np.add.reduceat``. A period's figure is FTE-days divided by its Monday-Friday
days, so a holiday lowers capacity and demand alike (Golden Week shows as a dip) and the
ratio stays that of the days people work. An absence (a capacity change to 0 FTE of at most
two weeks: :func:`pmo.resources.calendars.is_absence`) is time off the same way for its
resource: its work pauses there. No Python loop runs per allocation, except over those of
resources with an absence in view.

The figures' shapes and the periods are in :mod:`.cells`, the building from the database in
:mod:`.build`, the room other resources of a role have in :mod:`.room`, who is free for
some days (to staff a project) in :mod:`.availability`; every name is
imported here, where other code has always found it (``from pmo.resources.heatmap import
build_heatmap``).
"""

from pmo.resources.heatmap.availability import MAX_DAYS, Availability, Free, find_available
from pmo.resources.heatmap.build import build_heatmap
from pmo.resources.heatmap.cells import (
    EPSILON,
    GROUPINGS,
    SCALES,
    UNITS,
    Cell,
    HeatMap,
    Period,
    Row,
    periods,
)
from pmo.resources.heatmap.room import Room, room_in_role

__all__ = [
    "EPSILON",
    "GROUPINGS",
    "MAX_DAYS",
    "SCALES",
    "UNITS",
    "Availability",
    "Cell",
    "Free",
    "HeatMap",
    "Period",
    "Room",
    "Row",
    "build_heatmap",
    "find_available",
    "periods",
    "room_in_role",
]
