"""Each benchmark refuses arguments it cannot run with in one line naming its command."""

from __future__ import annotations

import pytest

from pmo.bench import impact, rcpsp


@pytest.mark.parametrize(
    "arguments",
    [
        ["--projects", "0"],
        ["--projects", "1"],
        ["--projects", "-3"],
        ["--projects", "9"],
        ["--tasks", "0"],
        ["--tasks", "5"],
        ["--repeat", "0"],
        ["--links", "-1"],
    ],
)
def test_impact_refuses_sizes_it_cannot_build(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        impact.main(arguments)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        "pmo bench impact: error: --projects and --tasks must be >= 10, --links >= 0, --repeat >= 1"
    )


def test_impact_runs_at_the_smallest_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert impact.main(["--projects", "10", "--tasks", "10", "--links", "0", "--repeat", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("summary: nodes=190 ")


def test_rcpsp_errors_name_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert rcpsp.main(["/no/such/dir"]) == 2
    assert capsys.readouterr().err == "pmo bench rcpsp: error: /no/such/dir is not a folder\n"
