"""Why an XML file is not well-formed, in the reader's language.

The parser (expat) explains itself in English ("not well-formed (invalid token)"), which
read as a foreign sentence inside a Chinese error. The common reasons have a translation
here; any other is given in English only to an English reader and left out otherwise (the
line and column say where to look).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat
from xml.parsers.expat import errors as codes

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pmo.core.i18n import is_chinese
from pmo.core.sentences import quoted
from pmo.interop.formats import ZIP, is_workbook

__all__ = ["encoding_unreadable", "not_well_formed", "not_xml_at_all"]

_DECLARED = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']{1,40})["']""")

# the English text of each reason is expat's own, so an English message does not change
REASONS: dict[int, str] = {
    codes.codes[codes.XML_ERROR_SYNTAX]: gettext_noop("syntax error"),
    codes.codes[codes.XML_ERROR_NO_ELEMENTS]: gettext_noop("no element found"),
    codes.codes[codes.XML_ERROR_INVALID_TOKEN]: gettext_noop("not well-formed (invalid token)"),
    codes.codes[codes.XML_ERROR_UNCLOSED_TOKEN]: gettext_noop("unclosed token"),
    codes.codes[codes.XML_ERROR_PARTIAL_CHAR]: gettext_noop("partial character"),
    codes.codes[codes.XML_ERROR_TAG_MISMATCH]: gettext_noop("mismatched tag"),
    codes.codes[codes.XML_ERROR_DUPLICATE_ATTRIBUTE]: gettext_noop("duplicate attribute"),
    codes.codes[codes.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]: gettext_noop(
        "junk after document element"
    ),
    codes.codes[codes.XML_ERROR_UNDEFINED_ENTITY]: gettext_noop("undefined entity"),
    codes.codes[codes.XML_ERROR_UNCLOSED_CDATA_SECTION]: gettext_noop("unclosed CDATA section"),
    codes.codes[codes.XML_ERROR_XML_DECL]: gettext_noop("XML declaration not well-formed"),
    codes.codes[codes.XML_ERROR_UNBOUND_PREFIX]: gettext_noop("unbound prefix"),
}
"""Translated reasons by expat error code."""


def not_xml_at_all(content: bytes) -> str | None:
    """Why ``content`` is plainly not an XML file (empty, an Excel workbook), else ``None``.

    Said before parsing: the parser would report "no element found" or an invalid token at
    column 2, which does not tell the reader what they chose.
    """
    if not content.strip():
        return _("file: the file is empty")
    if is_workbook(content):
        return _("file: this is an Excel workbook, not Microsoft Project XML")
    if content.startswith(ZIP):
        return _("file: this is a ZIP archive, not Microsoft Project XML")
    return None


def encoding_unreadable(content: bytes) -> str:
    """The message for an XML declaration naming an encoding the parser cannot read (GBK)."""
    declared = _DECLARED.match(content)
    if declared is None:
        return _("file: the character encoding named in the XML declaration cannot be read")
    name = declared.group(1).decode("ascii", "replace").strip()
    return _(
        "file: the XML declaration names the character encoding %(encoding)s, which cannot be "
        "read; save the file as UTF-8"
    ) % {"encoding": quoted(name)}


def not_well_formed(exc: ET.ParseError) -> str:
    """The message for a file the XML parser refused: where, and why when it can be said in
    the reader's language.

    >>> from django.utils import translation
    >>> try:
    ...     ET.fromstring("<a></b>")
    ... except ET.ParseError as exc:
    ...     with translation.override("en"):
    ...         print(not_well_formed(exc))
    file: not well-formed XML at line 1, column 5 (mismatched tag)
    """
    line, column = exc.position
    reason = REASONS.get(exc.code)
    if reason is not None:
        error = _(reason)
    elif not is_chinese():
        error = expat.ErrorString(exc.code) or ""
    else:
        error = ""
    if not error:
        return _("file: not well-formed XML at line %(line)s, column %(column)s") % {
            "line": line,
            "column": column,
        }
    return _("file: not well-formed XML at line %(line)s, column %(column)s (%(error)s)") % {
        "line": line,
        "column": column,
        "error": error,
    }
