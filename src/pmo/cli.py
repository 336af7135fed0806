"""The ``pmo`` console script: Django's management entry point with our settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``pmo migrate``, ``pmo demo``, ``pmo serve`` ...).

    Configuration and database problems end with one readable line and exit code 1
    (set ``PMO_DEBUG=1`` for the traceback); a ``CommandError`` of the project's own commands
    is one line too, ``pmo <command>: error: ...`` (:mod:`pmo.core.commands`).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    args = ["pmo", *(sys.argv[1:] if argv is None else argv)]
    if args[1:] in (["--version"], ["version"]):
        print(version())
        return
    try:
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import execute_from_command_line
        from django.db import DatabaseError

        execute_from_command_line(args)
    except KeyboardInterrupt:
        sys.exit(130)
    except (ImproperlyConfigured, DatabaseError, OSError) as exc:
        if os.environ.get("PMO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
            raise
        message = " ".join(str(exc).split()) or exc.__class__.__name__
        print(f"pmo: error: {message}", file=sys.stderr)
        sys.exit(1)


def version() -> str:
    """``PMO Hub 0.1.0 (Django 5.2.20, Python 3.11.2)``: what ``pmo --version`` prints."""
    import platform
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        ours = installed("pmo-hub")
    except PackageNotFoundError:  # run from a checkout that is not installed
        ours = "(not installed)"
    return f"PMO Hub {ours} (Django {installed('django')}, Python {platform.python_version()})"


if __name__ == "__main__":
    main()
