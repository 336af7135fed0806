"""Language helpers."""

from __future__ import annotations

from django.utils import translation


def is_chinese() -> bool:
    """True when the active language is Simplified Chinese."""
    return (translation.get_language() or "").startswith("zh")


def pick(en: str, zh: str) -> str:
    """Return ``zh`` when the active language is Chinese and ``zh`` is set, else ``en``."""
    return zh if zh and is_chinese() else en
