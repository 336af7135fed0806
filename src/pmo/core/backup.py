"""Backups of a SQLite installation: the database and the uploaded files in one ``.tar.gz``.

A plain copy of a SQLite file while the server runs can miss what was just committed (the
write-ahead log, ``pmo.sqlite3-wal``, holds it until a checkpoint). :func:`copy_database` uses
SQLite's online backup API inside one read transaction instead: the copy is the database as
of one moment, and writers go on meanwhile (WAL mode). The archive holds ``pmo.sqlite3``,
``media/`` (gate deliverables) and ``manifest.json``. :func:`restore_backup` puts them back.
PostgreSQL is backed up with its own tools (``pg_dump``; docs/operations.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BackupError",
    "Restored",
    "copy_database",
    "read_manifest",
    "restore_backup",
    "write_backup",
]

FORMAT = 1
DATABASE_MEMBER = "pmo.sqlite3"
MEDIA_MEMBER = "media"
MANIFEST_MEMBER = "manifest.json"
PAGES_PER_STEP = 1024

# ``(pages copied, pages in all)``, after each step of the database copy
Progress = Callable[[int, int], None]


class BackupError(Exception):
    """What stops a backup or a restore, in one line."""


def copy_database(source: Path, target: Path, progress: Progress | None = None) -> int:
    """Copy the SQLite database ``source`` to ``target`` (a new file) as of one moment.

    Other connections may write meanwhile: the copy is read in one transaction, so it never
    restarts and never holds half of a write. Returns the number of tables copied.
    """
    if not source.is_file():
        raise BackupError(f"the database {source} does not exist")
    reading = sqlite3.connect(source, isolation_level=None)
    try:
        reading.execute("PRAGMA busy_timeout=10000")
        reading.execute("BEGIN")  # one snapshot for every step below
        tables = int(
            reading.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        )
        writing = sqlite3.connect(target)
        try:

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            reading.backup(writing, pages=PAGES_PER_STEP, progress=step)
            problem = writing.execute("PRAGMA quick_check").fetchone()[0]
            writing.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            writing.close()
        reading.execute("COMMIT")
    except sqlite3.Error as exc:
        raise BackupError(f"cannot copy the database {source}: {exc}") from None
    finally:
        reading.close()
    if problem != "ok":
        raise BackupError(f"the copy of {source} is damaged: {problem}")
    return tables


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def write_backup(
    out: Path,
    database: Path,
    media_root: Path,
    version: str,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Write the archive ``out`` (replacing it whole): the database, the media, a manifest.

    Returns ``(tables, media files)``. The archive is written beside ``out`` and renamed
    over it when complete, so an interrupted backup leaves no half-written file.
    """
    target = Path(os.path.realpath(out))
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pmo-backup-") as work:
        copy = Path(work) / DATABASE_MEMBER
        tables = copy_database(database, copy, progress)
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "version": version,
            "database": DATABASE_MEMBER,
            "tables": tables,
            "media_files": len(files),
        }
        part = Path(work) / "archive.tar.gz"
        with tarfile.open(part, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_MEMBER)
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(copy, DATABASE_MEMBER)
            for file in files:
                archive.add(file, f"{MEDIA_MEMBER}/{file.relative_to(media_root).as_posix()}")
        os.replace(part, target)
    return tables, len(files)


def read_manifest(archive: tarfile.TarFile, name: str) -> dict[str, object]:
    """The manifest of a backup archive, after checking every member is one of ours."""
    members = archive.getmembers()
    for member in members:
        path = member.name
        inside = path in (MANIFEST_MEMBER, DATABASE_MEMBER) or path.startswith(f"{MEDIA_MEMBER}/")
        if (
            not inside
            or path.startswith("/")
            or ".." in Path(path).parts
            or not (member.isfile() or member.isdir())
        ):
            raise BackupError(f"{name} is not a PMO Hub backup: it holds {path!r}")
    names = {m.name for m in members}
    if MANIFEST_MEMBER not in names or DATABASE_MEMBER not in names:
        raise BackupError(f"{name} is not a PMO Hub backup: no {MANIFEST_MEMBER} or database")
    stream = archive.extractfile(MANIFEST_MEMBER)
    try:
        manifest = json.loads(stream.read() if stream else b"")
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{name} has a manifest this version does not read")
    return manifest


def _extract(archive_path: Path, folder: Path) -> dict[str, object]:
    """Unpack the backup ``archive_path`` into ``folder``; its manifest."""
    name = str(archive_path)
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            manifest = read_manifest(archive, name)
            archive.extractall(folder)  # every member checked by read_manifest
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{name} is not a readable .tar.gz backup: {exc}") from None
    return manifest


def _has_data(database: Path) -> bool:
    """Whether ``database`` exists and holds any table."""
    if not database.is_file() or database.stat().st_size == 0:
        return False
    try:
        with contextlib.closing(sqlite3.connect(database)) as connection:
            return bool(connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    except sqlite3.Error:
        return True  # not a database we can read: replaced only when asked to


@dataclass(frozen=True, slots=True, kw_only=True)
class Restored:
    """What :func:`restore_backup` put back."""

    manifest: dict[str, object]
    media_files: int


def restore_backup(
    archive_path: Path,
    database: Path,
    media_root: Path,
    *,
    force: bool,
    progress: Progress | None = None,
) -> Restored:
    """Replace the database and the media folder with those of the backup ``archive_path``.

    Refused when the database holds data and ``force`` is not given. The database is
    written by SQLite's backup API (the old file's write-ahead log goes with it); the media
    folder is swapped whole once the new one is extracted.
    """
    name = str(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"{name} does not exist or is not a file")
    if _has_data(database) and not force:
        raise BackupError(
            f"the database {database} already holds data: give --force to replace it "
            "(stop pmo serve and any pmo db_worker first)"
        )
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".pmo-restore-") as work:
        folder = Path(work)
        manifest = _extract(archive_path, folder)
        copy = folder / DATABASE_MEMBER
        try:
            with contextlib.closing(sqlite3.connect(copy)) as source:
                try:  # the archive's database is read first: its errors name the archive
                    checked = source.execute("PRAGMA quick_check").fetchone()[0]
                except sqlite3.Error as exc:
                    raise BackupError(f"the database in {name} is damaged: {exc}") from None
                if checked != "ok":
                    raise BackupError(f"the database in {name} is damaged")
                database.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.closing(sqlite3.connect(database)) as target:
                    target.execute("PRAGMA busy_timeout=10000")

                    def step(_status: int, remaining: int, total: int) -> None:
                        if progress is not None:
                            progress(total - remaining, total)

                    source.backup(target, pages=PAGES_PER_STEP, progress=step)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot restore the database {database}: {exc}") from None
        media = folder / MEDIA_MEMBER
        media.mkdir(exist_ok=True)
        count = len(_media_files(media))
        old = folder / "media-before-restore"
        if media_root.exists():
            os.replace(media_root, old)
        os.replace(media, media_root)
        shutil.rmtree(old, ignore_errors=True)
    return Restored(manifest=manifest, media_files=count)
