"""Which formats the one-page report has is decided once (``check_onepage_format``): the web
download's address and ``pmo report onepage --out`` ask it, and an unknown extension is
refused on each path before anything is built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pmo.reports.checks import UnknownFormatError, check_onepage_format
from pmo.reports.forms import FORMATS

UNKNOWN_DOC = "unknown extension .doc; use .html, .pdf, .pptx or .xlsx"


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_of_the_report_is_known(fmt: str) -> None:
    assert check_onepage_format(fmt) == fmt


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        ("doc", UNKNOWN_DOC),
        ("PDF", "unknown extension .PDF; use .html, .pdf, .pptx or .xlsx"),
        ("json", "unknown extension .json; use .html, .pdf, .pptx or .xlsx"),
        ("", "unknown extension .; use .html, .pdf, .pptx or .xlsx"),
    ],
)
def test_another_extension_is_refused_naming_the_known_ones(extension: str, message: str) -> None:
    with pytest.raises(UnknownFormatError) as refused:
        check_onepage_format(extension)
    assert str(refused.value) == message


@pytest.fixture
def built(monkeypatch: Any) -> list[str]:
    """Records every build of the page, on the web path and the command's."""
    from pmo.reports import views
    from pmo.reports.onepage import build

    calls: list[str] = []

    def spy(real: Any) -> Any:
        def recorded(*args: Any, **kwargs: Any) -> Any:
            calls.append("built")
            return real(*args, **kwargs)

        return recorded

    monkeypatch.setattr(views, "build_onepage", spy(views.build_onepage))
    monkeypatch.setattr(build, "build_onepage", spy(build.build_onepage))
    return calls


@pytest.mark.parametrize("address", ["/reports/onepage.doc", "/reports/onepage.PDF"])
def test_the_web_download_of_an_unknown_extension_is_a_404_before_building(
    client: Any, users: Any, built: list[str], address: str
) -> None:
    client.force_login(users["viewer"])
    page = client.get(address, {"scope": "all"})
    assert page.status_code == 404
    assert page.templates[0].name == "404.html"
    assert address in page.content.decode()
    assert "Content-Disposition" not in page
    assert built == []
    # the known extension of the same address is the download
    known = client.get("/reports/onepage.xlsx", {"scope": "all"})
    assert known.status_code == 200
    assert known["Content-Disposition"].endswith('.xlsx"')
    assert known.content.startswith(b"PK")
    assert built == ["built"]


def test_the_command_refuses_an_unknown_extension_in_one_line_before_building(
    users: Any, tmp_path: Path, built: list[str]
) -> None:
    doc = tmp_path / "x.doc"
    with pytest.raises(CommandError) as refused:
        call_command("report", "onepage", "--out", str(doc))
    assert str(refused.value) == f"--out {doc}: {UNKNOWN_DOC} (or give --format)"
    assert (built, list(tmp_path.iterdir())) == ([], [])


def test_the_command_reads_an_extension_in_any_letter_case(users: Any, tmp_path: Path) -> None:
    out = tmp_path / "x.PPTX"
    call_command("report", "onepage", "--out", str(out))
    assert out.read_bytes().startswith(b"PK")
    from pptx import Presentation

    assert len(Presentation(str(out)).slides) >= 1
