"""Guards for uploaded office files before a parser unpacks them.

An XLSX workbook is a ZIP archive: 100 KB on disk can unpack to gigabytes of XML (a
"zip bomb"), and openpyxl reads its shared strings whole. The upload limits count the packed
bytes; :func:`check_unpacked_size` counts what the archive says it holds, before anything is
inflated.
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

__all__ = ["MAX_UNPACKED_BYTES", "UnpackError", "check_unpacked_size"]

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""More than any real plan or capacity sheet: a 50,000-row sheet unpacks to about 25 MB."""


class UnpackError(ValueError):
    """The archive would unpack to more than the limit (the message says how much)."""


def check_unpacked_size(content: bytes, limit: int | None = None) -> None:
    """Raise :class:`UnpackError` when the ZIP in ``content`` declares more than ``limit``
    (default :data:`MAX_UNPACKED_BYTES`) unpacked bytes. Not a ZIP: nothing to check (the
    parser then says what the file is not).

    The sizes come from the archive's central directory; a member that lies about its size
    is stopped by :mod:`zipfile` itself, which refuses to inflate past the declared size.
    """
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if total > limit:
        raise UnpackError(
            _("the file unpacks to %(size)s MB, more than the %(limit)s MB allowed")
            % {"size": f"{total / 1024 / 1024:,.0f}", "limit": f"{limit / 1024 / 1024:,.0f}"}
        )
