"""Errors of imports: a bad file is refused with a message naming the element."""

from __future__ import annotations

from pmo.core.errors import DomainError

__all__ = ["ImportFileError"]


class ImportFileError(DomainError):
    """The file cannot be imported (not XML, wrong schema, bad value); nothing was written."""

    status_code = 422
