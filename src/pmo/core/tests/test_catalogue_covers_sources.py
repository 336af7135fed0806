"""The Chinese catalogue holds every message the code and templates ask for.

``test_translations`` checks that the ``.po`` is translated and compiled; this checks that it
is *current*: a new ``_("...")`` or ``{% translate "..." %}`` added without ``make messages``
would otherwise pass the suite and show English to Chinese users.

The messages are found the way ``make messages`` (``makemessages -l zh_Hans``, run in
``src/pmo`` with no ``--ignore``) finds them, without the gettext binaries:

* every ``.py``, ``.html`` and ``.txt`` file under ``src/pmo`` -- tests and migrations
  included, as makemessages walks them too -- skipping hidden names, ``*~``, ``*.pyc``,
  ``locale`` folders and ``STATIC_ROOT``/``MEDIA_ROOT``;
* ``.py`` files: calls of the keywords ``xgettext --language=Python`` knows (its defaults, so
  ``_`` is gettext, plus the ones Django adds). xgettext matches the *name* called, not what
  was imported: ``gettext_lazy as _`` is found as ``_``, ``translation.gettext(...)`` as
  ``gettext``. An argument counts when it holds a string literal; like xgettext, the first
  literal of the argument is taken, joined with any literals that follow it with ``+``
  (``_("%(n)s day" % n)`` gives ``%(n)s day``);
* templates: Django's ``templatize`` (what makemessages feeds xgettext) turns the translation
  tags into such calls -- blocktranslate variables become ``%(name)s``, ``%`` becomes ``%%``,
  ``trimmed`` and ``context`` are applied -- and the calls are read as above.

There is no ``djangojs`` catalogue: the scripts in ``static/pmo`` take their words from
``data-`` attributes the (translated) templates write.

Only missing messages fail; messages the code no longer uses are dropped by
``makemessages --no-obsolete``. Equality with makemessages' own ``django.pot`` was checked by
hand: run ``python -m pmo.core.tests.test_catalogue_covers_sources ROOT POT``.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path

import polib
from django.utils.translation.template import templatize

PACKAGE_DIR = Path(__file__).resolve().parents[2]
PO_PATH = PACKAGE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# Keyword -> (context argument, singular argument, plural argument), 1-based like xgettext's
# ``--keyword=pgettext:1c,2``; 0 = none. xgettext's Python defaults, then Django's additions.
KEYWORDS: dict[str, tuple[int, int, int]] = {
    "_": (0, 1, 0),
    "gettext": (0, 1, 0),
    "ugettext": (0, 1, 0),
    "ngettext": (0, 1, 2),
    "ungettext": (0, 1, 2),
    "pgettext": (1, 2, 0),
    "npgettext": (1, 2, 3),
    "dgettext": (0, 2, 0),
    "dngettext": (0, 2, 3),
    "dpgettext": (2, 3, 0),
    "dnpgettext": (2, 3, 4),
    "gettext_noop": (0, 1, 0),
    "gettext_lazy": (0, 1, 0),
    "ngettext_lazy": (0, 1, 2),
    "pgettext_lazy": (1, 2, 0),
    "npgettext_lazy": (1, 2, 3),
}
EXTENSIONS = {".py", ".html", ".txt"}
IGNORED = ("CVS", ".*", "*~", "*.pyc")  # makemessages' default ignore patterns

# A call in templatize's output: ``_(...)``, ``gettext(u'...')``, ``npgettext(u'c', ..., count)``.
# Its arguments are string literals, names and commas (never nested parentheses).
_STRING = r"""'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*\""""
TEMPLATE_CALL = re.compile(
    rf"(?<![\w.])(?:{'|'.join(re.escape(k) for k in KEYWORDS)})\((?:{_STRING}|[^()'\"])*\)"
)

Key = tuple[str | None, str, str | None]  # (msgctxt, msgid, msgid_plural)
Found = dict[Key, list[str]]  # each message -> where it is used ("path:line")


