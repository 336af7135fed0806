"""What the dependency pages share: domain errors as page messages, form labels."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.core.errors import DomainError, FieldError, NotFoundError

__all__ = [
    "FIELD_LABELS",
    "NUMBER_FIELDS",
    "field_message",
    "not_a_number",
    "or_404",
    "running_projects_lookup",
]


def or_404(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


#: The form labels of the number fields, for "must be a whole number" messages.
NUMBER_FIELDS = {
    "lag": gettext_lazy("Lag"),
    "supplier_milestone": gettext_lazy("Supplier milestone ID"),
    "consumer_milestone": gettext_lazy("Consumer milestone ID"),
    "supplier_task": gettext_lazy("Supplier task ID"),
    "consumer_task": gettext_lazy("Consumer task ID"),
    "supplier_gate": gettext_lazy("Supplier gate ID"),
    "consumer_gate": gettext_lazy("Consumer gate ID"),
    "slip_days": gettext_lazy("Slip or added work (working days)"),
    "slip_milestone": gettext_lazy("Milestone"),
    "slip_task": gettext_lazy("Task"),
    "cost_impact": gettext_lazy("Cost impact"),
    "effort_impact": gettext_lazy("Resource impact (person-days)"),
}


#: The form labels of the fields a service may name in an error.
FIELD_LABELS = {
    **NUMBER_FIELDS,
    "supplier_project": gettext_lazy("Supplier project"),
    "consumer_project": gettext_lazy("Consumer project"),
    "supplier_milestone": gettext_lazy("Supplier milestone or gate"),
    "consumer_milestone": gettext_lazy("Consumer milestone or gate"),
    "supplier_gate": gettext_lazy("Supplier milestone or gate"),
    "consumer_gate": gettext_lazy("Consumer milestone or gate"),
    "supplier_task": gettext_lazy("Supplier milestone or gate"),
    "consumer_task": gettext_lazy("Consumer milestone or gate"),
    "project": gettext_lazy("Project"),
    "program": gettext_lazy("Program"),
    "type": gettext_lazy("Type"),
    "title": gettext_lazy("Title"),
    "status": gettext_lazy("Status"),
    "agreed_date": gettext_lazy("Agreed date"),
    "criticality": gettext_lazy("Criticality"),
    "system": gettext_lazy("System"),
    "note": gettext_lazy("Note"),
    "days": gettext_lazy("Slip or added work (working days)"),
    "milestone": gettext_lazy("Milestone"),
    "task": gettext_lazy("Task"),
    "reason": gettext_lazy("Reason"),
    "answer": gettext_lazy("Answer"),
}


def field_message(exc: DomainError) -> str:
    """A domain error for a page: a field is named by its form label, not its key."""
    if isinstance(exc, FieldError) and exc.errors:
        label = FIELD_LABELS.get(exc.field)
        if label is not None:
            return _("%(field)s: %(message)s") % {
                "field": label,
                "message": exc.errors[0]["message"],
            }
    return exc.message


def not_a_number(key: str) -> str:
    return _("%(field)s must be a whole number.") % {"field": NUMBER_FIELDS[key]}


def running_projects_lookup() -> str:
    """The search the dependency pages' project pickers ask: the running projects the reader
    may see (a closed or cancelled project takes no new dependency or change)."""
    return f"{reverse('api:lookup_projects')}?running=true"
