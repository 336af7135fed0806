"""Bad configuration ends ``pmo`` with one line naming the variable, never a traceback.

These run the real console script (``.venv/bin/pmo``) in a child process: settings are read
once per process, so a bad value can only be seen there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pmo.core.files import check_output_path, write_atomically

PMO = Path(sys.executable).with_name("pmo")


def run_pmo(*arguments: str, env: dict[str, str], cwd: Path | None = None) -> tuple[int, str]:
    """Exit code and stderr of ``pmo ARGUMENTS`` with ``env`` over a clean development set-up."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PMO_", "DJANGO_"))}
    base.update({"PMO_ALLOW_DEV_KEY": "1", "PMO_DATABASE_URL": "sqlite:///:memory:"}, **env)
    done = subprocess.run(
        [str(PMO), *arguments], env=base, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    return done.returncode, done.stderr


def problem_line(stderr: str) -> str:
    """The one line saying what is wrong (argparse's usage lines aside)."""
    assert "Traceback" not in stderr, stderr
    lines = [
        line
        for line in stderr.splitlines()
        if line.strip() and not line.startswith(("usage:", " "))
    ]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "PMO_DATABASE_URL",
            "nonsense",
            "pmo: error: PMO_DATABASE_URL must be a PostgreSQL or SQLite URL like "
            "postgres://USER:PASSWORD@HOST:5432/NAME or sqlite:////path/to/pmo.sqlite3, "
            "got 'nonsense'",
        ),
        (
            "PMO_TIME_ZONE",
            "Mars/Base",
            "pmo: error: PMO_TIME_ZONE must be a time zone name like Asia/Shanghai or "
            "Europe/London, got 'Mars/Base'",
        ),
        (
            "PMO_MAX_UPLOAD_MB",
            "abc",
            "pmo: error: PMO_MAX_UPLOAD_MB must be a whole number, got 'abc'",
        ),
        (
            "PMO_LOGIN_FAILURE_LIMIT",
            "x",
            "pmo: error: PMO_LOGIN_FAILURE_LIMIT must be a whole number, got 'x'",
        ),
        (
            "PMO_LOGIN_LOCKOUT_MINUTES",
            "0",
            "pmo: error: PMO_LOGIN_LOCKOUT_MINUTES must be from 1 to 527040, got 0",
        ),
        ("PMO_LANGUAGE", "fr", "pmo: error: PMO_LANGUAGE must be one of en, zh-hans, got 'fr'"),
        (
            "PMO_BASE_CURRENCY",
            "XAU",
            "pmo: error: PMO_BASE_CURRENCY must be the ISO 4217 code of a country's or area's "
            "money like CNY or USD, got 'XAU'",
        ),
        (
            "PMO_HTTPS",
            "maybe",
            "pmo: error: PMO_HTTPS must be 1 or 0 (or true/false, yes/no, on/off), got 'maybe'",
        ),
    ],
)
def test_a_bad_variable_is_one_line_naming_it(variable: str, value: str, message: str) -> None:
    code, stderr = run_pmo("check", env={variable: value})
    assert code == 1
    assert problem_line(stderr) == message


def test_a_database_password_is_not_printed() -> None:
    code, stderr = run_pmo("check", env={"PMO_DATABASE_URL": "postgres://me:s3cret@db:x/pmo"})
    assert code == 1
    assert "s3cret" not in stderr
    assert problem_line(stderr).endswith("got 'postgres://...@db:x/pmo'")


def test_serve_names_pmo_port_when_it_came_from_the_environment() -> None:
    code, stderr = run_pmo("serve", env={"PMO_PORT": "99999"})
    assert code == 1
    assert problem_line(stderr) == "pmo serve: error: PMO_PORT: a port is 1 to 65535, got 99999"


def test_bench_without_a_name_asks_only_for_the_name() -> None:
    code, stderr = run_pmo("bench", env={})
    assert (code, stderr) == (
        2,
        "pmo bench: error: the following arguments are required: NAME (see pmo bench --help)\n",
    )


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (  # argparse named the parent, "pmo token", whose usage does not know --bogus
            ["token", "create", "x", "--bogus"],
            "pmo token create: error: unrecognized arguments: --bogus "
            "(see pmo token create --help)",
        ),
        (
            ["import", "bogus", "x.xml"],
            "pmo import: error: argument format: invalid choice: 'bogus' (choose from "
            "'msproject', 'xlsx') (see pmo import --help)",
        ),
        (
            ["report", "onepage"],
            "pmo report onepage: error: the following arguments are required: --out "
            "(see pmo report onepage --help)",
        ),
        (
            ["bench", "cpm", "--tasks", "0"],
            "pmo bench cpm: error: --tasks must be >= 1, got 0 (see pmo bench cpm --help)",
        ),
    ],
)
def test_an_argument_error_is_one_line_naming_the_command(arguments: list[str], line: str) -> None:
    code, stderr = run_pmo(*arguments, env={})
    assert (code, stderr) == (2, f"{line}\n")


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (
            ["import", "msproject", "{tmp}/missing.xml"],
            "pmo import: error: {tmp}/missing.xml: No such file or directory",
        ),
        (  # a subcommand's error names the subcommand, as its argument errors do
            ["report", "onepage", "--out", "{tmp}/no/r.pdf"],
            "pmo report onepage: error: --out {tmp}/no/r.pdf: the folder {tmp}/no does not exist",
        ),
        (
            ["bench", "nope"],
            "pmo bench: error: unknown benchmark 'nope'; choose one of: cpm, impact, rcpsp, "
            "rcpsp-generate, portfolio-leveling",
        ),
    ],
)
def test_a_runtime_error_is_one_line_naming_the_command(
    tmp_path: Path, arguments: list[str], line: str
) -> None:
    # where Django prints "CommandError: ...", ours name the command as argument errors do
    code, stderr = run_pmo(*(a.format(tmp=tmp_path) for a in arguments), env={})
    assert (code, stderr) == (1, line.format(tmp=tmp_path) + "\n")


