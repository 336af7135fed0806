"""Critical path method: array core (fast path) and the rich task model."""

from pmo.engine.cpm.network import (
    FF,
    FS,
    NO_CAP,
    NO_TIME,
    SF,
    SS,
    CpmArrays,
    ElapsedAxis,
    Network,
    Prepared,
    cpm_arrays,
    prepare,
)

__all__ = [
    "FF",
    "FS",
    "NO_CAP",
    "NO_TIME",
    "SF",
    "SS",
    "CpmArrays",
    "ElapsedAxis",
    "Network",
    "Prepared",
    "cpm_arrays",
    "prepare",
]
