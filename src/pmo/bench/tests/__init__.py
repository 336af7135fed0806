"""Tests of the benchmarks."""

__all__: list[str] = []
