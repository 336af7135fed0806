"""References that are ids (the case clash is checked where the codes live: the org-unit
and resource API tests)."""

from __future__ import annotations

import doctest

from pmo.core import codes


def test_the_doctests_hold() -> None:
    assert doctest.testmod(codes).failed == 0
