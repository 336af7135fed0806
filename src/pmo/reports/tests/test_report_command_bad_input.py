"""``pmo report onepage`` refuses bad input in one line, before building, and writes nothing.

A folder as ``--out``, an unknown extension, a week that has not started or a mistyped
portfolio code used to give a stray ``.part`` file, a traceback or a real-looking page.
"""

from __future__ import annotations

import datetime as dt
import errno
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from pmo.portfolio.periods import period_of


def _next_week() -> str:
    return period_of(timezone.localdate() + dt.timedelta(days=7), "weekly").key


def _refused(*arguments: str) -> str:
    """The one-line message of the refused command."""
    with pytest.raises(CommandError) as refused:
        call_command("report", "onepage", *arguments)
    message = str(refused.value)
    assert "\n" not in message
    return message


@pytest.fixture
def building(monkeypatch: Any) -> list[str]:
    """Records every build of the page: a refused command must not have built one."""
    from pmo.reports.onepage import build

    calls: list[str] = []
    real = build.build_onepage

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append("built")
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "build_onepage", spy)
    return calls


@pytest.mark.parametrize("suffix", ["", "/"])
def test_a_folder_as_out_is_refused_before_building_and_leaves_nothing(
    db: Any, tmp_path: Path, building: list[str], suffix: str
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    message = _refused("--out", f"{folder}{suffix}")
    assert message == (
        f"--out {folder}{suffix} is a folder: give a file name, e.g. {folder}/report.pdf"
    )
    assert building == []
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["reports"]


def test_the_root_folder_and_an_empty_name_are_one_line(db: Any, building: list[str]) -> None:
    assert _refused("--out", "/") == "--out / is a folder: give a file name, e.g. /report.pdf"
    assert _refused("--out", "") == "--out is empty: give a file name, e.g. report.pdf"
    assert building == []


def test_a_failed_write_names_the_users_file_and_removes_the_part_file(
    users: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    out = tmp_path / "x.pdf"

    def refuse(source: Any, target: Any) -> None:
        assert Path(source).exists()  # the whole page was in the temporary file
        raise OSError(errno.EXDEV, "Invalid cross-device link", str(source))

    monkeypatch.setattr("pmo.core.files.os.replace", refuse)
    message = _refused("--out", str(out))
    assert message == f"cannot write {out}: Invalid cross-device link"
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_extension_is_refused_unless_the_format_is_given(
    users: Any, tmp_path: Path, building: list[str]
) -> None:
    doc = tmp_path / "x.doc"
    assert _refused("--out", str(doc)) == (
        f"--out {doc}: unknown extension .doc; use .html, .pdf, .pptx or .xlsx (or give --format)"
    )
    assert (building, list(tmp_path.iterdir())) == ([], [])
    call_command("report", "onepage", "--out", str(doc), "--format", "pdf")
    assert doc.read_bytes().startswith(b"%PDF")


def test_a_week_that_has_not_started_is_refused(
    users: Any, tmp_path: Path, building: list[str]
) -> None:
    this_week = period_of(timezone.localdate(), "weekly").key
    message = _refused("--out", str(tmp_path / "x.pdf"), "--period", _next_week())
    assert message == f"--period: {_next_week()} has not started yet (this week is {this_week})"
    assert (building, list(tmp_path.iterdir())) == ([], [])


def test_this_week_is_accepted(users: Any, tmp_path: Path) -> None:
    this_week = period_of(timezone.localdate(), "weekly").key
    call_command("report", "onepage", "--out", str(tmp_path / "x.html"), "--period", this_week)
    assert (tmp_path / "x.html").exists()


@pytest.mark.parametrize("period", ["lastweek", "2026-10"])
def test_a_period_that_is_not_a_week_is_told_to_use_a_week(
    db: Any, tmp_path: Path, period: str
) -> None:
    message = _refused("--out", str(tmp_path / "x.pdf"), "--period", period)
    assert message == (
        f"--period: “{period}” is not a period of this report: use a week like 2026-W40"
    )


@pytest.mark.parametrize(
    ("option", "code", "message"),
    [
        ("--portfolio", "NOPE", "--portfolio: no such code “NOPE”: one of STRAT"),
        ("--program", "NOPE", "--program: no such code “NOPE”: one of CORE, DIGI"),
        (
            "--org-unit",
            "NOPE",
            "--org-unit: no such code “NOPE”: one of cn, grp, sh, uk, uk-it",
        ),
        (
            "--portfolio",
            "strat",
            "--portfolio: no such code “strat”: did you mean STRAT? (codes are case-sensitive)",
        ),
    ],
)
def test_an_unknown_code_is_refused_with_the_valid_ones(
    users: Any, portfolio: Any, tmp_path: Path, option: str, code: str, message: str
) -> None:
    assert _refused("--out", str(tmp_path / "x.pdf"), option, code) == message
    assert list(tmp_path.iterdir()) == []


def test_the_api_refuses_a_week_that_has_not_started(client: Any, users: Any) -> None:
    client.force_login(users["exec"])
    response = client.get("/api/v1/reports/onepage", {"period": _next_week()})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "period"
    assert "has not started yet" in response.json()["errors"][0]["message"]


def test_the_api_refuses_an_unknown_portfolio(client: Any, users: Any, portfolio: Any) -> None:
    client.force_login(users["exec"])
    response = client.get("/api/v1/reports/onepage", {"portfolio": "NOPE"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "portfolio", "message": "no such code “NOPE”: one of STRAT"}
    ]


def test_the_api_quotes_a_typed_code_on_one_line_and_cut_short(
    client: Any, users: Any, portfolio: Any
) -> None:
    # given codes typed with a line break, in Chinese, and far too long
    client.force_login(users["exec"])
    messages = [
        client.get("/api/v1/reports/onepage", {"portfolio": typed}).json()["errors"][0]["message"]
        for typed in ("NO\nPE", "组合", "X" * 100)
    ]
    # then each is quoted “…”: the break shown as \n, Chinese as typed, the long one cut
    assert messages == [
        "no such code “NO\\nPE”: one of STRAT",
        "no such code “组合”: one of STRAT",
        f"no such code “{'X' * 59}…”: one of STRAT",
    ]


def test_the_api_refuses_an_unknown_pmo_type_and_names_the_field(client: Any, users: Any) -> None:
    client.force_login(users["exec"])
    response = client.get("/api/v1/reports/onepage", {"pmo_type": "nope"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "pmo_type" and error["message"].startswith(
        "no PMO type “nope”: one of"
    )
    # the project list's enum filter names its field plainly too (not "pmo_type.str-enum[...]")
    listed = client.get("/api/v1/projects", {"pmo_type": "nope"})
    assert listed.status_code == 422
    assert [e["field"] for e in listed.json()["errors"]] == ["pmo_type"]
