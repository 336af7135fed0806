"""Geometry shared by the HTML/PDF and PPTX renderers: how cells flow into columns."""

from __future__ import annotations

import math
from dataclasses import dataclass

from pmo.reports.onepage.model import Cell, OnePage

__all__ = ["ROWS", "BoardColumn", "board_columns"]

# Cells per sub-column for each layout: more projects, smaller cells.
ROWS = {"normal": 10, "compact": 14, "dense": 18, "paged": 18}


@dataclass
class BoardColumn:
    """A phase column split into ``width`` sub-columns of at most ``rows`` cells."""

    phase: str
    label: str
    width: int
    rows: int
    count: int
    chunks: list[list[Cell]]


def board_columns(page: OnePage) -> list[BoardColumn]:
    """The phase columns with how many sub-columns each needs."""
    rows = ROWS[page.layout]
    return [
        BoardColumn(
            phase=c.phase,
            label=c.label,
            width=max(1, math.ceil(len(c.cells) / rows)),
            rows=min(rows, max(1, len(c.cells))),
            count=len(c.cells),
            chunks=[c.cells[i : i + rows] for i in range(0, len(c.cells), rows)] or [[]],
        )
        for c in page.columns
    ]
