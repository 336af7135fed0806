"""Signals the accounts app sends to the apps above it (it never imports them)."""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["org_unit_changed"]

org_unit_changed = Signal()
"""Sent inside the transaction that creates or changes an org unit through the services (the
API), with ``unit``, ``actor``, ``action`` (``"create"`` or ``"update"``) and ``changes``
(``{field: [before, after]}``): the audit app records it as the admin's changes are, under
``org-unit:<code>``."""