def test_a_runtime_error_keeps_its_exit_code_and_traceback_still_raises(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from django.core.management.base import CommandError

    from pmo.core.commands import OneLineCommand

    class Command(OneLineCommand):
        def handle(self, *args: object, **options: object) -> None:
            raise CommandError("the disk is full", returncode=3)

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["pmo", "fill"])
    assert exited.value.code == 3
    assert capsys.readouterr().err == "pmo fill: error: the disk is full\n"
    with pytest.raises(CommandError):
        Command().run_from_argv(["pmo", "fill", "--traceback"])


def test_good_values_are_accepted(tmp_path: Path) -> None:
    code, stderr = run_pmo(
        "check",
        env={
            "PMO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "PMO_TIME_ZONE": "Europe/London",
            "PMO_LANGUAGE": "zh-Hans",
            "PMO_MAX_UPLOAD_MB": " 50 ",
            "PMO_HTTPS": "off",
        },
    )
    assert (code, stderr) == (0, "")


# The file helper behind --out.


def test_check_output_path_names_a_folder_and_a_missing_folder(tmp_path: Path) -> None:
    assert check_output_path(str(tmp_path / "a.pdf")) is None
    assert check_output_path(str(tmp_path)) == (
        f"--out {tmp_path} is a folder: give a file name, e.g. {tmp_path}/report.pdf"
    )
    assert check_output_path(f"{tmp_path}/new/") == (
        f"--out {tmp_path}/new/ is a folder: give a file name, e.g. {tmp_path}/new/report.pdf"
    )
    assert check_output_path(str(tmp_path / "no" / "a.pdf")) == (
        f"--out {tmp_path}/no/a.pdf: the folder {tmp_path}/no does not exist"
    )


def test_write_atomically_replaces_the_whole_file_and_leaves_no_part_file(
    tmp_path: Path,
) -> None:
    out = tmp_path / "a.pdf"
    out.write_bytes(b"old")
    write_atomically(out, b"new content")
    assert out.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_a_failed_write_keeps_the_old_file_and_names_the_users_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "a.pdf"
    out.write_bytes(b"old")

    def refuse(source: str, target: str) -> None:
        raise PermissionError(13, "Permission denied", source)

    monkeypatch.setattr("pmo.core.files.os.replace", refuse)
    with pytest.raises(OSError) as failed:
        write_atomically(out, b"new")
    assert failed.value.filename == str(out)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_write_atomically_writes_through_a_link_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.xml"
    target.write_bytes(b"old")
    link = tmp_path / "link.xml"
    link.symlink_to(target)
    write_atomically(link, b"new")
    assert link.is_symlink()
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.xml", "real.xml"]


def test_write_atomically_keeps_the_permission_bits(tmp_path: Path) -> None:
    out = tmp_path / "secret.xml"
    out.write_bytes(b"old")
    out.chmod(0o600)
    write_atomically(out, b"new")
    assert (out.read_bytes(), out.stat().st_mode & 0o777) == (b"new", 0o600)


def test_write_atomically_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    with pytest.raises(OSError) as failed:
        write_atomically(fifo, b"new")
    assert (failed.value.filename, failed.value.strerror) == (
        str(fifo),
        "it is a named pipe (FIFO), not a regular file",
    )
    assert fifo.is_fifo()


def test_check_output_path_names_what_is_not_a_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    assert check_output_path(str(fifo), example="plan.xml") == (
        f"--out {fifo} is a named pipe (FIFO), not a regular file: give a file name, e.g. plan.xml"
    )
    assert check_output_path("/dev/full", example="plan.xml") == (
        "--out /dev/full is a device, not a regular file: give a file name, e.g. plan.xml"
    )
    link = tmp_path / "link.xml"
    link.symlink_to(tmp_path / "missing" / "x.xml")
    assert check_output_path(str(link)) == (
        f"--out {link}: the folder {tmp_path}/missing does not exist"
    )


@pytest.mark.parametrize("arguments", [["import", "--help"], ["--version"], ["help", "export"]])
def test_help_and_version_need_no_secret_key(arguments: list[str]) -> None:
    code, stderr = run_pmo(*arguments, env={"PMO_ALLOW_DEV_KEY": ""})
    assert (code, stderr) == (0, "")


def test_a_command_still_needs_the_key_even_with_help_after_a_double_dash() -> None:
    code, stderr = run_pmo("import", "msproject", "--", "--help", env={"PMO_ALLOW_DEV_KEY": ""})
    assert code == 1
    assert problem_line(stderr).startswith("pmo: error: PMO_SECRET_KEY is not set")


def test_pmo_version_names_pmo_hub_not_only_django(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    from pmo.cli import main

    main(["--version"])
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"PMO Hub {version('pmo-hub')} (Django {version('django')}, Python ")
