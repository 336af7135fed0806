"""The PSPLIB writer: what it writes reads back as the same problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo.engine.errors import InvalidInputError
from pmo.engine.leveling.model import Activity, CapacityWindow, Precedence, Problem, Resource
from pmo.engine.leveling.psplib import format_sm, parse_sm, read_sm

_SHARED = Path(__file__).resolve().parents[5].parent / "shared"
PSPLIB = (_SHARED if _SHARED.exists() else Path("/work/shared")) / "data" / "psplib"


def _arcs(p: Problem) -> list[tuple[int, int]]:
    return sorted((x.pred, x.succ) for x in p.precedences)


@pytest.mark.parametrize("name", ["j30/j301_1.sm", "j30/j3029_8.sm", "j60/j6013_1.sm"])
def test_psplib_files_survive_a_round_trip(name: str) -> None:
    # given a published instance
    original = read_sm(PSPLIB / name)
    # when written and read again
    again = parse_sm(format_sm(original, comment="round trip"), "again")
    # then nothing changed
    assert again.activities == original.activities
    assert again.resources == original.resources
    assert _arcs(again) == _arcs(original)


def test_written_file_keeps_psplib_layout() -> None:
    text = format_sm(read_sm(PSPLIB / "j30" / "j301_1.sm"))
    lines = text.splitlines()
    # the critical path of j301_1 is 38 periods (its MPM-Time in the published file)
    assert "    1     30      0       38        0       38" in lines
    assert lines[lines.index("RESOURCEAVAILABILITIES:") + 2] == "   12   13    4   12"
    assert "jobnr. mode duration  R 1  R 2  R 3  R 4" in lines


def _two_jobs(**kw: object) -> Problem:
    acts = (
        Activity(name="s", duration=0, demands=(0,)),
        Activity(name="a", duration=2, demands=(1,)),
        Activity(name="t", duration=0, demands=(0,)),
    )
    arcs = kw.pop("precedences", (Precedence(pred=0, succ=1), Precedence(pred=1, succ=2)))
    res = kw.pop("resources", (Resource(name="R1", capacity=1),))
    return Problem(resources=res, activities=acts, precedences=arcs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"precedences": (Precedence(pred=0, succ=1, lag=1), Precedence(pred=1, succ=2))}, "lag"),
        ({"precedences": (Precedence(pred=0, succ=1),)}, "only the sink"),
        (
            {
                "resources": (
                    Resource(
                        name="R1", capacity=1, windows=(CapacityWindow(start=0, end=1, capacity=0),)
                    ),
                )
            },
            "constant",
        ),
    ],
)
def test_what_psplib_cannot_say_is_refused(kw: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        format_sm(_two_jobs(**kw))
