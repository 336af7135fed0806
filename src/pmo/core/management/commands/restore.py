"""``pmo restore ARCHIVE [--force]``: put back what ``pmo backup`` saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from pmo.core.backup import BackupError, restore_backup
from pmo.core.commands import OneLineCommand
from pmo.core.management.commands.backup import configured_database, progress_line


class Command(OneLineCommand):
    help = (
        "Replace the database (SQLite or PostgreSQL, as the backup's) and the uploaded files "
        "with a backup of pmo backup (stop pmo serve first); then run pmo migrate."
    )
    missing_args_message = "give the backup to restore: pmo restore FILE.tar.gz"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="a .tar.gz written by pmo backup")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = configured_database()
        progress = progress_line(self.stdout, target)
        try:
            restored = restore_backup(
                Path(options["archive"]),
                target,
                Path(settings.MEDIA_ROOT),
                force=options["force"],
                progress=progress,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.end()
        made = restored.manifest
        self.stdout.write(
            f"restored the database {target} and {restored.media_files} uploaded files in "
            f"{settings.MEDIA_ROOT} from {options['archive']} (made {made.get('created')} by "
            f"{made.get('version')})"
        )
        self.stdout.write("next: pmo migrate (brings a backup of an older version up to date)")
