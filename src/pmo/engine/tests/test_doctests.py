"""Run the docstring examples of every engine module as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pmo.engine.cpm.network",
    "pmo.engine.cpm.passes",
    "pmo.engine.cpm.model",
    "pmo.engine.cpm.schedule",
    "pmo.engine.calendars.model",
    "pmo.engine.calendars.axis",
    "pmo.engine.impact",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
