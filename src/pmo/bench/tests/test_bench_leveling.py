"""The leveling benchmarks' command-line contract (no Django needed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pmo.bench import portfolio_leveling, rcpsp

# The workplace keeps shared data beside the checkout (<checkout>/../shared/data/psplib).
_SHARED = Path(__file__).resolve().parents[4].parent / "shared"
J30 = (_SHARED if _SHARED.exists() else Path("/work/shared")) / "data" / "psplib" / "j30"


def test_rcpsp_csv_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # given two instances, in an order that natural sorting must fix
    for name in ("j3010_1.sm", "j302_1.sm"):
        shutil.copy(J30 / name, tmp_path / name)
    (tmp_path / "optimum").mkdir()
    (tmp_path / "optimum" / "optimum.csv").write_text(
        "problem,optimum\nj302_1.sm,38\nj3010_1.sm,42\n"
    )
    # when
    code = rcpsp.main([str(tmp_path), "--time-limit", "5", "--workers", "1"])
    # then
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[0] == "instance,makespan,bound,best_known,seconds"
    assert [line.split(",")[0] for line in lines[1:3]] == ["j302_1.sm", "j3010_1.sm"]
    assert [line.split(",")[3] for line in lines[1:3]] == ["38", "42"]
    assert lines[3].startswith("summary: instances=2 matched_best_known=")
    assert len(lines) == 4


def test_rcpsp_says_which_instances_have_no_best_known(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("j301_1.sm", "j302_1.sm"):
        shutil.copy(J30 / name, tmp_path / name)
    (tmp_path / "optimum").mkdir()
    (tmp_path / "optimum" / "optimum.csv").write_text("problem,optimum\nj302_1.sm,38\n")
    assert rcpsp.main([str(tmp_path), "--time-limit", "5", "--workers", "1"]) == 0
    out, err = capsys.readouterr()
    assert "note: 1 of 2 instances have no best-known makespan" in err
    assert "count only the 1 others" in err
    assert out.splitlines()[-1].startswith("summary: instances=2 matched_best_known=1 ")


def test_rcpsp_rejects_a_missing_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert rcpsp.main(["/no/such/folder"]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_portfolio_small_run(capsys: pytest.CaptureFixture[str]) -> None:
    code = portfolio_leveling.main(
        ["--projects", "3", "--tasks", "8", "--roles", "2", "--time-limits", "1"]
    )
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[-1].startswith("summary: heuristic=")
    assert any(line.startswith("cpsat_1s:") for line in out)
    assert any(line.startswith("solve_1s:") for line in out)
