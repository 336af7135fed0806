"""The CPM benchmark runs, is deterministic and ends with its summary line."""

from __future__ import annotations

import re

import numpy as np
import pytest

from pmo.bench.cpm import generate_layered_dag, main, networkx_cpm, to_networkx
from pmo.engine.cpm import cpm_arrays, prepare


def test_generator_is_deterministic_and_layered() -> None:
    a = generate_layered_dag(3000, 2, np.random.default_rng(7), layer_width=100)
    b = generate_layered_dag(3000, 2, np.random.default_rng(7), layer_width=100)
    assert np.array_equal(a.pred, b.pred) and np.array_equal(a.lag, b.lag)
    assert np.all(a.pred // 100 < a.succ // 100)
    assert 5800 < a.n_links <= 6000
    assert prepare(a).n_levels <= 30


def test_networkx_reference_agrees_with_the_engine() -> None:
    net = generate_layered_dag(2000, 2, np.random.default_rng(3), layer_width=50)
    ref = networkx_cpm(to_networkx(net))
    r = cpm_arrays(net)
    assert r.early_start.tolist() == ref.early_start
    assert r.late_start.tolist() == ref.late_start


def test_main_prints_one_summary_line_last(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--tasks", "5000", "--repeat", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(
        r"summary: tasks=5000 links=\d+ seconds=[0-9.]+ networkx_ratio_at_100k=[0-9.]+", lines[-1]
    )
    assert sum(line.startswith("summary:") for line in lines) == 1


def test_main_rejects_bad_arguments() -> None:
    with pytest.raises(SystemExit) as info:
        main(["--tasks", "0"])
    assert info.value.code == 2
