"""The one-line argument errors of pmo.core.commands, without a child process."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pmo.core.commands import OneLineArgumentParser, bad_options


def test_an_unknown_option_is_named_by_the_innermost_subcommand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = OneLineArgumentParser(prog="pmo thing")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("make", prog="pmo thing make").add_argument("name")
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(["make", "x", "--bogus", "y"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        "pmo thing make: error: unrecognized arguments: --bogus y (see pmo thing make --help)\n"
    )


def test_call_command_still_raises_a_command_error() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("token", "create", "x", "--bogus")
    assert str(refused.value) == "Error: unrecognized arguments: --bogus"


def test_bad_options_names_only_the_failing_ones() -> None:
    assert bad_options([("--a", True, "must be >= 1"), ("--b", False, "must be >= 0")]) == (
        "--b must be >= 0"
    )
    assert bad_options([("--a", True, "must be >= 1")]) is None
