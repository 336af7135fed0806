"""``pmo backup`` and ``pmo restore``: a consistent copy of a live SQLite database, and back.

PostgreSQL's are in test_backup_postgresql.py.

Real files throughout: a database in WAL mode written by another connection during the
copy, the archive opened with ``tarfile`` and the copy with ``sqlite3``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sqlite3
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmo.core import backup
from pmo.core.tests.test_cli_bad_input import PMO, problem_line, run_pmo


def rewrite_archive(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Copy the archive ``source`` to ``target``, each file member's bytes through ``change``
    (its name, its bytes)."""
    with tarfile.open(source) as reading, tarfile.open(target, "w:gz") as writing:
        for member in reading.getmembers():
            stream = reading.extractfile(member)
            if stream is None:
                writing.addfile(member)
                continue
            data = change(member.name, stream.read())
            member.size = len(data)
            writing.addfile(member, io.BytesIO(data))


def _database(path: Path, batches: int = 200) -> None:
    """A WAL database of ``batches`` batches of 10 rows, each batch one transaction."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE scenario (batch INTEGER, n INTEGER, text TEXT)")
        for batch in range(batches):
            _write_batch(db, batch)


def _write_batch(db: sqlite3.Connection, batch: int) -> None:
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT INTO scenario VALUES (?, ?, ?)", [(batch, n, "x" * 500) for n in range(10)]
    )
    db.execute("COMMIT")


def _batches(path: Path) -> dict[int, int]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT batch, count(*) FROM scenario GROUP BY batch").fetchall()
    return dict(rows)


def test_a_just_committed_write_is_in_the_copy(tmp_path: Path) -> None:
    # given a write committed a moment ago, still only in the write-ahead log
    live = tmp_path / "pmo.sqlite3"
    _database(live, batches=1)
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    _write_batch(writer, 1)
    assert (tmp_path / "pmo.sqlite3-wal").stat().st_size > 0
    # when the database is copied while that connection stays open
    copy = tmp_path / "copy.sqlite3"
    tables = backup.copy_database(live, copy)
    writer.close()
    # then the copy, one file on its own, holds it
    assert tables == 1
    assert _batches(copy) == {0: 10, 1: 10}
    assert not (tmp_path / "copy.sqlite3-wal").exists()


def test_a_copy_while_another_connection_writes_is_one_moment(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # given a database copied in many steps, another connection committing between them
    live = tmp_path / "pmo.sqlite3"
    _database(live)
    monkeypatch.setattr(backup, "PAGES_PER_STEP", 5)
    writer = sqlite3.connect(live, isolation_level=None)
    steps: list[tuple[int, int]] = []

    def step(done: int, total: int) -> None:
        steps.append((done, total))
        if len(steps) <= 10:
            _write_batch(writer, 199 + len(steps))

    # when the copy runs
    backup.copy_database(live, tmp_path / "copy.sqlite3", step)
    writer.close()
    # then it is the database as of its start: whole transactions, none of the later ones
    copied = _batches(tmp_path / "copy.sqlite3")
    assert copied == dict.fromkeys(range(200), 10)
    assert len(_batches(live)) == 210
    # and its progress only went forward: the writes did not make it start over
    assert len(steps) > 20 and steps == sorted(steps) and steps[-1][0] == steps[-1][1]


def _env(home: Path) -> dict[str, str]:
    return {"PMO_HOME": str(home), "PMO_DATABASE_URL": f"sqlite:///{home / 'var/pmo.sqlite3'}"}


def test_backup_and_restore_round_trip_through_the_command_line(tmp_path: Path) -> None:
    import subprocess

    home = tmp_path / "site"
    (home / "var/media/deliverables/7").mkdir(parents=True)
    (home / "var/media/deliverables/7/charter.pdf").write_bytes(b"%PDF-1.4 charter")
    _database(home / "var/pmo.sqlite3", batches=3)
    archive = tmp_path / "nightly.tar.gz"

    code, stderr = run_pmo("backup", "--out", str(archive), env=_env(home))
    assert (code, stderr) == (0, "")
    with tarfile.open(archive) as opened:
        assert sorted(opened.getnames()) == [
            "manifest.json",
            "media/deliverables/7/charter.pdf",
            "pmo.sqlite3",
        ]
    # an existing archive is kept unless --force
    code, stderr = run_pmo("backup", "--out", str(archive), env=_env(home))
    assert code == 1
    assert (
        problem_line(stderr) == f"pmo backup: error: {archive} exists: give --force to replace it"
    )
    assert run_pmo("backup", "--out", str(archive), "--force", env=_env(home))[0] == 0

    # restored on another machine (an empty home)
    other = tmp_path / "other"
    done = subprocess.run(
        [str(PMO), "restore", str(archive)],
        env={**_clean(), **_env(other)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout and "next: pmo migrate" in done.stdout
    assert _batches(other / "var/pmo.sqlite3") == {0: 10, 1: 10, 2: 10}
    assert (other / "var/media/deliverables/7/charter.pdf").read_bytes() == b"%PDF-1.4 charter"

    # a database with data is replaced only with --force
    code, stderr = run_pmo("restore", str(archive), env=_env(other))
    assert code == 1
    assert "already holds data: give --force to replace it" in problem_line(stderr)


def _clean() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PMO_", "DJANGO_"))}
    return {**env, "PMO_ALLOW_DEV_KEY": "1"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["restore", "/etc/hostname"], "is not a readable .tar.gz backup"),
        (["restore", "/nonexistent.tar.gz"], "/nonexistent.tar.gz does not exist"),
    ],
)
def test_a_file_that_is_not_a_backup_is_one_line(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    code, stderr = run_pmo(*arguments, "--force", env=_env(tmp_path))
    assert code == 1
    assert message in problem_line(stderr)


def test_an_archive_with_foreign_members_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as opened:
        opened.add(__file__, "../escape.py")
    with pytest.raises(
        backup.BackupError, match=re.escape("is not a PMO Hub backup: it holds '../escape.py'")
    ):
        backup.restore_backup(archive, tmp_path / "db.sqlite3", tmp_path / "media", force=True)
    assert not (tmp_path.parent / "escape.py").exists()


def test_an_archive_from_before_engines_were_named_is_sqlite(tmp_path: Path) -> None:
    # given a backup whose manifest has no engine, as every archive before PostgreSQL's
    source = tmp_path / "source.sqlite3"
    _database(source, batches=2)
    new = tmp_path / "new.tar.gz"
    backup.write_backup(new, source, tmp_path / "no-media", "test")
    archive = tmp_path / "old.tar.gz"

    def drop_engine(name: str, data: bytes) -> bytes:
        if name != backup.MANIFEST_MEMBER:
            return data
        manifest = json.loads(data)
        assert manifest.pop("engine") == "sqlite"
        return json.dumps(manifest).encode()

    rewrite_archive(new, archive, drop_engine)
    # when it is restored, then it is read as SQLite's
    restored = backup.restore_backup(archive, tmp_path / "db.sqlite3", tmp_path / "m", force=False)
    assert restored.manifest["engine"] == "sqlite"
    assert _batches(tmp_path / "db.sqlite3") == {0: 10, 1: 10}


def test_restore_over_a_database_with_a_pending_write_ahead_log(tmp_path: Path) -> None:
    # given a backup of three batches, and a live database of five whose last is in its WAL
    source = tmp_path / "source.sqlite3"
    _database(source, batches=3)
    media = tmp_path / "var/media"
    (media / "old").mkdir(parents=True)
    (media / "old/gone.txt").write_text("before")
    archive = tmp_path / "b.tar.gz"
    backup.write_backup(archive, source, tmp_path / "no-media", "test")
    live = tmp_path / "var/pmo.sqlite3"
    _database(live, batches=4)
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    _write_batch(writer, 4)  # the connection stays open: its WAL is not checkpointed
    assert (tmp_path / "var/pmo.sqlite3-wal").stat().st_size > 0
    # when it is restored without --force, then with it
    with pytest.raises(backup.BackupError, match="already holds data"):
        backup.restore_backup(archive, live, media, force=False)
    assert len(_batches(live)) == 5
    restored = backup.restore_backup(archive, live, media, force=True)
    writer.close()
    # then the database and the media folder are the backup's, nothing of the old left
    assert _batches(live) == {0: 10, 1: 10, 2: 10}
    assert restored.media_files == 0 and list(media.iterdir()) == []
    assert restored.manifest["version"] == "test" and restored.manifest["tables"] == 1


def test_an_archive_whose_database_is_not_one_names_the_archive(tmp_path: Path) -> None:
    # given a backup whose database member was replaced by text
    source = tmp_path / "source.sqlite3"
    _database(source, batches=1)
    good = tmp_path / "good.tar.gz"
    backup.write_backup(good, source, tmp_path / "no-media", "test")
    archive = tmp_path / "bad.tar.gz"
    garbage = b"not a database at all, " * 100
    rewrite_archive(
        good, archive, lambda name, data: garbage if name == backup.DATABASE_MEMBER else data
    )
    target = tmp_path / "fresh.sqlite3"
    # when it is restored, then the archive is blamed, not the database restored into
    with pytest.raises(backup.BackupError) as refused:
        backup.restore_backup(archive, target, tmp_path / "media", force=True)
    message = str(refused.value)
    assert message.startswith(f"the database in {archive} is damaged"), message
    assert str(target) not in message
