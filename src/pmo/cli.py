"""The ``pmo`` console script: Django's management entry point with our settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``pmo migrate``, ``pmo demo``, ``pmo serve`` ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pmo", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
