"""``pmo backup [--out FILE] [--force]``: the database and uploaded files in one ``.tar.gz``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from pmo.core.backup import BackupError, Postgres, write_backup
from pmo.core.commands import OneLineCommand
from pmo.core.files import check_output_path


def configured_database() -> Path | Postgres:
    """The configured database: its SQLite file, or its PostgreSQL connection settings."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.get("OPTIONS")
        sslmode = options.get("sslmode") if isinstance(options, dict) else None
        return Postgres(
            name=str(database["NAME"]),
            user=str(database.get("USER") or ""),
            password=str(database.get("PASSWORD") or ""),
            host=str(database.get("HOST") or ""),
            port=str(database.get("PORT") or ""),
            sslmode=str(sslmode or ""),
        )
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise CommandError(f"the database {name} is not a file: there is nothing to back up")
    return Path(name)


class ProgressLine:
    """``database: 45% (1,024 of 2,270 pages)`` rewritten in place on a terminal."""

    def __init__(self, stream: Any, what: str, unit: str = "pages") -> None:
        self.stream = stream
        self.what = what
        self.unit = unit
        self.width = 0  # of the line last written, blanked by end()
        self.tty = hasattr(sys.stdout, "isatty") and sys.stdout.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.tty and total:
            line = f"{self.what}: {done * 100 // total}% ({done:,} of {total:,} {self.unit})"
            self.width = max(self.width, len(line))
            self.stream.write(f"\r{line}", ending="")
            self.stream.flush()

    def end(self) -> None:
        if self.tty and self.width:
            self.stream.write(f"\r{' ' * self.width}\r", ending="")


def progress_line(stream: Any, database: Path | Postgres) -> ProgressLine:
    """The progress of copying ``database``: SQLite counts pages, PostgreSQL tables."""
    unit = "tables" if isinstance(database, Postgres) else "pages"
    return ProgressLine(stream, f"database {database}", unit)


class Command(OneLineCommand):
    help = (
        "Back up the database (SQLite: a consistent copy while the server runs; PostgreSQL: "
        "pg_dump) and the uploaded files into one .tar.gz."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            default=None,
            help="the archive to write (default: var/backups/pmo-YYYYMMDD-HHMMSS.tar.gz)",
        )
        parser.add_argument(
            "--force", action="store_true", help="replace the archive when it exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from pmo.cli import version

        source = configured_database()
        if options["out"] is None:
            folder = Path(settings.VAR_DIR) / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            options["out"] = str(folder / f"pmo-{stamp}.tar.gz")
        out = Path(options["out"])
        if problem := check_output_path(options["out"], example="pmo-backup.tar.gz"):
            raise CommandError(problem)
        if out.exists() and not options["force"]:
            raise CommandError(f"{out} exists: give --force to replace it")
        progress = progress_line(self.stdout, source)
        try:
            tables, files = write_backup(
                out, source, Path(settings.MEDIA_ROOT), version(), progress
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.end()
        size = out.stat().st_size / 1024 / 1024
        self.stdout.write(
            f"database {source}: {tables} tables; uploaded files {settings.MEDIA_ROOT}: "
            f"{files} file{'' if files == 1 else 's'}"
        )
        self.stdout.write(f"wrote {out} ({size:.1f} MB)")
