"""Backups of an installation: the database and the uploaded files in one ``.tar.gz``.

SQLite: a plain copy of the file while the server runs can miss what was just committed (the
write-ahead log, ``pmo.sqlite3-wal``, holds it until a checkpoint). :func:`copy_database` uses
SQLite's online backup API inside one read transaction instead: the copy is the database as
of one moment, and writers go on meanwhile (WAL mode). The archive holds ``pmo.sqlite3``.

PostgreSQL: the database is dumped with PostgreSQL's own ``pg_dump`` (custom format, one
snapshot, without owners or grants so it restores under another role) into ``pmo.pgdump``,
and put back with ``pg_restore`` in one transaction, so a failed restore leaves the database
as it was. The password goes to both tools in ``PGPASSWORD``, never on their command line.

Either way the archive also holds ``media/`` (gate deliverables) and ``manifest.json``, whose
``engine`` says which database it holds (archives without one are SQLite's: written before
PostgreSQL was backed up here). :func:`restore_backup` puts them back into a database of the
same engine only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "BackupError",
    "Postgres",
    "Restored",
    "copy_database",
    "read_manifest",
    "restore_backup",
    "write_backup",
]

FORMAT = 1  # unchanged by ``engine``: a SQLite archive is still one older versions restore
DATABASE_MEMBER = "pmo.sqlite3"
PGDUMP_MEMBER = "pmo.pgdump"
MEDIA_MEMBER = "media"
MANIFEST_MEMBER = "manifest.json"
PAGES_PER_STEP = 1024
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
ENGINES = {SQLITE: ("SQLite", DATABASE_MEMBER), POSTGRESQL: ("PostgreSQL", PGDUMP_MEMBER)}
PG_DUMP = "pg_dump"
PG_RESTORE = "pg_restore"

# ``(pages or tables copied, in all)``, after each step of the database copy
Progress = Callable[[int, int], None]


class BackupError(Exception):
    """What stops a backup or a restore, in one line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Postgres:
    """A PostgreSQL database to back up or restore into (Django's connection settings)."""

    name: str
    user: str = ""
    password: str = field(default="", repr=False)
    host: str = ""
    port: str = ""
    sslmode: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.host or 'localhost'}:{self.port or 5432})"

    def arguments(self) -> list[str]:
        """The connection options of ``pg_dump`` and ``pg_restore``; never the password."""
        given = [("--dbname", self.name), ("--host", self.host), ("--port", self.port)]
        given.append(("--username", self.user))
        return [f"{option}={value}" for option, value in given if value]

    def environment(self) -> dict[str, str]:
        """The tools' environment: ours, with the password in ``PGPASSWORD`` if there is one."""
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        if self.sslmode:
            env["PGSSLMODE"] = self.sslmode
        return env

    def hide(self, text: str) -> str:
        """``text`` without the password (a tool's message could in theory echo it)."""
        return text.replace(self.password, "***") if self.password else text

    def tables(self) -> int:
        """How many tables the database holds (outside PostgreSQL's own schemas)."""
        import psycopg

        try:
            with psycopg.connect(
                dbname=self.name,
                user=self.user or None,
                password=self.password or None,
                host=self.host or None,
                port=self.port or None,
                sslmode=self.sslmode or None,
                connect_timeout=10,
            ) as connection:
                row = connection.execute(
                    "SELECT count(*) FROM pg_catalog.pg_tables "
                    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                ).fetchone()
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise BackupError(f"cannot read the database {self}: {self.hide(first)}") from None
        return int(row[0]) if row else 0


