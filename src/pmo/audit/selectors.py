"""Reading the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from pmo.audit.models import AuditEvent


def list_events(*, scope: str) -> QuerySet[AuditEvent]:
    """Events of one scope (e.g. ``project:12``), newest first."""
    return AuditEvent.objects.filter(scope=scope).order_by("-timestamp", "-id")
