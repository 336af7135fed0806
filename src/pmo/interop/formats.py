"""Which reader an uploaded plan needs, taken from the file itself.

An XLSX workbook is a ZIP archive (it starts with ``PK\\x03\\x04``); Microsoft Project XML is
text that starts with ``<`` (``<?xml`` or ``<Project``, perhaps after a byte order mark or in
UTF-16). The format a form or a URL names is only a fallback for the extension: an ``.xlsx``
uploaded with "Microsoft Project XML" selected is read as the workbook it is, and a file that is
neither is refused in one line naming what it is, not with an XML parser's "not well-formed at
line 1, column 2".
"""

from __future__ import annotations

import io
import zipfile
from typing import Literal

from django.utils.translation import gettext as _

from pmo.core.sentences import quoted
from pmo.interop.errors import ImportFileError

__all__ = ["ZIP", "Format", "detect_format", "is_workbook"]

Format = Literal["msproject", "xlsx"]

ZIP = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .mpp, .xls, .doc: Office's binary files
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
EXTENSIONS: dict[str, Format] = {".xml": "msproject", ".xlsx": "xlsx", ".xlsm": "xlsx"}


def _kind(content: bytes) -> str:
    """What a file that is no plan looks like, for the message."""
    if content.startswith(b"%PDF"):
        return _("a PDF document")
    if content.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return _("an image")
    try:
        content[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return _("a file of an unknown type")
    return _("a text file")


def detect_format(content: bytes, filename: str = "") -> Format:
    """The reader ``content`` needs: its first bytes decide, else its name's extension.

    Raises :class:`ImportFileError` (on ``file``) for an empty file, a binary Office file
    (``.mpp``, ``.xls``) and anything that is neither XML nor a workbook.

    >>> detect_format(b"PK\\x03\\x04...", "plan.xml")
    'xlsx'
    >>> detect_format(b'\\xef\\xbb\\xbf<?xml version="1.0"?><Project/>')
    'msproject'
    """
    if not content:
        raise ImportFileError(_("file: the file is empty"))
    if content.startswith((ZIP, EMPTY_ZIP)):
        return "xlsx"
    if content.startswith(OLE2):
        raise ImportFileError(
            _(
                "file: %(name)s is a binary Microsoft Office file (a .mpp project or a .xls "
                "workbook): save it from Microsoft Project as XML (.xml) or from Excel as an "
                "Excel workbook (.xlsx)"
            )
            % {"name": quoted(filename)}
        )
    head = content[:64]
    for bom in BOMS:
        head = head.removeprefix(bom)
    if head.lstrip().startswith((b"<", b"<\x00", b"\x00<")):
        return "msproject"
    dot = filename.rfind(".")
    by_name = EXTENSIONS.get(filename[dot:].lower()) if dot >= 0 else None
    if by_name is not None:
        return by_name  # its reader says what is wrong inside
    raise ImportFileError(
        _(
            "file: %(name)s is %(kind)s, not Microsoft Project XML (.xml) or an Excel "
            "workbook (.xlsx)"
        )
        % {"name": quoted(filename), "kind": _kind(content)}
    )


def is_workbook(content: bytes) -> bool:
    """Whether ``content`` is an XLSX workbook (a ZIP archive holding ``xl/workbook.xml``)."""
    if not content.startswith(ZIP):
        return False
    try:
        return "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
