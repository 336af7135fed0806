"""The core tests' collection: the PostgreSQL backup tests belong to the PostgreSQL suite."""

from __future__ import annotations

import os

# Defined only when the suite runs on PostgreSQL (``PMO_TEST_DATABASE_URL``): they need its
# server, which ``make test`` on SQLite alone does not.
collect_ignore = (
    [] if os.environ.get("PMO_TEST_DATABASE_URL", "").strip() else ["test_backup_postgresql.py"]
)
