"""Values a service recorded by key rather than by id, read as names in the active language.

Starting a lifecycle records its template as ``"business r1"`` (code and revision, the
template's ``str()``) and its first phase by key (``"idea"``): stable words for the record, but
not what a reader calls them. Pages show the template's name ("Business initiative lifecycle
(revision 1)") and the phase's name ("Idea", 构想), looked up in the template the same event
names. A template that is gone reads by its code ("business (revision 1)"), a phase that is gone
by its key. Rows are read through the app registry: the audit app imports no domain app.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _

from pmo.audit.models import AuditEvent

__all__ = ["RecordedKeys"]

LIFECYCLE = "governance.projectlifecycle"
TEMPLATE_KEY = re.compile(r"^(?P<code>\S+) r(?P<revision>\d+)$")


def _revisioned(name: str, revision: str | int) -> str:
    return _("%(name)s (revision %(revision)s)") % {"name": name, "revision": revision}


def _template_keys(event: AuditEvent) -> list[tuple[str, int]]:
    """The templates ``event`` names by code and revision (before and after)."""
    if event.object_type != LIFECYCLE:
        return []
    recorded = event.changes.get("template")
    values = recorded if isinstance(recorded, list) else [recorded]
    keys = []
    for value in values:
        if isinstance(value, str) and (match := TEMPLATE_KEY.match(value)):
            keys.append((match["code"], int(match["revision"])))
    return keys


class RecordedKeys:
    """The templates (with their phases) that a page's lifecycle events name, in two queries."""

    def __init__(self) -> None:
        self._wanted: set[tuple[str, int]] = set()
        self._templates: dict[tuple[str, int], Any] = {}

    def want(self, event: AuditEvent) -> None:
        self._wanted.update(_template_keys(event))

    def fetch(self) -> None:
        if not self._wanted:
            return
        model = apps.get_model("governance", "LifecycleTemplate")
        wanted = Q()
        for code, revision in self._wanted:
            wanted |= Q(code=code, revision=revision)
        rows = model._default_manager.filter(wanted).prefetch_related("phases")
        self._templates = {(row.code, row.revision): row for row in rows}

    def shown(self, event: AuditEvent, name: str, value: Any) -> str | None:
        """``value`` of field ``name`` in ``event`` as a name, or None when it is not a key
        this module reads (the caller shows it as usual)."""
        if event.object_type != LIFECYCLE or not isinstance(value, str) or not value:
            return None
        if name == "template" and (match := TEMPLATE_KEY.match(value)):
            row = self._templates.get((match["code"], int(match["revision"])))
            return _revisioned(row.display_name if row else match["code"], match["revision"])
        if name == "phase":
            for key in _template_keys(event):
                template = self._templates.get(key)
                phases = {p.key: p for p in template.phases.all()} if template else {}
                if value in phases:
                    return str(phases[value].display_name)
            return value  # the template is gone: the key as recorded, not through the catalogue
        return None
