"""Each demo project's story: its health week by week and where it stands today.

A pattern (:data:`PATTERNS`) draws the overall RAG of the report history; the
phase comes from the dependency story (:data:`STORY_PHASES`), from the plans
near go-live, or at random (:data:`PHASES`), and becomes a dated
:class:`~pmo.demo.timeline.Timeline`.
"""

from __future__ import annotations

import datetime as dt
import random

from pmo.demo.plans import PLANNED_PROJECTS
from pmo.demo.timeline import PhaseSpec, Timeline, make_timeline
from pmo.portfolio.models import Phase

__all__ = ["PATTERNS", "PHASES", "STORY_PHASES", "health_path", "project_timeline"]

PHASES = [
    Phase.INITIATION,
    Phase.PLANNING,
    Phase.EXECUTION,
    Phase.EXECUTION,
    Phase.EXECUTION,
    Phase.CLOSING,
]
# projects whose place in the dependency story fixes their phase (category, share of it gone):
# the data lake still delivers; the channel projects that need the core upgrade's go-live
# have their UAT and go-live ahead; the new data centre has built already
STORY_PHASES = {
    "P0007": ("execution", (0.2, 0.5)),
    "P0010": ("execution", (0.1, 0.4)),
    "P0016": ("execution", (0.1, 0.4)),
    "P0017": ("planning", (0.2, 0.8)),
    "P0023": ("execution", (0.1, 0.4)),
    "P0026": ("planning", (0.2, 0.8)),
    "P0029": ("execution", (0.75, 0.85)),
    "P0030": ("execution", (0.1, 0.4)),
}

PATTERNS = ["stable", "stable", "recovering", "sliding", "volatile", "late_start"]


def health_path(rng: random.Random, pattern: str, weeks: int) -> list[int]:
    """Overall RAG per week (1 green .. 3 red) following a story."""
    path = []
    level = {"stable": 1.2, "recovering": 2.9, "sliding": 1.1, "volatile": 2.0, "late_start": 1.5}[
        pattern
    ]
    drift = {
        "stable": 0.0,
        "recovering": -0.09,
        "sliding": 0.09,
        "volatile": 0.0,
        "late_start": 0.02,
    }[pattern]
    noise = 0.55 if pattern == "volatile" else 0.22
    for _week in range(weeks):
        level = min(3.4, max(0.6, level + drift + rng.gauss(0, noise)))
        path.append(min(3, max(1, round(level))))
    return path


def project_timeline(
    rng: random.Random,
    index: int,
    phases: list[PhaseSpec],
    path: list[int],
    today: dt.date,
) -> Timeline:
    """Where project ``index`` stands: its story's fixed phase, else a random one."""
    code = f"P{index + 1:04d}"
    if index < PLANNED_PROJECTS:  # near go-live: the plan's last weeks, the hypercare spike
        return make_timeline(rng, phases, "execution", path, today, next_gate_in=16 + 2 * index)
    if code == "P0004":  # the payment hub goes live before the mobile app it serves
        return make_timeline(rng, phases, "execution", path, today, next_gate_in=10)
    if code in STORY_PHASES:
        wanted, into = STORY_PHASES[code]
        return make_timeline(rng, phases, wanted, path, today, into=into)
    return make_timeline(rng, phases, rng.choice(PHASES), path, today)
