"""Geometry shared by the HTML/PDF and PPTX renderers: how cells flow into columns."""

from __future__ import annotations

import math
from dataclasses import dataclass

from pmo.reports.onepage.model import Cell, Column, OnePage

__all__ = ["FONT_PT", "PAGE_CAPACITY", "ROWS", "BoardColumn", "board_columns", "boards"]

# Cells per sub-column for each layout: more projects, smaller cells.
ROWS = {"normal": 10, "compact": 14, "dense": 18, "paged": 18}
# Font size of the board (points) for each layout. A cell is five lines tall whatever its text
# says (_board_css.html), so a sub-column of ROWS cells is as tall every week: at these sizes
# the board of each layout fits an A3 landscape page under the header.
FONT_PT = {"normal": 10.0, "compact": 7.0, "dense": 5.5, "paged": 5.5}


@dataclass
class BoardColumn:
    """A phase column split into ``width`` sub-columns of at most ``rows`` cells."""

    phase: str
    label: str
    width: int
    rows: int
    count: int
    chunks: list[list[Cell]]


PAGE_CAPACITY = 160  # cells that fit on one A3 page at the densest size


def boards(page: OnePage, rows: int | None = None) -> list[list[tuple[Column, BoardColumn]]]:
    """The boards to draw: one, or for the "paged" layout one per page of cells.

    ``rows``: cells per sub-column when more than the layout's (the web page, whose cells
    grow with their text, draws fewer and wider sub-columns than the fixed-size PDF).
    """
    if page.layout != "paged":
        return [list(zip(page.columns, board_columns(page, rows=rows), strict=True))]
    result: list[list[Column]] = [[]]
    room = PAGE_CAPACITY
    for column in page.columns:
        cells = list(column.cells)
        while cells:
            if room == 0:
                result.append([])
                room = PAGE_CAPACITY
            part, cells = cells[:room], cells[room:]
            result[-1].append(Column(phase=column.phase, label=column.label, cells=part))
            room -= len(part)
    return [
        list(zip(columns, board_columns(page, columns, rows=rows), strict=True))
        for columns in result
    ]


def board_columns(
    page: OnePage, columns: list[Column] | None = None, *, rows: int | None = None
) -> list[BoardColumn]:
    """The phase columns with how many sub-columns each needs (``rows``: see :func:`boards`)."""
    rows = max(ROWS[page.layout], rows or 0)
    return [
        BoardColumn(
            phase=c.phase,
            label=c.label,
            width=max(1, math.ceil(len(c.cells) / rows)),
            rows=min(rows, max(1, len(c.cells))),
            count=len(c.cells),
            chunks=[c.cells[i : i + rows] for i in range(0, len(c.cells), rows)] or [[]],
        )
        for c in (page.columns if columns is None else columns)
    ]
