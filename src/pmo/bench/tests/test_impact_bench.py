"""The slip-impact benchmark runs on a small portfolio and ends with its summary line."""

from __future__ import annotations

import re

import pytest

from pmo.bench.impact import main, synthetic
from pmo.engine.impact import build_network


def test_synthetic_portfolio_is_acyclic_and_sized() -> None:
    n, (src, dst, slack) = synthetic(20, 40, 50)
    assert n == 20 * 49
    assert build_network(n, src=src, dst=dst, slack=slack).n == n
    assert src.size == dst.size == slack.size


def test_main_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--projects", "30", "--tasks", "40", "--links", "60", "--repeat", "2"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"summary: nodes=1470 edges=\d+ build=[\d.]+ median=[\d.]+ worst=[\d.]+", last
    )
