"""Where the Microsoft Project sample files are (beside the checkout, or ``PMO_MSPROJECT_DATA``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_BESIDE_CHECKOUT = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "msproject"
if not _BESIDE_CHECKOUT.exists():  # a checkout elsewhere on a workplace machine
    _BESIDE_CHECKOUT = Path("/work/shared/data/msproject")
DATA = Path(os.environ.get("PMO_MSPROJECT_DATA", str(_BESIDE_CHECKOUT)))
SAMPLES = [
    "baselines-project2019.xml",
    "calendars-project2019.xml",
    "relations.xml",
    "sample-constraints-calendars.xml",
    "task-links-project2019.xml",
]


@pytest.fixture
def sample():  # type: ignore[no-untyped-def]
    """``sample(name)``: the bytes of a sample file (skips, loudly, when it is missing)."""

    def read(name: str) -> bytes:
        path = DATA / name
        if not path.exists():
            pytest.skip(f"{path} not available (set PMO_MSPROJECT_DATA)")
        return path.read_bytes()

    return read
