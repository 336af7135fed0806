"""Slip-impact benchmark (issue #7): the same as ``pmo bench impact``.

PYTHONPATH=src .venv/bin/python benchmarks/impact.py [--projects 1000] [--repeat 20]
"""

from __future__ import annotations

import sys

from pmo.bench.impact import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
