"""Tests of the pure engine (run without Django)."""

__all__: list[str] = []
