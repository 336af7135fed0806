"""Language helpers."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_noop

#: Django's forms put ``gettext(":")`` after each label; its own Chinese catalogue keeps the
#: half-width colon, ours gives the full-width one ("标题：").
LABEL_SUFFIX = gettext_noop(":")


def is_chinese() -> bool:
    """True when the active language is Simplified Chinese."""
    return (translation.get_language() or "").startswith("zh")


def pick(en: str, zh: str) -> str:
    """Return ``zh`` when the active language is Chinese and ``zh`` is set, else ``en``."""
    return zh if zh and is_chinese() else en


def mid_sentence(label: object) -> str:
    """A choice's label inside a sentence: lower case in English ("project P1 is closed"), as
    it is (Chinese has no case)."""
    return str(label).lower()
