"""Fixtures of the capacity tests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pmo.resources.tests.factories import MON


@pytest.fixture
def on_mon(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is the Monday the fixtures book (pages mark overload before today as past)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: MON)
