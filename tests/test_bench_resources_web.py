"""``benchmarks/resources_web.py`` at 20 demo projects: every page it measures answers 200
and is counted, so the 5,000-project run in ``benchmarks/README.md`` can be repeated."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "resources_web.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("resources_web", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_the_benchmark_measures_every_capacity_page_on_a_small_demo(
    capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    from pmo.demo.loader import load_demo
    from pmo.resources.models import LevelingRun, Scenario

    bench = _script()
    today = dt.date(2026, 12, 7)
    load_demo(projects=20, as_of=today)
    ids = bench.prepare(level_seconds=1, today=today)
    again = bench.prepare(level_seconds=1, today=today)  # found by name, not made twice
    assert again["a"] == ids["a"] and Scenario.objects.count() == 2
    assert LevelingRun.objects.get(pk=ids["run"]).state == "done"
    targets = bench.pages(ids)
    results = bench.measure(targets, requests=1)

    assert [r.label for r in results] == [t[0] for t in targets]
    assert len(results) == 27
    # the Move project box a pick asks for is the box alone, not the scenario's page
    box = next(r for r in results if r.label == "Move project box (htmx)")
    page = next(r for r in results if r.label == "scenario page, a project chosen")
    assert box.size < 2_000 < page.size
    assert all(r.status == 200 and r.size > 0 for r in results), [
        (r.label, r.status) for r in results if r.status != 200
    ]
    assert all(r.queries > 0 and len(r.times_ms) == 1 for r in results)
    printed = capsys.readouterr().out
    assert "scenario comparison" in printed and f"/resources/scenarios/{ids['a']}/" in printed
