"""``pmo backup [--out FILE] [--force]``: the database and uploaded files in one ``.tar.gz``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from pmo.core.backup import BackupError, write_backup
from pmo.core.commands import OneLineCommand
from pmo.core.files import check_output_path

POSTGRES_ADVICE = (
    "the database is PostgreSQL: back it up with pg_dump "
    '(pg_dump --format=custom --file=pmo.dump "$PMO_DATABASE_URL") and copy the uploaded '
    "files, {media}, beside it (see docs/operations.md)"
)


def database_file() -> Path:
    """The SQLite file of the configured database; PostgreSQL is refused with the advice."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        raise CommandError(POSTGRES_ADVICE.format(media=settings.MEDIA_ROOT))
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise CommandError(f"the database {name} is not a file: there is nothing to back up")
    return Path(name)


class ProgressLine:
    """``database: 45% (1,024 of 2,270 pages)`` rewritten in place on a terminal."""

    def __init__(self, stream: Any, what: str) -> None:
        self.stream = stream
        self.what = what
        self.tty = hasattr(sys.stdout, "isatty") and sys.stdout.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.tty and total:
            self.stream.write(
                f"\r{self.what}: {done * 100 // total}% ({done:,} of {total:,} pages)", ending=""
            )
            self.stream.flush()

    def end(self) -> None:
        if self.tty:
            self.stream.write("\r", ending="")


class Command(OneLineCommand):
    help = (
        "Back up the SQLite database (a consistent copy while the server runs) and the "
        "uploaded files into one .tar.gz; PostgreSQL: use pg_dump."
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

        source = database_file()
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
        progress = ProgressLine(self.stdout, f"database {source}")
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