def _flatten(node: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """The operands of a binary expression in source order, each with the operator before it."""
    if isinstance(node, ast.BinOp):
        yield from _flatten(node.left)
        for index, (_op, operand) in enumerate(_flatten(node.right)):
            yield (type(node.op).__name__ if index == 0 else _op), operand
    else:
        yield "", node


def _literal(node: ast.expr) -> str | None:
    """The text of a string literal, as xgettext reads it, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
        value = node.value
        return value.decode() if isinstance(value, bytes) else value
    return None


def _first_string(node: ast.expr) -> str | None:
    """The string xgettext takes from an argument: its first literal, with the literals
    ``+``-ed right after it (``"a" + x + "b"`` gives "a", ``x + "b"`` gives "b")."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _first_string(node.func.value)  # "text {n}".format(n=n)
    if isinstance(node, ast.Attribute):
        return _first_string(node.value)
    if isinstance(node, ast.IfExp):
        return _first_string(node.body)
    text: str | None = None
    for op, operand in _flatten(node):
        value = _literal(operand)
        if text is None:
            text = value
        elif op == "Add" and value is not None:
            text += value
        else:
            break
    return text


def _messages(tree: ast.AST, path: str, line_offset: int = 0) -> Iterator[tuple[Key, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in KEYWORDS:
            continue
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]

        def argument(position: int, arguments: list[ast.expr] = arguments) -> str | None:
            if position == 0 or position > len(arguments):
                return None
            return _first_string(arguments[position - 1])

        context, singular, plural = KEYWORDS[name]
        msgctxt, msgid, msgid_plural = argument(context), argument(singular), argument(plural)
        if not msgid or (context and msgctxt is None) or (plural and msgid_plural is None):
            continue  # xgettext skips a call whose arguments are not all literals
        yield (msgctxt, msgid, msgid_plural), f"{path}:{node.lineno + line_offset}"


def _python_messages(source: str, path: str) -> Iterator[tuple[Key, str]]:
    yield from _messages(ast.parse(source, filename=path), path)


def _template_messages(source: str, path: str) -> Iterator[tuple[Key, str]]:
    code = templatize(source, origin=path)  # keeps the lines: text is blanked out, not cut
    for match in TEMPLATE_CALL.finditer(code):
        line = code.count("\n", 0, match.start())
        yield from _messages(ast.parse(match.group(), mode="eval"), path, line)


def _ignored(path: Path) -> bool:
    return any(fnmatchcase(path.name, pattern) for pattern in IGNORED)


def source_files(root: Path, skip: tuple[Path, ...] = ()) -> Iterator[Path]:
    """The files makemessages reads under ``root``, as it walks them."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            name
            for name in dirnames
            if name != "locale" and not _ignored(here / name) and here / name not in skip
        )
        for name in sorted(filenames):
            path = here / name
            if path.suffix in EXTENSIONS and not _ignored(path):
                yield path


def extract(root: Path, skip: tuple[Path, ...] = ()) -> Found:
    """Every message the files under ``root`` use, with where."""
    found: Found = {}
    for path in source_files(root, skip):
        source = path.read_text(encoding="utf-8")
        relative = str(path.relative_to(root))
        messages = _python_messages if path.suffix == ".py" else _template_messages
        for key, where in messages(source, relative):
            found.setdefault(key, []).append(where)
    return found


def missing_from(po: polib.POFile, found: Found) -> list[str]:
    """The messages of ``found`` that ``po`` lacks (or holds without their plural)."""
    entries = {(entry.msgctxt, entry.msgid): entry for entry in po if not entry.obsolete}
    missing = []
    for (msgctxt, msgid, msgid_plural), where in sorted(found.items(), key=lambda i: i[1]):
        entry = entries.get((msgctxt, msgid))
        if entry is None or (msgid_plural is not None and entry.msgid_plural != msgid_plural):
            label = f"msgctxt {msgctxt!r} " if msgctxt is not None else ""
            label += f"msgid {msgid!r}"
            label += f" msgid_plural {msgid_plural!r}" if msgid_plural is not None else ""
            missing.append(f"{', '.join(where)}: {label}")
    return missing


def _skipped_roots() -> tuple[Path, ...]:
    from django.conf import settings

    return tuple(Path(p) for p in (settings.STATIC_ROOT, settings.MEDIA_ROOT) if p)


# ----------------------------------------------------------------------------------------------


def test_catalogue_has_every_message_the_sources_use() -> None:
    found = extract(PACKAGE_DIR, _skipped_roots())
    assert len(found) > 1000, "the extraction found almost nothing: is it still reading them?"
    missing = missing_from(polib.pofile(str(PO_PATH)), found)
    assert missing == [], (
        f"{len(missing)} message(s) not in {PO_PATH.name}: run `make messages`, translate them "
        "and commit the .po and .mo\n" + "\n".join(missing)
    )


def test_extraction_reads_python_like_makemessages() -> None:
    source = (
        "from django.utils.translation import gettext_lazy as _, pgettext, ngettext\n"
        '_("Plain")\n'
        '_("Split " "literal")\n'
        '_("%(n)s day" % {"n": n})\n'
        'translation.gettext("Attribute")\n'
        'pgettext("month", "May")\n'
        'ngettext("%(n)s task", "%(n)s tasks", n)\n'
        "_(variable)\n"
        'ngettext("One", plural, n)\n'
        'pgettext(context, "No context")\n'
        'as_gettext = "not a call"\n'
    )
    found = dict(_python_messages(source, "x.py"))
    assert found == {
        (None, "Plain", None): "x.py:2",
        (None, "Split literal", None): "x.py:3",
        (None, "%(n)s day", None): "x.py:4",
        (None, "Attribute", None): "x.py:5",
        ("month", "May", None): "x.py:6",
        (None, "%(n)s task", "%(n)s tasks"): "x.py:7",
    }


def test_extraction_reads_templates_like_makemessages() -> None:
    source = (
        "{% load i18n %}<p>\n"
        '{% translate "Save" %} {% translate "100% done" %}\n'
        '{% translate "May" context "month" %}\n'
        "{% blocktranslate trimmed with name=user.name %}\n"
        "  Hello {{ name }},\n  welcome{% endblocktranslate %}\n"
        "{% blocktranslate count n=tasks|length %}{{ n }} task{% plural %}{{ n }} tasks"
        "{% endblocktranslate %}\n"
        '{{ value|default:_("none") }} {% include "x.html" with title=_("Title") %}\n'
        "{% translate variable %}</p>\n"
    )
    found = {key: where for key, where in _template_messages(source, "t.html")}
    assert found == {
        (None, "Save", None): "t.html:2",
        (None, "100%% done", None): "t.html:2",
        ("month", "May", None): "t.html:3",
        (None, "Hello %(name)s, welcome", None): "t.html:4",
        (None, "%(n)s task", "%(n)s tasks"): "t.html:7",
        (None, "none", None): "t.html:8",
        (None, "Title", None): "t.html:8",
    }


def test_a_message_missing_from_the_catalogue_is_listed_with_where() -> None:
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Kept", msgstr="保留"))
    po.append(polib.POEntry(msgid="Old", msgstr="旧", obsolete=True))
    po.append(polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: ""}))
    found: Found = {
        (None, "Kept", None): ["a.py:1"],
        (None, "Old", None): ["a.py:2", "b.html:3"],
        ("verb", "Kept", None): ["a.py:4"],
        (None, "%(n)s day", None): ["a.py:5"],
        (None, "%(n)s day", "%(n)s dayz"): ["a.py:6"],
    }
    assert missing_from(po, found) == [
        "a.py:2, b.html:3: msgid 'Old'",
        "a.py:4: msgctxt 'verb' msgid 'Kept'",
        "a.py:6: msgid '%(n)s day' msgid_plural '%(n)s dayz'",
    ]


if __name__ == "__main__":  # compare with a makemessages run: ROOT (src/pmo) and its django.pot
    root, pot = Path(sys.argv[1]), polib.pofile(sys.argv[2])
    ours: dict[tuple[str | None, str], str | None] = {}
    for ctx, msgid, plural in extract(root):  # xgettext merges a singular into its plural
        ours[ctx, msgid] = ours.get((ctx, msgid)) or plural
    theirs = {(entry.msgctxt, entry.msgid): entry.msgid_plural or None for entry in pot}
    print(f"makemessages {len(theirs)}, this extraction {len(ours)}")
    for label, keys in (("only here", ours.keys() - theirs), ("only there", theirs.keys() - ours)):
        for key in sorted(keys, key=repr):
            print(label, key)
    for key in sorted(ours.keys() & theirs.keys(), key=repr):
        if ours[key] != theirs[key]:
            print("plural differs", key, ours[key], theirs[key])
