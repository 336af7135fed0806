"""The one-page report's errors read in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pmo.core.errors import FieldError
from pmo.reports.onepage.build import build_onepage


def test_a_chinese_reader_is_told_in_chinese_that_the_report_is_weekly(users: Any) -> None:
    with translation.override("zh-hans"), pytest.raises(FieldError) as refused:
        build_onepage(users["exec"], {}, period="2026-10")
    assert refused.value.message == "一页报告按周编制：请使用 2026-W40 这样的周次"
    assert refused.value.field == "period"
