"""The stylesheet reaches the browser: unstyled pages are unusable and tests would not notice."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_pages_are_styled(sign_in: Any) -> None:
    page = sign_in("exec")
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('header.topbar')).backgroundColor"
    )
    assert colour == "rgb(31, 78, 121)"
    assert page.evaluate("typeof window.htmx") == "object"
