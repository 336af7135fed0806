"""What the one-page steering report shows, independent of the output format."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from pmo.portfolio.periods import Period

__all__ = [
    "CHANGE_LABELS",
    "ESCALATION_LABELS",
    "Cell",
    "Change",
    "Column",
    "Escalation",
    "Header",
    "OnePage",
]

#: What each kind of :class:`Escalation` is called, in the reader's language.
ESCALATION_LABELS = {
    "decision": _("Decision needed"),
    "help": _("Help needed"),
    "issue": _("Escalated issue"),
}

#: What each kind of :class:`Change` is called, in the reader's language.
CHANGE_LABELS = {
    "new_red": _("new red"),
    "recovered": _("recovered"),
    "gate": _("gate"),
    "phase": _("phase"),
    "started": _("started"),
    "closed": _("closed"),
    "cancelled": _("cancelled"),
}


# A short full-width bracket in a name ("（2期）"): drawn on one line, so a narrow cell breaks
# before the bracket, not inside it (the Chinese audit found "（2" / "期）"). Chinese breaks
# between any two characters; English "(phase 2)" breaks at its space as English does.
SHORT_BRACKET = re.compile(r"(（[^（）]{1,8}）)")


@dataclass
class Cell:
    """One project on the page."""

    code: str
    name: str
    rag: int | None  # 1 green, 2 amber, 3 red; None: never reported
    stale: bool  # the rating is from an earlier period (this period's report is missing)
    trend: int | None  # 1 better, 0 same, -1 worse than the previous period
    weeks_in_phase: int | None
    expected_weeks: int | None
    next_gate: str
    next_gate_date: dt.date | None
    decision_needed: bool
    missing: bool
    gate_overdue: bool
    priority: int
    percent_complete: int
    program: str
    manager: str
    dependency_broken: bool = False  # a dependency of the project is at risk or broken
    change_affected: bool = False  # a pending or approved change request hits the project

    @property
    def name_parts(self) -> list[tuple[str, bool]]:
        """The name in pieces, each with whether it must stay on one line (a short bracket):
        "线上贷款申请（2期）" gives [("线上贷款申请", False), ("（2期）", True)]."""
        # split() with the bracket captured: the brackets are the odd pieces
        pieces = SHORT_BRACKET.split(self.name)
        return [(piece, n % 2 == 1) for n, piece in enumerate(pieces) if piece]


@dataclass
class Column:
    """A lifecycle phase and its projects, in gate order."""

    phase: str
    label: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Header:
    """The portfolio figures of the strip at the top."""

    total: int
    rag_counts: dict[str, int]  # red / amber / green / none
    rag_delta: dict[str, int]  # change vs the previous period
    by_phase: list[tuple[str, int]]
    budget: list[tuple[str, float]]  # (currency, total)
    phase_changes: int
    missing: int
    decisions: int
    gates_overdue: int
    gates_passed: int = 0
    # the budgets in the base currency at the rates valid on the period's last day (ADR 0016):
    # ``budget_total`` is None when a currency has no rate then (``budget_missing`` names it)
    budget_base: str = ""
    budget_total: float | None = None
    budget_missing: list[str] = field(default_factory=list)
    budget_note: str = ""  # the total's line, or which rate is missing, in the page's language


@dataclass
class Escalation:
    """A decision or help the steering committee is asked for."""

    code: str
    name: str
    text: str
    rag: int | None
    priority: int
    kind: str  # "decision" | "help" | "issue"


@dataclass
class Change:
    """Something that changed since the previous period."""

    kind: str  # "new_red" | "recovered" | "cancelled" | "gate" | "phase" | "started" | "closed"
    code: str
    name: str
    detail: str


@dataclass
class OnePage:
    """The whole page."""

    period: Period
    previous: Period
    cutoff: dt.datetime
    provisional: bool  # the period's deadline has not passed: reports may still come in
    title: str
    scope: str
    columns: list[Column]
    header: Header
    escalations: list[Escalation]
    changes: list[Change]
    layout: str  # "normal" (<= 60), "compact", "dense", "paged"
    language: str

    @property
    def cells(self) -> list[Cell]:
        """Every project cell, column by column."""
        return [cell for column in self.columns for cell in column.cells]
