"""``pmo demo`` checks where it will serve before it loads anything; ``pmo serve`` names the
source of a bad port (``--port`` or ``PMO_PORT``) and never lets a port wrap around."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pmo.demo.management.commands import demo


@pytest.fixture
def loading(monkeypatch: Any) -> list[str]:
    """Records whether the demo started loading (migrate or load)."""
    calls: list[str] = []
    monkeypatch.setattr(demo, "call_command", lambda name, **kw: calls.append(name))
    monkeypatch.setattr(demo, "load_demo", lambda **kw: calls.append("load"))
    return calls


def test_demo_refuses_a_port_above_65535_even_without_serving(loading: list[str]) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("demo", "--port", "99999", "--no-serve")
    assert str(refused.value) == "Error: argument --port: a port is 1 to 65535, got 99999"
    assert loading == []


def test_demo_refuses_a_bad_pmo_port_before_loading(loading: list[str], monkeypatch: Any) -> None:
    monkeypatch.setenv("PMO_PORT", "abc")
    with pytest.raises(CommandError) as refused:
        call_command("demo")
    assert str(refused.value) == "PMO_PORT: not a port: 'abc'"
    assert loading == []


def test_serve_refuses_a_port_passed_by_code_that_argparse_never_saw() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("serve", port=99999)
    assert str(refused.value) == "--port: a port is 1 to 65535, got 99999"


def test_serve_names_pmo_port(monkeypatch: Any) -> None:
    monkeypatch.setenv("PMO_PORT", "99999")
    with pytest.raises(CommandError) as refused:
        call_command("serve")
    assert str(refused.value) == "PMO_PORT: a port is 1 to 65535, got 99999"
