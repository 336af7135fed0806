"""Charts: the CJK font is found even when matplotlib's font cache predates it."""

from __future__ import annotations

from typing import Any

from matplotlib import font_manager

from pmo.portfolio import charts


def test_cjk_font_installed_after_the_font_cache_is_found(monkeypatch: Any) -> None:
    # CI installs fonts-noto-cjk; simulate a cache written before that.
    stale = [f for f in font_manager.fontManager.ttflist if f.name != charts.CJK_FONT]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    assert not any(f.name == charts.CJK_FONT for f in font_manager.fontManager.ttflist)
    assert charts._find_cjk_font()
    assert any(f.name == charts.CJK_FONT for f in font_manager.fontManager.ttflist)
