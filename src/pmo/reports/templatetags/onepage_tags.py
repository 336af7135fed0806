"""Helpers for the one-page report templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from pmo.core.i18n import is_chinese
from pmo.reports.onepage.model import CHANGE_LABELS

register = template.Library()

SYMBOLS = {1: "●", 2: "▲", 3: "■"}


@register.simple_tag
def rag_symbol(rag: int | None) -> str:
    """Shape by rating, so the page reads in grayscale too."""
    return SYMBOLS.get(rag or 0, "–")


@register.simple_tag
def rag_name(rag: int | None) -> str:
    """The rating in words, as the legend says it: what a screen reader reads for the shape."""
    return {1: _("green"), 2: _("amber"), 3: _("red")}.get(rag or 0, _("no report"))


@register.simple_tag
def trend_arrow(trend: int | None) -> str:
    return {1: "↑", 0: "→", -1: "↓"}.get(trend, "") if trend is not None else ""


@register.simple_tag
def delta(value: int | None) -> str:
    if not value:
        return "±0"
    return f"+{value}" if value > 0 else str(value)


@register.simple_tag
def change_label(kind: str) -> str:
    return str(CHANGE_LABELS.get(kind, kind))


@register.filter
def millions(value: float) -> str:
    """A budget in the reader's units: ``737.1M`` in English, ``7.37亿`` or ``3,500万`` in
    Chinese (Chinese counts in 万 and 亿, ten thousand and a hundred million; "M" is not
    read there)."""
    if is_chinese():
        if abs(value) >= 100_000_000:
            return f"{value / 100_000_000:,.2f}亿"
        return f"{value / 10_000:,.0f}万"
    return f"{value / 1_000_000:,.1f}M"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None
