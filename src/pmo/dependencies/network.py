"""The portfolio network drawn as SVG: projects grouped by program, dependencies as arrows."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Any

from django.utils.html import escape

__all__ = ["network_svg", "shorten"]

COLORS = {"at_risk": "#d97706", "broken": "#b91c1c", "resolved": "#9ca3af"}
EDGE_ORDER = {"resolved": 0, "at_risk": 2, "broken": 3}  # the rest (1) in between
ROW_H, BOX_H = 44, 30
NAME_WIDTH = 20  # what fits in the narrowest box after the code, in Latin letters (CJK: two)
#: Columns widen (within these bounds) to fill the width a wide screen's card gives the
#: drawing, so that fewer names are cut; many programs keep the narrowest columns and the
#: drawing scrolls in its box.
FILL_W, MIN_COL_W, MAX_COL_W, COL_GAP = 1200, 230, 360, 50
CHAR_W = 6.1  # an 11-px Latin letter on average, in px (a CJK character takes two)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shorten(text: str, width: int = NAME_WIDTH) -> str:
    """``text`` cut to ``width`` columns at a word boundary, with an ellipsis.

    A CJK character takes two columns; Chinese has no spaces, so it is cut between
    characters.

    Examples
    --------
    >>> shorten("Core banking upgrade")
    'Core banking upgrade'
    >>> shorten("Core banking platform upgrade", 22)
    'Core banking platform…'
    >>> shorten("Enterprise data warehouse", 16)
    'Enterprise data…'
    >>> shorten("核心银行系统升级改造项目", 16)
    '核心银行系统升…'
    """
    text = " ".join(text.split())
    if _width(text) <= width:
        return text
    cut, used = 0, 0
    for i, ch in enumerate(text):  # the longest prefix that leaves room for the ellipsis
        used += _width(ch)
        if used > width - 1:
            break
        cut = i + 1
    head = text[:cut]
    if cut < len(text) and text[cut] != " " and " " in head:
        head = head[: head.rindex(" ")]  # do not cut a word in two
    return head.rstrip(" ,;:-–·") + "…"


def network_svg(deps: list[Any], chain_projects: set[str] | None = None) -> str:
    """Hand-made SVG: a column per program, a box per project, an arrow per dependency
    (at risk: amber, broken: red, thick when on the critical chain)."""
    chain_projects = chain_projects or set()
    projects: dict[str, Any] = {}
    for d in deps:
        projects[d.supplier_project.code] = d.supplier_project
        projects[d.consumer_project.code] = d.consumer_project
    columns: dict[str, list[Any]] = defaultdict(list)
    for p in sorted(projects.values(), key=lambda p: p.code):
        columns[p.program.code if p.program_id else "—"].append(p)
    col_w = max(MIN_COL_W, min(MAX_COL_W, (FILL_W - 40) // max(1, len(columns))))
    box_w = col_w - COL_GAP
    pos: dict[str, tuple[int, int]] = {}
    parts = []  # the boxes with their labels, drawn over the edges so no line crosses a name
    for c, (program, members) in enumerate(sorted(columns.items())):
        x = 20 + c * col_w
        parts.append(
            f'<text x="{x}" y="18" font-weight="600" font-size="13">{escape(program)}</text>'
        )
        for r, p in enumerate(members):
            y = 34 + r * ROW_H
            pos[p.code] = (x, y)
            stroke = "#1d4ed8" if p.code in chain_projects else "#94a3b8"
            name = p.display_name
            room = int((box_w - 12) / CHAR_W) - _width(p.code) - 1
            parts.append(
                f'<g data-project="{escape(p.code)}"><title>{escape(p.code)} {escape(name)}</title>'
                f'<rect x="{x}" y="{y}" width="{box_w}" '
                f'height="{BOX_H}" rx="5" fill="#fff" stroke="{stroke}" '
                f'stroke-width="{3 if p.code in chain_projects else 1}"/>'
                f'<text x="{x + 6}" y="{y + 19}" font-size="11">{escape(p.code)} '
                f"{escape(shorten(name, max(NAME_WIDTH, room)))}</text></g>"
            )
    edges = []
    # drawn in this order, so a broken or at-risk link is never hidden under a grey one
    for d in sorted(deps, key=lambda d: (EDGE_ORDER.get(d.status, 1), d.pk)):
        (x1, y1), (x2, y2) = pos[d.supplier_project.code], pos[d.consumer_project.code]
        color = COLORS.get(d.status, "#475569")
        on_chain = (
            d.supplier_project.code in chain_projects and d.consumer_project.code in chain_projects
        )
        sx, sy = x1 + box_w, y1 + BOX_H // 2
        ex, ey = x2, y2 + BOX_H // 2
        if x2 <= x1:
            sx, ex = x1 + box_w // 2, x2 + box_w // 2
            sy, ey = (y1 + BOX_H, y2) if y2 > y1 else (y1, y2 + BOX_H)
        mid = (sx + ex) / 2
        edges.append(
            f'<path d="M{sx},{sy} C{mid},{sy} {mid},{ey} {ex},{ey}" fill="none" '
            f'stroke="{color}" stroke-width="{3 if on_chain else 1.5}" '
            f'marker-end="url(#arrow)" data-dependency="{d.pk}" data-status="{d.status}"/>'
        )
    width = 40 + max(1, len(columns)) * col_w
    height = 50 + max((len(m) for m in columns.values()), default=1) * ROW_H
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" id="network-svg" '
        # named and described by the page's heading and note (dependency_list.html); the
        # register table under it lists every link in words
        'aria-labelledby="network-title" aria-describedby="network-note">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker>'
        "</defs>" + "".join(edges) + "".join(parts) + "</svg>"
    )
