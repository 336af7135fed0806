"""``pmo backup`` and ``pmo restore`` on PostgreSQL: ``pg_dump`` and ``pg_restore`` for real.

Run with the PostgreSQL suite (``PMO_TEST_DATABASE_URL``; the conftest leaves this module out
of the SQLite run, so ``make test`` needs no PostgreSQL server). Each test makes its own
scratch database on that URL's server and drops it at the end, whatever happened: never the
suite's own database.
"""

from __future__ import annotations

import json
import os
import stat
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg
import pytest
from psycopg import sql

from pmo.core import backup
from pmo.core.tests.test_backup import rewrite_archive
from pmo.core.tests.test_cli_bad_input import problem_line, run_pmo

_URL = urlsplit(os.environ.get("PMO_TEST_DATABASE_URL", "").strip())
SERVER = {
    "host": _URL.hostname or "127.0.0.1",
    "port": _URL.port or 5432,
    "user": unquote(_URL.username or "postgres"),
    "password": unquote(_URL.password or ""),
}
WHERE = f"{SERVER['host']}:{SERVER['port']}"


@pytest.fixture
def scratch() -> Iterator[str]:
    """The name of a new, empty database, dropped after the test."""
    name = f"pmo_backup_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **SERVER) as server:  # type: ignore[arg-type]
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **SERVER) as server:  # type: ignore[arg-type]
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _query(database: str, statement: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(dbname=database, autocommit=True, **SERVER) as connection:  # type: ignore[arg-type]
        cursor = connection.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def _postgres(name: str, **settings: str) -> backup.Postgres:
    """The connection settings of the scratch database ``name`` on the suite's server."""
    server = {
        "user": SERVER["user"],
        "password": SERVER["password"],
        "host": SERVER["host"],
        "port": str(SERVER["port"]),
    }
    return backup.Postgres(name=name, **{**server, **settings})  # type: ignore[arg-type]


def _units(database: str) -> list[tuple[Any, ...]]:
    return _query(database, "SELECT code, name FROM accounts_orgunit ORDER BY code")


def _env(home: Path, database: str) -> dict[str, str]:
    return {
        "PMO_HOME": str(home),
        "PMO_DATABASE_URL": _URL._replace(path=f"/{database}").geturl(),
    }


def test_backup_and_restore_of_a_postgresql_database(tmp_path: Path, scratch: str) -> None:
    # given a migrated PostgreSQL database with two organisational units, and an upload
    home = tmp_path / "site"
    env = _env(home, scratch)
    assert run_pmo("migrate", "-v", "0", env=env) == (0, "")
    _query(
        scratch,
        "INSERT INTO accounts_orgunit "
        "(created_at, updated_at, version, name, name_zh, code, kind, path, parent_id) VALUES "
        "(now(), now(), 0, 'Finance', '财务', 'FIN', 'department', '/1/', NULL), "
        "(now(), now(), 0, 'Sales', '销售', 'SAL', 'department', '/2/', NULL)",
    )
    (home / "var/media/deliverables/7").mkdir(parents=True)
    (home / "var/media/deliverables/7/charter.pdf").write_bytes(b"%PDF-1.4 charter")
    before = _units(scratch)
    assert before == [("FIN", "Finance"), ("SAL", "Sales")]

    # when it is backed up
    archive = tmp_path / "nightly.tar.gz"
    assert run_pmo("backup", "--out", str(archive), env=env) == (0, "")

    # then the archive holds pg_dump's dump, the media and a manifest naming the engine
    with tarfile.open(archive) as opened:
        assert sorted(opened.getnames()) == [
            "manifest.json",
            "media/deliverables/7/charter.pdf",
            "pmo.pgdump",
        ]
        manifest = json.loads(opened.extractfile("manifest.json").read())  # type: ignore[union-attr]
        dump = opened.extractfile("pmo.pgdump").read()  # type: ignore[union-attr]
    assert dump.startswith(b"PGDMP")  # pg_dump's custom format
    assert manifest["engine"] == "postgresql" and manifest["database"] == "pmo.pgdump"
    assert manifest["tables"] > 50 and manifest["media_files"] == 1

    # given the data changed afterwards: a unit deleted, one renamed, the upload replaced
    _query(scratch, "DELETE FROM accounts_orgunit WHERE code = 'FIN'")
    _query(scratch, "UPDATE accounts_orgunit SET name = 'Renamed' WHERE code = 'SAL'")
    (home / "var/media/deliverables/7/charter.pdf").unlink()
    (home / "var/media/later.txt").write_text("after the backup")
    changed = _units(scratch)

    # when it is restored without --force, then it is refused and nothing changes
    code, stderr = run_pmo("restore", str(archive), env=env)
    assert code == 1
    assert problem_line(stderr) == (
        f"pmo restore: error: the database {scratch} ({WHERE}) already holds data: "
        "give --force to replace it (stop pmo serve and any pmo db_worker first)"
    )
    assert _units(scratch) == changed

    # when a damaged dump fails half-way, then the database and the media are as they were
    broken = tmp_path / "broken.tar.gz"
    rewrite_archive(
        archive, broken, lambda name, data: data[:-200] if name == "pmo.pgdump" else data
    )
    database = _postgres(scratch)
    with pytest.raises(backup.BackupError, match=r"^pg_restore failed: "):
        backup.restore_backup(broken, database, home / "var/media", force=True)
    assert _units(scratch) == changed
    assert (home / "var/media/later.txt").exists()

    # when it is restored with --force, then the data and the uploads are the backup's
    code, stderr = run_pmo("restore", str(archive), "--force", env=env)
    assert (code, stderr) == (0, "")
    assert _units(scratch) == before
    assert (home / "var/media/deliverables/7/charter.pdf").read_bytes() == b"%PDF-1.4 charter"
    assert not (home / "var/media/later.txt").exists()
    assert not list(home.joinpath("var").glob(".pmo-restore-*"))

    # and a PostgreSQL backup is not restored into SQLite
    sqlite_env = {"PMO_HOME": str(tmp_path / "other")}
    sqlite_env["PMO_DATABASE_URL"] = f"sqlite:///{tmp_path / 'other/pmo.sqlite3'}"
    code, stderr = run_pmo("restore", str(archive), "--force", env=sqlite_env)
    assert code == 1
    assert problem_line(stderr) == (
        f"pmo restore: error: {archive} is a PostgreSQL backup; the configured database is SQLite"
    )
    assert not (tmp_path / "other/pmo.sqlite3").exists()


def _sqlite_archive(tmp_path: Path, *, engine: bool) -> Path:
    """A SQLite backup; without ``engine``, as written before the manifest named it."""
    import sqlite3

    source = tmp_path / "source.sqlite3"
    sqlite3.connect(source).execute("CREATE TABLE t (n INTEGER)").connection.close()
    archive = tmp_path / "sqlite.tar.gz"
    backup.write_backup(archive, source, tmp_path / "no-media", "test")
    if engine:
        return archive
    old = tmp_path / "old.tar.gz"

    def drop_engine(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        del manifest["engine"]
        return json.dumps(manifest).encode()

    rewrite_archive(archive, old, drop_engine)
    return old


@pytest.mark.parametrize("engine", [True, False], ids=["sqlite", "before-engines"])
def test_a_sqlite_backup_is_not_restored_into_postgresql(
    tmp_path: Path, scratch: str, engine: bool
) -> None:
    archive = _sqlite_archive(tmp_path, engine=engine)
    code, stderr = run_pmo("restore", str(archive), "--force", env=_env(tmp_path, scratch))
    assert code == 1
    assert problem_line(stderr) == (
        f"pmo restore: error: {archive} is a SQLite backup; the configured database is PostgreSQL"
    )
    assert _query(scratch, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_without_pg_dump_the_backup_is_one_line_and_no_archive(
    tmp_path: Path, scratch: str
) -> None:
    (tmp_path / "empty-bin").mkdir()
    archive = tmp_path / "out/b.tar.gz"
    archive.parent.mkdir()
    env = {**_env(tmp_path, scratch), "PATH": str(tmp_path / "empty-bin")}
    code, stderr = run_pmo("backup", "--out", str(archive), env=env)
    assert code == 1
    assert problem_line(stderr) == (
        "pmo backup: error: cannot run pg_dump: No such file or directory "
        "(install PostgreSQL's client tools, e.g. apt install postgresql-client)"
    )
    assert list(archive.parent.iterdir()) == []


def test_a_failing_pg_dump_is_its_first_error_without_the_password(
    tmp_path: Path, scratch: str, monkeypatch: Any
) -> None:
    # given a pg_dump that records how it was called, then fails echoing the password
    record = tmp_path / "called.json"
    tool = tmp_path / "pg_dump"
    tool.write_text(
        "#!/usr/bin/env python3\n"
        "import json, os, sys\n"
        f"json.dump([sys.argv, os.environ.get('PGPASSWORD')], open({str(record)!r}, 'w'))\n"
        "print('pg_dump: dumping contents of table \"public.t\"', file=sys.stderr)\n"
        "print('pg_dump: error: query failed: password s3cret! rejected', file=sys.stderr)\n"
        "print('pg_dump: error: the second problem', file=sys.stderr)\n"
        "sys.exit(1)\n"
    )
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(backup, "PG_DUMP", str(tool))
    database = _postgres(scratch, password="s3cret!")
    out = tmp_path / "out/b.tar.gz"
    out.parent.mkdir()
    steps: list[tuple[int, int]] = []
    # when it is run, then the error is its first line, the password hidden, no archive left
    with pytest.raises(backup.BackupError) as failed:
        backup.write_backup(out, database, tmp_path / "media", "test", lambda *s: steps.append(s))
    assert str(failed.value) == "pg_dump failed: query failed: password *** rejected"
    assert list(out.parent.iterdir()) == []
    assert steps == [(1, 1)]
    # and the password went in the environment, never on the command line
    arguments, password = json.loads(record.read_text())
    assert password == "s3cret!"
    assert not any("s3cret" in argument for argument in arguments)
    assert f"--dbname={scratch}" in arguments and "--format=custom" in arguments
    assert "--no-owner" in arguments and "--no-privileges" in arguments
