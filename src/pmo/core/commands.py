"""One-line argument errors for the project's own ``pmo`` commands.

argparse prints a usage block of three to six lines before its error; ours print one line,
``pmo token create: error: unrecognized arguments: --bogus (see pmo token create --help)``,
and exit 2. An unknown option is named by the innermost subcommand that was given (argparse
names the outermost parser, whose usage does not know the option).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

__all__ = ["OneLineArgumentParser", "OneLineCommand", "bad_options"]


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


class OneLineCommand(BaseCommand):
    """A management command whose argument errors are one line naming the command, exit 2."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _adopt(parser)
        return parser


def bad_options(checks: Sequence[tuple[str, bool, str]]) -> str | None:
    """The options whose check failed, as one message (``--tasks must be >= 1, got 0``).

    ``checks`` holds ``(option, ok, requirement)``; only the failing ones are named.
    """
    wrong = [f"{option} {requirement}" for option, ok, requirement in checks if not ok]
    return "; ".join(wrong) or None
