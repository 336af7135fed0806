"""Small template helpers: RAG chips, trend arrows, sort links, the label separator and the
space between words that Chinese leaves out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.core.i18n import is_chinese
from pmo.portfolio.models import Rag

register = template.Library()

SYMBOLS = {1: "●", 2: "▲", 3: "■"}


@register.simple_tag
def rag(value: int | None) -> str:
    """A coloured chip with a shape, so RAG reads in grayscale too; a screen reader says its
    name ("Red"), not the shape's ("black square")."""
    if not value:
        label = _("No report")
        return format_html(
            '<span class="rag rag-none" title="{}" role="img" aria-label="{}">–</span>',
            label,
            label,
        )
    return format_html(
        '<span class="rag rag-{}" title="{}" role="img" aria-label="{}" data-rag="{}">{}</span>',
        value,
        Rag(value).label,
        Rag(value).label,
        value,
        SYMBOLS[value],
    )


@register.simple_tag
def trend(value: int | None) -> str:
    """↑ better, → same, ↓ worse."""
    if value is None:
        return ""
    arrow, label = {1: ("↑", _("Better")), 0: ("→", _("Same")), -1: ("↓", _("Worse"))}[value]
    return format_html(
        '<span class="trend-{}" title="{}" role="img" aria-label="{}">{}</span>',
        value,
        label,
        label,
        arrow,
    )


@register.simple_tag
def label_sep() -> str:
    """What stands between a label and its value: ": " in English, a full-width "："
    with no space after it in Chinese (the catalogue's "label separator")."""
    return pgettext("label separator", ": ")


@register.simple_tag
def gap() -> str:
    """The space English sets between two pieces of text where Chinese sets none: before a
    bracketed aside ("2027-01-07 (+3d)" / "2027-01-07（+3天）") or between two sentences."""
    return "" if is_chinese() else " "


@register.filter
def name_and_title(shown: Any) -> tuple[str, str]:
    """A person's name and the title in brackets after it, if any: "林晓云（研发副总裁）" gives
    ("林晓云", "（研发副总裁）"), "Lin Xiaoyun (VP R&D)" gives ("Lin Xiaoyun", " (VP R&D)")."""
    text = str(shown or "")
    cuts = [i for i in (text.find("（"), text.find(" (")) if i > 0]
    cut = min(cuts) if cuts else len(text)
    if isinstance(shown, SafeData):  # already escaped (``firstof``): the halves are too
        return mark_safe(text[:cut]), mark_safe(text[cut:])
    return text[:cut], text[cut:]


@register.simple_tag(takes_context=True)
def sort_link(context: Any, key: str, label: str, descending_first: bool = False) -> str:
    """A column header that sorts by ``key`` (toggling direction) and keeps the filters; with
    ``descending_first`` the first click sorts from the top down (the worst RAG first)."""
    current = context.get("sort") or "code"
    query = context.get("query") or ""
    params = "&".join(p for p in query.split("&") if p and not p.startswith("sort="))
    first, second = (f"-{key}", key) if descending_first else (key, f"-{key}")
    new = second if current == first else first
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    href = f"?{params + '&' if params else ''}sort={new}"
    return format_html(
        '<a href="{}" hx-get="{}" hx-target="#project-table" hx-push-url="true"'
        ' data-testid="sort-{}">{}{}</a>',
        href,
        href,
        key,
        label,
        arrow,
    )


@register.filter
def plain(value: Any) -> str:
    """A decimal as typed, without trailing zeros or an exponent: 7.23450000 -> "7.2345",
    100.00000000 -> "100" (``Decimal.normalize`` alone says "1E+2"); a float by its shortest
    form the same way: 1.0 -> "1", 0.5 -> "0.5" (one column of FTE reads alike)."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if not isinstance(value, Decimal):
        return "" if value is None else str(value)
    return format(value.normalize(), "f") if value.is_finite() else str(value)


@register.filter
def heat_class(score: int) -> str:
    """Zone of a probability × impact cell."""
    return "heat-high" if score >= 15 else ("heat-mid" if score >= 6 else "heat-low")


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def get_attr(obj: Any, name: str) -> Any:
    return getattr(obj, name, None)


@register.filter
def reason(report: Any, dimension: str) -> str:
    return str(getattr(report, f"{dimension}_reason", "") or "")


@register.simple_tag(takes_context=True)
def page_path(context: Any) -> str:
    """Where the language switch comes back to: this page's path and query, or, on a page
    that answers a form (a POST shown again with its errors, which a GET of its address
    would refuse with a 405), the page the form was on (the referrer, of this host), else
    the home page."""
    request = context.get("request")
    if request is None:
        return "/"
    if request.method in ("GET", "HEAD"):
        return str(request.get_full_path())
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc and referer.netloc != request.get_host():
        return "/"
    path = referer.path or "/"
    return f"{path}?{referer.query}" if referer.query else path
