"""Errors of imports: a bad file is refused with a message naming the element."""

from __future__ import annotations

from pmo.core.errors import DomainError

__all__ = ["ImportFileError"]


class ImportFileError(DomainError):
    """The file cannot be imported (not XML, wrong schema, bad value); nothing was written.

    The message names the element ("Task 12: Duration ..."); ``errors`` carries it under the
    request's field, the uploaded ``file`` unless the fault is elsewhere (``project``), or
    carries each of several problems under its place.
    """

    status_code = 422

    def __init__(
        self, message: str, *, field: str = "file", errors: list[dict[str, str]] | None = None
    ) -> None:
        # "file: not an XLSX workbook" reads "not an XLSX workbook" under the field ``file``;
        # ``errors``: several problems, each under its place in the file (``Resources row 3 Type``)
        plain = message.removeprefix(f"{field}: ")
        super().__init__(message, errors=errors or [{"field": field, "message": plain}])
        self.field = field
