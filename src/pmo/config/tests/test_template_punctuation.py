"""Punctuation a Chinese reader sees comes from the catalogue, not from the template.

A colon after a label, the separator of a joined list, the brackets around a number or a date
and the "r2" of a revision read as English inside Chinese text ("原因: ", "(+3天)", "a; b").
The templates leave every one of them to a translated string, which the catalogue gives in
full-width form (“：”, “（ ）”, “；”, “，”) with no space after it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

import pmo
from pmo.portfolio.templatetags.pmo_tags import label_sep, name_and_title

TEMPLATES = sorted(
    p
    for p in Path(pmo.__file__).parent.rglob("*.html")
    if "templates" in p.relative_to(Path(pmo.__file__).parent).parts
)

# a template tag ends and a literal colon follows: {% translate "Summary" %}: or ...%}:</strong>
LITERAL_COLON = re.compile(r"%\}:")
# {{ items|join:", " }} or join:"; ": the separator is English whatever the language
LITERAL_JOIN = re.compile(r"""\|join:["'][,;]""")
# r{{ x.revision }}: "r2" is not a word in Chinese
BARE_REVISION = re.compile(r"\br\{\{[^}]*revision")
# brackets around a translated text or a value, outside any translation: "({% translate",
# "({{ n }})" (checked once the translations are cut out, see _outside_translations)
OUTER_BRACKETS = re.compile(r"\((?:«T»|\{\{)|(?:«T»|\}\})\)")
TRANSLATED = re.compile(
    r"\{% blocktranslate.*?%\}.*?\{% endblocktranslate %\}|\{% translate .*?%\}", re.S
)


def _outside_translations(text: str) -> str:
    """The template with each translated text replaced by «T» (lines kept)."""
    return TRANSLATED.sub(lambda m: "«T»" + "\n" * m.group(0).count("\n"), text)


def _hits(pattern: re.Pattern[str]) -> list[str]:
    root = Path(pmo.__file__).parent
    return [
        f"{path.relative_to(root)}:{n}: {line.strip()[:120]}"
        for path in TEMPLATES
        for n, line in enumerate(
            _outside_translations(path.read_text(encoding="utf-8")).splitlines(), 1
        )
        if pattern.search(line)
    ]


def test_the_templates_are_found() -> None:
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "403.html", "project_detail.html", "gatereview_detail.html"} <= names


@pytest.mark.parametrize(
    "pattern",
    [LITERAL_COLON, LITERAL_JOIN, BARE_REVISION, OUTER_BRACKETS],
    ids=["colon after a label", "join separator", "r<revision>", "brackets outside"],
)
def test_no_template_writes_punctuation_the_catalogue_should_give(
    pattern: re.Pattern[str],
) -> None:
    assert _hits(pattern) == []


def test_the_patterns_catch_what_they_are_for() -> None:
    assert LITERAL_COLON.search('<strong>{% translate "Summary" %}:</strong>')
    assert LITERAL_JOIN.search('{{ waived|join:"; " }}')
    assert BARE_REVISION.search("{{ t.display_name }} r{{ t.revision }}")
    bracketed = _outside_translations('({% translate "committed" %} {{ n }})')
    assert bracketed == "(«T» {{ n }})" and OUTER_BRACKETS.search(bracketed)
    assert OUTER_BRACKETS.search('{% translate "today" %} ({{ chart.today|date:"Y-m-d" }})')
    inside = "{% blocktranslate with n=d %}({{ n }}d){% endblocktranslate %}"
    assert not OUTER_BRACKETS.search(_outside_translations(inside))


def test_the_label_separator_is_a_colon_and_a_space_in_english() -> None:
    with translation.override("en"):
        assert label_sep() == ": "
        html = Template("{% load pmo_tags %}Reason{% label_sep %}why").render(Context())
    assert html == "Reason: why"


def test_the_label_separator_is_the_catalogues() -> None:
    """The tag asks the catalogue for the "label separator" (Chinese: a full-width colon)."""
    with translation.override("zh-hans"):
        assert label_sep() == translation.pgettext("label separator", ": ")


@pytest.mark.parametrize(
    ("shown", "parts"),
    [
        ("林晓云（研发副总裁）", ("林晓云", "（研发副总裁）")),
        ("Lin Xiaoyun (VP R&D)", ("Lin Xiaoyun", " (VP R&D)")),
        ("张伟", ("张伟", "")),
        ("pm", ("pm", "")),
        ("(odd)", ("(odd)", "")),  # a bracket first is part of the name
        (None, ("", "")),
    ],
)
def test_a_name_and_its_title_are_told_apart(shown: str | None, parts: tuple[str, str]) -> None:
    assert name_and_title(shown) == parts


def test_an_escaped_name_is_not_escaped_twice() -> None:
    """``firstof`` hands the name over escaped: the two halves stay safe, so "&" shows as "&"."""
    from django.utils.safestring import SafeData, mark_safe

    name, title = name_and_title(mark_safe("Lin Xiaoyun (VP R&amp;D)"))
    assert (name, title) == ("Lin Xiaoyun", " (VP R&amp;D)")
    assert isinstance(name, SafeData) and isinstance(title, SafeData)
    html = Template(
        "{% load pmo_tags %}{% firstof who as shown %}"
        "{% with parts=shown|name_and_title %}{{ parts.0 }}|{{ parts.1 }}{% endwith %}"
    ).render(Context({"who": "Lin Xiaoyun (VP R&D)"}))
    assert html == "Lin Xiaoyun| (VP R&amp;D)"
