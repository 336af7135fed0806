"""Charts drawn with matplotlib as SVG: the same picture on screen and in documents."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from django.utils.translation import gettext as _
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from pmo.portfolio.models import DIMENSION_LABELS, StatusReport

RAG_COLOURS = ["#ffffff", "#2e9d4b", "#f0b400", "#d64541"]  # none, green, amber, red
RAG_SYMBOLS = {1: "●", 2: "▲", 3: "■"}  # shape as well as colour: readable in grayscale

matplotlib.rcParams["svg.fonttype"] = "none"  # keep text as text (Chinese renders with page fonts)
matplotlib.rcParams["font.family"] = ["Noto Sans CJK SC", "DejaVu Sans", "sans-serif"]
CJK_FONT = "Noto Sans CJK SC"


def _find_cjk_font() -> bool:
    """Make sure matplotlib knows the CJK font if the system has it.

    matplotlib caches the system's font list on first use; fonts installed after that
    (``apt-get install fonts-noto-cjk`` once the app has run) stay unknown to it, and
    Chinese labels are then measured with DejaVu Sans, which has no CJK glyphs. The
    files are added here in that case (a few milliseconds, once per process).
    """
    from matplotlib import font_manager

    if any(f.name == CJK_FONT for f in font_manager.fontManager.ttflist):
        return True
    for path in font_manager.findSystemFonts():
        if "NotoSansCJK" in path:
            font_manager.fontManager.addfont(path)
    return any(f.name == CJK_FONT for f in font_manager.fontManager.ttflist)


_find_cjk_font()


def rag_history_svg(history: Sequence[StatusReport]) -> str:
    """A strip per dimension (rows) across periods (columns), coloured by RAG, with % complete."""
    dims = list(DIMENSION_LABELS)
    figure = Figure(figsize=(max(4.0, 0.32 * len(history) + 2.2), 2.9), dpi=96)
    axes = figure.add_axes((0.16, 0.22, 0.82, 0.72))
    if not history:
        axes.text(0.5, 0.5, _("No submitted reports yet"), ha="center", va="center")
        axes.set_axis_off()
    else:
        grid = [[getattr(r, d) or 0 for r in history] for d in dims]
        # pcolormesh draws vector cells (imshow would embed a bitmap in the SVG)
        axes.pcolormesh(
            [x - 0.5 for x in range(len(history) + 1)],
            [y - 0.5 for y in range(len(dims) + 1)],
            grid,
            cmap=ListedColormap(RAG_COLOURS),
            vmin=0,
            vmax=3,
            edgecolors="white",
            linewidth=1.5,
        )
        axes.invert_yaxis()
        for row, dim in enumerate(dims):
            for col, report in enumerate(history):
                value = getattr(report, dim)
                if value:
                    axes.text(
                        col,
                        row,
                        RAG_SYMBOLS[value],
                        ha="center",
                        va="center",
                        fontsize=6,
                        color="white",
                    )
        axes.set_yticks(range(len(dims)), [str(DIMENSION_LABELS[d]) for d in dims], fontsize=8)
        step = max(1, len(history) // 8)
        ticks = list(range(0, len(history), step))
        axes.set_xticks(ticks, [history[i].period for i in ticks], fontsize=7, rotation=30)
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