def _run_tool(
    tool: str,
    arguments: list[str],
    database: Postgres,
    *,
    marker: str,
    total: int,
    progress: Progress | None,
) -> int:
    """Run ``tool`` verbosely; how many of its lines hold ``marker`` (one per table).

    Each such line is a step of ``progress``. A tool that cannot start or fails is one
    :class:`BackupError` naming it with its first error line.
    """
    try:
        process = subprocess.Popen(
            [tool, *arguments, "--verbose"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            env=database.environment(),
        )
    except OSError as exc:
        raise BackupError(
            f"cannot run {Path(tool).name}: {exc.strerror or exc} "
            "(install PostgreSQL's client tools, e.g. apt install postgresql-client)"
        ) from None
    label = Path(tool).name  # how the tool names itself in its messages
    done = 0
    errors: list[str] = []  # "pg_dump: error: …" lines, without that prefix
    others: list[str] = []  # lines that are neither progress nor the tool's own
    assert process.stderr is not None
    with process:
        for line in process.stderr:
            text = line.strip()
            if marker in text:
                done += 1
                if progress is not None:
                    progress(min(done, total) if total else done, max(total, done))
            elif text.startswith(f"{label}: error: "):
                errors.append(text.removeprefix(f"{label}: error: "))
            elif text and not text.startswith(f"{label}: "):
                others.append(text)
    if process.returncode != 0:
        first = (errors or others or [f"exit status {process.returncode}"])[0]
        raise BackupError(f"{label} failed: {database.hide(first)}")
    return done


def dump_postgres(database: Postgres, target: Path, progress: Progress | None = None) -> int:
    """Dump ``database`` into ``target`` with ``pg_dump`` (custom format, one snapshot).

    No owners and no grants: the dump restores under whichever role runs the restore.
    Returns the number of tables dumped.
    """
    total = database.tables()
    return _run_tool(
        PG_DUMP,
        [
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            *database.arguments(),
        ],
        database,
        marker="dumping contents of table",
        total=total,
        progress=progress,
    )


def _steps(progress: Progress | None) -> Callable[[int, int, int], None]:
    """SQLite's backup callback ``(status, remaining, total)`` as ``progress(done, total)``."""

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    return step


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
            reading.backup(writing, pages=PAGES_PER_STEP, progress=_steps(progress))
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
    database: Path | Postgres,
    media_root: Path,
    version: str,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Write the archive ``out`` (replacing it whole): the database, the media, a manifest.

    ``database`` is a SQLite file or a :class:`Postgres` database. Returns ``(tables, media
    files)``. The archive is written beside ``out`` and renamed over it when complete, so an
    interrupted or failed backup leaves no half-written file.
    """
    target = Path(os.path.realpath(out))
    engine = POSTGRESQL if isinstance(database, Postgres) else SQLITE
    member = ENGINES[engine][1]
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pmo-backup-") as work:
        copy = Path(work) / member
        if isinstance(database, Postgres):
            tables = dump_postgres(database, copy, progress)
        else:
            tables = copy_database(database, copy, progress)
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "version": version,
            "database": member,
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
            archive.add(copy, member)
            for file in files:
                archive.add(file, f"{MEDIA_MEMBER}/{file.relative_to(media_root).as_posix()}")
        os.replace(part, target)
    return tables, len(files)


def read_manifest(archive: tarfile.TarFile, name: str) -> dict[str, object]:
    """The manifest of a backup archive, after checking every member is one of ours.

    Its ``engine`` is always set: ``sqlite`` for archives written before it was recorded.
    """
    members = archive.getmembers()
    databases = {member for _label, member in ENGINES.values()}
    for member in members:
        path = member.name
        inside = path == MANIFEST_MEMBER or path in databases or path.startswith(f"{MEDIA_MEMBER}/")
        if (
            not inside
            or path.startswith("/")
            or ".." in Path(path).parts
            or not (member.isfile() or member.isdir())
        ):
            raise BackupError(f"{name} is not a PMO Hub backup: it holds {path!r}")
    names = {m.name for m in members}
    if MANIFEST_MEMBER not in names or not names & databases:
        raise BackupError(f"{name} is not a PMO Hub backup: no {MANIFEST_MEMBER} or database")
    stream = archive.extractfile(MANIFEST_MEMBER)
    try:
        manifest = json.loads(stream.read() if stream else b"")
    except ValueError:
        manifest = None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.setdefault("engine", SQLITE) not in ENGINES
    ):
        raise BackupError(f"{name} has a manifest this version does not read")
    if ENGINES[manifest["engine"]][1] not in names:
        raise BackupError(f"{name} is not a PMO Hub backup: no {MANIFEST_MEMBER} or database")
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


def _refuse_data(database: Path | Postgres) -> None:
    raise BackupError(
        f"the database {database} already holds data: give --force to replace it "
        "(stop pmo serve and any pmo db_worker first)"
    )


def _restore_sqlite(
    copy: Path, database: Path, name: str, *, force: bool, progress: Progress | None
) -> None:
    """Write the archive's SQLite ``copy`` over ``database`` with SQLite's backup API."""
    if _has_data(database) and not force:
        _refuse_data(database)
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
                source.backup(target, pages=PAGES_PER_STEP, progress=_steps(progress))
    except sqlite3.Error as exc:
        raise BackupError(f"cannot restore the database {database}: {exc}") from None


def _restore_postgres(
    dump: Path, database: Postgres, tables: int, *, force: bool, progress: Progress | None
) -> None:
    """Put the archive's ``dump`` into ``database`` with ``pg_restore``, all or nothing.

    ``--clean --if-exists`` drops each object of the dump before creating it again, and
    ``--single-transaction --exit-on-error`` rolls everything back at the first error.
    """
    if database.tables() and not force:
        _refuse_data(database)
    _run_tool(
        PG_RESTORE,
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *database.arguments(),
            str(dump),
        ],
        database,
        marker="processing data for table",
        total=tables,
        progress=progress,
    )


def restore_backup(
    archive_path: Path,
    database: Path | Postgres,
    media_root: Path,
    *,
    force: bool,
    progress: Progress | None = None,
) -> Restored:
    """Replace the database and the media folder with those of the backup ``archive_path``.

    The archive's engine must be the database's. Refused when the database holds data and
    ``force`` is not given. SQLite is written by SQLite's backup API (the old file's
    write-ahead log goes with it), PostgreSQL by ``pg_restore`` in one transaction; the media
    folder is swapped whole once the database is restored.
    """
    name = str(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"{name} does not exist or is not a file")
    wanted = POSTGRESQL if isinstance(database, Postgres) else SQLITE
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".pmo-restore-") as work:
        folder = Path(work)
        manifest = _extract(archive_path, folder)
        engine = str(manifest["engine"])
        if engine != wanted:
            raise BackupError(
                f"{name} is a {ENGINES[engine][0]} backup; the configured database is "
                f"{ENGINES[wanted][0]}"
            )
        if isinstance(database, Postgres):
            tables = manifest.get("tables")
            _restore_postgres(
                folder / PGDUMP_MEMBER,
                database,
                tables if isinstance(tables, int) else 0,
                force=force,
                progress=progress,
            )
        else:
            _restore_sqlite(
                folder / DATABASE_MEMBER, database, name, force=force, progress=progress
            )
        media = folder / MEDIA_MEMBER
        media.mkdir(exist_ok=True)
        count = len(_media_files(media))
        old = folder / "media-before-restore"
        if media_root.exists():
            os.replace(media_root, old)
        os.replace(media, media_root)
        shutil.rmtree(old, ignore_errors=True)
    return Restored(manifest=manifest, media_files=count)
