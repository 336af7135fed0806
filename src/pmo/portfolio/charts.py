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


# The chart is drawn at about the size it is shown (half the page at 1440 px, ~660 px), so
# its text keeps the size given here instead of being scaled down to a few pixels.
SHOWN_WIDTH_IN = 6.8
LABEL_PT = 10  # dimension names
PERIOD_PT = 9  # period labels
SYMBOL_PT = 8
ALL_LABELS_UP_TO = 30  # periods that each get a label; more are labelled every n-th


def period_labels(history: Sequence[StatusReport]) -> list[str]:
    """Short period labels: the year on the first one and where the year changes
    ("2026-W40", "W41", …, "2027-W01"), so every period can be labelled legibly."""
    labels = []
    year = None
    for report in history:
        key = str(report.period)
        head, sep, tail = key.partition("-")
        if sep and head != year:
            labels.append(key)
            year = head
        else:
            labels.append(tail if sep else key)
    return labels


def rag_history_svg(history: Sequence[StatusReport]) -> str:
    """A strip per dimension (rows) across periods (columns), coloured by RAG, with % complete."""
    dims = list(DIMENSION_LABELS)
    count = len(history)
    if count <= ALL_LABELS_UP_TO:
        width = max(4.0, min(SHOWN_WIDTH_IN, 0.25 * count + 1.8))
    else:  # a long history: wider than shown, labelled every few periods
        width = 0.2 * count + 1.8
    figure = Figure(figsize=(width, 3.3), dpi=96)
    left = min(0.3, 1.25 / width)  # room for the dimension names (about 1.2 in)
    axes = figure.add_axes((left, 0.27, 0.98 - left, 0.69))
    if not history:
        axes.text(
            0.5, 0.5, _("No submitted reports yet"), ha="center", va="center", fontsize=LABEL_PT
        )
        axes.set_axis_off()
    else:
        grid = [[getattr(r, d) or 0 for r in history] for d in dims]
        # pcolormesh draws vector cells (imshow would embed a bitmap in the SVG)
        axes.pcolormesh(
            [x - 0.5 for x in range(count + 1)],
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
                        fontsize=SYMBOL_PT,
                        color="white",
                    )
        axes.set_yticks(
            range(len(dims)), [str(DIMENSION_LABELS[d]) for d in dims], fontsize=LABEL_PT
        )
        step = 1 if count <= ALL_LABELS_UP_TO else -(-count // ALL_LABELS_UP_TO)
        ticks = list(range(0, count, step))
        labels = period_labels(history)
        axes.set_xticks(
            ticks, [labels[i] for i in ticks], fontsize=PERIOD_PT, rotation=60, ha="right"
        )
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
