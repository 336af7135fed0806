"""One-line errors for the project's own ``pmo`` commands.

argparse prints a usage block of three to six lines before its error; ours print one line,
``pmo token create: error: unrecognized arguments: --bogus (see pmo token create --help)``,
and exit 2. An unknown option is named by the innermost subcommand that was given (argparse
names the outermost parser, whose usage does not know the option).

A ``CommandError`` raised while the command runs is one line in the same form,
``pmo import: error: project ERP2 already exists; ...``, with the error's exit code (1 unless
it says otherwise), where Django would print ``CommandError: ...``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    SystemCheckError,
)

__all__ = ["OneLineArgumentParser", "OneLineCommand", "bad_options", "error_line"]


def _innermost(parser: argparse.ArgumentParser, namespace: argparse.Namespace) -> Any:
    """The subcommand's parser that ``namespace`` was parsed by (``parser`` without one)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen = action.choices.get(getattr(namespace, action.dest, None) or "")
            if chosen is not None:
                return _innermost(chosen, namespace)
    return parser


class _OneLine(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            _innermost(self, parsed).error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed


class OneLineArgumentParser(_OneLine):
    """An ``ArgumentParser`` whose errors are one line (for ``pmo bench NAME`` and the like)."""


class _OneLineCommandParser(_OneLine, CommandParser):
    """Django's parser, one line from the command line; ``call_command`` still raises."""

    def error(self, message: str) -> NoReturn:
        if not self.called_from_command_line:
            raise CommandError(f"Error: {message}")
        super().error(message)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        if self.missing_args_message and not (
            args or any(not a.startswith("-") for a in args or ())
        ):
            self.error(self.missing_args_message)
        return super().parse_args(args, namespace)


def _adopt(parser: argparse.ArgumentParser) -> None:
    # BaseCommand builds its CommandParser itself and runs add_arguments inside: the parser
    # and its subcommands' parsers are given the one-line behaviour once they exist.
    parser.__class__ = _OneLineCommandParser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _adopt(sub)


def error_line(prog: str, message: object) -> str:
    """``pmo import: error: MESSAGE``: how a ``pmo`` command says what went wrong."""
    return f"{prog}: error: {message}"


class OneLineCommand(BaseCommand):
    """A management command whose errors are one line naming the command.

    Argument errors exit 2; a ``CommandError`` raised while running exits with its
    ``returncode`` (1 by default). ``call_command`` still raises the ``CommandError``, and
    ``--traceback`` still shows where it came from.
    """

    _prog_parser: argparse.ArgumentParser | None = None

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _adopt(parser)
        self._prog_parser = parser
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        # only the console script gets the line: call_command and --traceback get the error
        if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
            return super().execute(*args, **options)
        try:
            return super().execute(*args, **options)
        except SystemCheckError:
            raise  # Django formats the system checks' report itself
        except CommandError as exc:
            self.stderr.write(error_line(self._prog(options), exc))
            sys.exit(exc.returncode)

    def _prog(self, options: dict[str, Any]) -> str:
        """``pmo import``, or ``pmo token create`` when a subcommand was given."""
        if self._prog_parser is None:  # run_from_argv always builds one first
            return "pmo"
        return str(_innermost(self._prog_parser, argparse.Namespace(**options)).prog)


def bad_options(checks: Sequence[tuple[str, bool, str]]) -> str | None:
    """The options whose check failed, as one message (``--tasks must be >= 1, got 0``).

    ``checks`` holds ``(option, ok, requirement)``; only the failing ones are named.
    """
    wrong = [f"{option} {requirement}" for option, ok, requirement in checks if not ok]
    return "; ".join(wrong) or None
