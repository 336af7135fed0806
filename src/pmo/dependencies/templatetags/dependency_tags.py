"""Template filters of the dependencies app."""

from __future__ import annotations

from typing import Any

from django import template

from pmo.core.i18n import pick

register = template.Library()


@register.filter
def reader_name(thing: Any) -> str:
    """The name of a milestone (a model or a row of an impact or a critical chain, with
    ``name`` and ``name_zh``) in the reader's language: its Chinese name on Chinese pages
    when it has one. Rows stored before they carried ``name_zh`` keep their name."""
    if isinstance(thing, dict):
        return pick(str(thing.get("name") or ""), str(thing.get("name_zh") or ""))
    return pick(str(getattr(thing, "name", "") or ""), str(getattr(thing, "name_zh", "") or ""))
