"""Signals the resources app sends to the apps above it (it never imports them)."""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["scenario_committed"]

scenario_committed = Signal()
"""Sent inside the commit's transaction with ``scenario``, ``actor``, ``plans_to_change``
(codes of the projects whose plans must change to match it) and ``allocations_changed``
(project code → how many of its allocations the commit created, changed or removed) with
``allocations_end`` (project code → the last day of its allocations now): the dependencies
app tells their project managers."""
