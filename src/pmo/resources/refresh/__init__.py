"""Bring a draft scenario up to date with the current plan, keeping its own changes.

:func:`refresh_scenario` rebuilds the scenario's copy of the plan from the current plan and
re-applies the scenario's changes where they still apply; :func:`reset_project` puts one
project of the scenario back to the current plan. The rules (ADR 0006, "Refreshing a
scenario"):

- an allocation the scenario changed (by hand or by leveling: its version is above 1 plus
  the project moves it went through) stays
  as the scenario has it while the plan's row it copies is unchanged; when the plan changed
  or removed that row, the plan wins and the scenario's change is dropped and listed;
- an allocation the scenario added stays (a leveling split of a dropped row goes with it);
  a plan row the scenario removed stays removed unless the plan changed it since;
- rows new in the plan (or taken over from it) are moved by the project's Move project days;
  priorities and pins stay;
- a capacity change the scenario added stays unless it overlaps one the current plan has
  now; one it removed stays removed unless the plan changed it;
- finished leveling runs of the scenario are marked out of date (their records stay).

Schedule demand is recreated whenever its plan is recalculated, so a scenario's copy of it
is matched to the plan's rows by task UID and resource.

What both share (the results, the reasons a change is dropped, the scenario's lock) is in
:mod:`.common`, the refresh in :mod:`.scenario`, the reset in :mod:`.reset`; every name is
imported here (``from pmo.resources import refresh``).
"""

from pmo.resources.refresh.common import (
    COPIED,
    Dropped,
    RefreshResult,
    ResetResult,
    dropped_message,
)
from pmo.resources.refresh.reset import reset_project
from pmo.resources.refresh.scenario import refresh_scenario

__all__ = [
    "COPIED",
    "Dropped",
    "RefreshResult",
    "ResetResult",
    "dropped_message",
    "refresh_scenario",
    "reset_project",
]
