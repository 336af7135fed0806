"""The Simplified Chinese catalogue is complete, compiled and used.

The .mo file is committed (``make demo`` must work without gettext), so these
tests also guard against a .po edited without recompiling it.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django.utils import translation

PACKAGE_DIR = Path(__file__).resolve().parents[2]
LOCALE_DIR = PACKAGE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
# The plural of the status-center count (kept out of gettext calls so makemessages ignores it).
PROJECTS = ("%(n)s project", "%(n)s projects")
MO_PATH = LOCALE_DIR / "django.mo"


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _pairs(catalog: dict[Any, str]) -> set[tuple[str, str]]:
    """(key, msgstr) pairs of a ``GNUTranslations`` catalogue, header left out.

    Keys are ``msgid``, ``ctx\\x04msgid`` or ``(msgid, plural index)``; they are made
    comparable as strings.
    """
    pairs = set()
    for key, value in catalog.items():
        if key == "":
            continue
        pairs.add((repr(key), value))
    return pairs


def _read_mo(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


# (a) complete ----------------------------------------------------------------------------------


def test_po_has_no_untranslated_entries(po: polib.POFile) -> None:
    missing = [entry.msgid for entry in po.untranslated_entries() if not entry.obsolete]
    assert missing == []


def test_po_has_no_fuzzy_entries(po: polib.POFile) -> None:
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy: msgfmt would drop it"


def test_po_has_no_empty_plural_forms(po: polib.POFile) -> None:
    for entry in po:
        if entry.msgid_plural:
            assert entry.msgstr_plural, entry.msgid
            assert all(value.strip() for value in entry.msgstr_plural.values()), entry.msgid


def test_po_header_declares_chinese_plural_rule(po: polib.POFile) -> None:
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_python_format_placeholders_are_kept(po: polib.POFile) -> None:
    """A translation keeps every ``%(name)s`` of its msgid (or the page raises KeyError). A
    plural's forms keep those of the plural msgid: Chinese has one form for every count, and
    the English singular may leave the count out ("Remind the manager of the project ...")."""
    named = re.compile(r"%\(\w+\)[sd]")
    for entry in po.translated_entries():
        expected = sorted(named.findall(entry.msgid_plural or entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(named.findall(text)) == expected, entry.msgid


# (b) compiled ----------------------------------------------------------------------------------


def test_committed_mo_is_up_to_date(po: polib.POFile, tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    expected = _pairs(_read_mo(fresh)._catalog)  # type: ignore[attr-defined]
    committed = _pairs(_read_mo(MO_PATH)._catalog)  # type: ignore[attr-defined]
    assert expected, "the compiled catalogue is empty"
    stale = sorted(expected - committed)
    extra = sorted(committed - expected)
    assert (stale, extra) == ([], []), (
        "django.mo differs from django.po: run `make messages` (or compilemessages) and commit"
    )


def test_committed_mo_declares_the_plural_rule() -> None:
    catalog = _read_mo(MO_PATH)
    assert catalog.ngettext(*PROJECTS, 1) == "%(n)s 个项目"
    assert catalog.ngettext(*PROJECTS, 7) == "%(n)s 个项目"


# (c) used at run time --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Status center", "状态中心"),
        ("Portfolio status center", "项目组合状态中心"),
        ("Portfolio", "项目组合"),
        ("Program", "项目集"),
        ("Steering committee", "指导委员会"),
        ("Decision needed", "待决策"),
        ("Report missing", "报告缺失"),
        ("Change history", "变更记录"),
        ("Amber", "黄灯"),
    ],
)
def test_gettext_in_chinese(english: str, chinese: str) -> None:
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_templates_render_in_chinese() -> None:
    from django.template import engines

    engine = engines["django"]
    source = (
        '{% load i18n %}{% translate "Status center" %}|{% translate "% complete" %}|'
        "{% blocktranslate count n=count %}{{ n }} project{% plural %}{{ n }} projects"
        "{% endblocktranslate %}|{% blocktranslate with n=5 %}{{ n }}d{% endblocktranslate %}"
    )
    template = engine.from_string(source)
    with translation.override("zh-hans"):
        assert template.render({"count": 2}) == "状态中心|完成百分比|2 个项目|5天"
    with translation.override("en"):
        assert template.render({"count": 1}) == "Status center|% complete|1 project|5d"


# (d) no visible English outside translation tags -------------------------------------------------

TEMPLATE_DIRS = [path for path in PACKAGE_DIR.rglob("templates") if path.is_dir()]
# Text that is the same in every language: the product name, the language switch (each
# language names itself) and the code letters in front of values (priority P2, revision r3).
ALLOWED_PHRASES = ("PMO Hub", "English")
ALLOWED_WORDS = {"P", "r"}
TRANSLATED_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")


def _visible_text(source: str) -> list[str]:
    text = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    text = re.sub(
        r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", " ", text, flags=re.S
    )
    text = re.sub(r"{%.*?%}", " ", text, flags=re.S)
    text = re.sub(r"{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    text = re.sub(r"&\w+;|&#\d+;", " ", text)
    for phrase in ALLOWED_PHRASES:
        text = re.sub(rf"\b{re.escape(phrase)}\b", " ", text)
    return [word for word in re.findall(r"[A-Za-z]+", text) if word not in ALLOWED_WORDS]


def _literal_attributes(source: str) -> list[str]:
    found = []
    for name in TRANSLATED_ATTRIBUTES:
        for value in re.findall(rf'\s{name}="([^"]*)"', source):
            value = re.sub(r"{%\s*blocktranslate.*?endblocktranslate\s*%}", "", value)
            if re.search(r"[A-Za-z]", re.sub(r"{%.*?%}|{{.*?}}", "", value)):
                found.append(f"{name}={value!r}")
    return found


@pytest.mark.parametrize(
    "template",
    sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html")),
    ids=lambda p: str(p.relative_to(PACKAGE_DIR)),
)
def test_template_has_no_untranslated_text(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    assert _visible_text(source) == [], "wrap this text in {% translate %}"
    assert _literal_attributes(source) == [], "wrap attribute text in {% translate %}"
