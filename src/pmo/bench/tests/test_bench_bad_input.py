"""Each benchmark refuses arguments it cannot run with in one line naming its command."""

from __future__ import annotations

import pytest

from pmo.bench import cpm, impact, portfolio_leveling, rcpsp


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["--projects", "0"], "--projects must be >= 10, got 0"),
        (["--projects", "1"], "--projects must be >= 10, got 1"),
        (["--projects", "-3"], "--projects must be >= 10, got -3"),
        (["--projects", "9"], "--projects must be >= 10, got 9"),
        (["--tasks", "0"], "--tasks must be >= 10, got 0"),
        (["--tasks", "5"], "--tasks must be >= 10, got 5"),
        (["--repeat", "0"], "--repeat must be >= 1, got 0"),
        (["--links", "-1"], "--links must be >= 0, got -1"),
        (
            ["--tasks", "5", "--repeat", "0"],
            "--tasks must be >= 10, got 5; --repeat must be >= 1, got 0",
        ),
    ],
)
def test_impact_refuses_sizes_it_cannot_build_naming_only_the_wrong_option(
    arguments: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        impact.main(arguments)
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        f"pmo bench impact: error: {problem} (see pmo bench impact --help)\n"
    )


def test_cpm_names_only_the_wrong_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cpm.main(["--tasks", "0"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        "pmo bench cpm: error: --tasks must be >= 1, got 0 (see pmo bench cpm --help)\n"
    )


def test_portfolio_leveling_names_only_the_wrong_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        portfolio_leveling.main(["--roles", "0", "--time-limits", "0"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        "pmo bench portfolio-leveling: error: --roles must be >= 1, got 0; --time-limits must "
        "be > 0 seconds (see pmo bench portfolio-leveling --help)\n"
    )


def test_help_describes_every_option_and_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    for main in (impact.main, cpm.main, portfolio_leveling.main):
        with pytest.raises(SystemExit):
            main(["--help"])
        text = capsys.readouterr().out
        assert "``" not in text and "Usage::" not in text and "python -m" not in text
        assert "--repeat REPEAT" not in text or "(default:" in text
    with pytest.raises(SystemExit):
        impact.main(["--help"])
    assert "--projects PROJECTS  projects in the portfolio (default: 1000)" in (
        capsys.readouterr().out
    )
    with pytest.raises(SystemExit):
        cpm.main(["--help"])
    assert "tasks in the network (default: 1000000)" in capsys.readouterr().out


def test_impact_runs_at_the_smallest_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert impact.main(["--projects", "10", "--tasks", "10", "--links", "0", "--repeat", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("summary: nodes=190 ")


def test_rcpsp_errors_name_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert rcpsp.main(["/no/such/dir"]) == 2
    assert capsys.readouterr().err == "pmo bench rcpsp: error: /no/such/dir is not a folder\n"
