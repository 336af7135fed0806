"""Words of the one-page report that depend on the reader's language: amounts and the scope."""

from __future__ import annotations

import pytest
from django.utils import translation

from pmo.reports.onepage.build import _scope_text
from pmo.reports.templatetags.onepage_tags import millions


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", 737_100_000, "737.1M"),
        ("en", 500_600_000, "500.6M"),
        # Chinese counts in 万 (10^4) and 亿 (10^8); "M" is not read there
        ("zh-hans", 737_100_000, "7.37亿"),
        ("zh-hans", 35_000_000, "3,500万"),
        ("zh-hans", 0, "0万"),
    ],
)
def test_budgets_are_in_the_readers_units(language: str, value: float, shown: str) -> None:
    with translation.override(language):
        assert millions(value) == shown


def test_the_scope_names_its_filters_in_words() -> None:
    filters = {"scope": "all", "program": "CORE", "pmo_type": "rnd"}
    assert _scope_text(filters) == "all projects, program CORE, PMO type R&D"
    with translation.override("zh-hans"):
        text = _scope_text(filters)
    assert text.startswith("全部项目，") and "CORE" in text and "program=" not in text
