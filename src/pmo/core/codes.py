"""Codes that name objects (projects, org units, resources): one code per object whatever
its case, since exports, reports, the command line and the API name objects by code and a
reader cannot tell ``ACME-HR`` from ``acme-hr`` apart in a list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

__all__ = ["case_clash", "is_id"]


def case_clash(
    objects: QuerySet[Any], code: str, *, exclude_pk: int | None = None, field: str = "code"
) -> str | None:
    """The code among ``objects`` equal to ``code`` when case is ignored, or ``None``.

    ``exclude_pk`` is the object being changed: it may change the case of its own code. The
    caller words the refusal (an equal code "exists already", one that differs by case only
    "may not differ by case only"). ``field`` is the column holding the code (a role's
    ``name``).
    """
    taken = objects.filter(**{f"{field}__iexact": code})
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    existing = taken.values_list(field, flat=True).first()
    return str(existing) if existing is not None else None


def is_id(value: str) -> bool:
    """Whether a reference typed as text is an id (ASCII digits only) rather than a code.

    >>> is_id("42"), is_id("acme-hr"), is_id("４２"), is_id("")
    (True, False, False, False)
    """
    return value.isascii() and value.isdigit()
