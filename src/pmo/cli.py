"""The ``pmo`` console script: Django's management entry point with our settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``pmo migrate``, ``pmo demo``, ``pmo serve`` ...).

    Configuration and database problems end with one readable line and exit code 1
    (set ``PMO_DEBUG=1`` for the traceback); ``CommandError`` is Django's own one-liner.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    args = ["pmo", *(sys.argv[1:] if argv is None else argv)]
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


if __name__ == "__main__":
    main()
