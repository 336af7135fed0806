"""Fail CI when a suite did not run: no browser tests, no PostgreSQL run, or any skip."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def totals(path: Path) -> tuple[int, int, int, int, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    e2e = sum(1 for case in root.iter("testcase") if ".e2e." in case.get("classname", ""))
    engine = sum(1 for case in root.iter("testcase") if "pmo.engine" in case.get("classname", ""))
    return tests, skipped, failed, e2e, engine


def main(sqlite: str, postgres: str) -> int:
    problems = []
    for label, name in (("SQLite", sqlite), ("PostgreSQL", postgres)):
        path = Path(name)
        if not path.exists():
            problems.append(f"the {label} suite did not run ({path} missing)")
            continue
        tests, skipped, failed, e2e, engine = totals(path)
        print(f"ci: {label}: {tests} tests, {skipped} skipped, {failed} failed, {e2e} browser, {engine} engine")
        if tests == 0:
            problems.append(f"the {label} suite ran no test")
        if skipped:
            problems.append(f"{skipped} test(s) skipped in the {label} suite")
        if failed:
            problems.append(f"{failed} test(s) failed in the {label} suite")
        if label == "SQLite" and e2e == 0:
            problems.append("the browser (e2e) suite did not run")
    for problem in problems:
        print(f"ci: FAIL: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
