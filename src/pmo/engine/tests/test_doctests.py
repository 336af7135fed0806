"""The examples in the engine's docstrings run and stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pmo.engine

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(pmo.engine.__path__, prefix="pmo.engine.")
    if ".tests" not in info.name
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_engine_has_examples() -> None:
    attempted = sum(
        doctest.testmod(importlib.import_module(n), verbose=False).attempted for n in MODULES
    )
    assert attempted >= 10
