"""Pure algorithms of PMO Hub (scheduling, calendars, leveling, risk, ...).

Nothing here imports Django or another ``pmo`` package: the engine takes and
returns plain frozen dataclasses and numpy arrays, works in integer time units
and is benchmarked and property-tested on its own.
"""

__all__: list[str] = []
