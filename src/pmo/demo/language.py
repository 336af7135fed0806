"""The language of the demo's single-language texts (``pmo demo --language``).

Bilingual fields (``name`` / ``name_zh``, ...) get both languages whatever the choice. A
field with one language (a plan's task names, a RAID entry's title, a report's summary, a
capacity change's reason, ...) gets the text of the chosen language: each module keeps its
texts as small (English, Chinese) tables and picks with :func:`text`. In English the China
region's project managers still write their reports and RAID logs in Chinese (the demo's
story); in Chinese everyone does. This is data, not the user interface: no gettext.
"""

from __future__ import annotations

from django.conf import settings

__all__ = ["CHINESE", "ENGLISH", "LANGUAGES", "Text", "default_language", "in_chinese", "text"]

ENGLISH = "en"
CHINESE = "zh-hans"
LANGUAGES = (ENGLISH, CHINESE)

Text = tuple[str, str]
"""A demo text in English and Chinese."""


def default_language() -> str:
    """The site's language (``PMO_LANGUAGE``), the demo's default."""
    return CHINESE if settings.LANGUAGE_CODE == CHINESE else ENGLISH


def in_chinese(language: str, unit_code: str = "") -> bool:
    """Whether a text written by someone of org unit ``unit_code`` is Chinese: always in a
    Chinese demo, in the China region's units in an English one."""
    return language == CHINESE or unit_code.startswith("cn")


def text(pair: Text, chinese: bool | str) -> str:
    """The English or Chinese text of ``pair``: ``chinese`` is a flag or a demo language."""
    if isinstance(chinese, str):
        chinese = chinese == CHINESE
    return pair[1] if chinese else pair[0]
