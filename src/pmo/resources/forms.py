"""Web forms. They only shape input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo.core.forms import DateField
from pmo.resources.models import AllocationStatus, Resource
from pmo.resources.services import RESOURCE_FIELDS

__all__ = [
    "AllocationForm",
    "CapacityChangeForm",
    "ResourceForm",
    "allocation_data",
    "resource_data",
]


class ResourceForm(forms.ModelForm):
    """A person or role pool: the fields :func:`pmo.resources.services.create_resource` takes."""

    class Meta:
        model = Resource
        # the service's fields, with relations by name (``org_unit`` for ``org_unit_id``)
        fields = [name.removesuffix("_id") for name in RESOURCE_FIELDS]
        field_classes = {"available_from": DateField, "available_until": DateField}


def resource_data(form: ResourceForm) -> dict[str, Any]:
    """The form's cleaned values as the service's field names (``org_unit`` -> ``org_unit_id``)."""
    data = dict(form.cleaned_data)
    org_unit, person = data.pop("org_unit"), data.pop("person")
    data["org_unit_id"] = org_unit.pk
    data["person_id"] = person.pk if person else None
    return data


class CapacityChangeForm(forms.Form):
    """A resource's capacity for a window in a scenario: what
    :func:`pmo.resources.services.add_capacity_change` takes. Field errors carry the labels
    the page shows (never the field names), and a refused form comes back with its values."""

    resource = forms.ModelChoiceField(
        queryset=Resource.objects.filter(active=True), label=_("Resource")
    )
    first = DateField(label=_("From"))
    last = DateField(label=_("To"))
    fte = forms.DecimalField(label=_("Capacity (FTE)"), min_value=0, max_digits=7, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class AllocationForm(forms.Form):
    """An allocation as the staffing and allocation pages show it (resource, from, to, FTE,
    status, note): what :func:`pmo.resources.services.create_allocation` and
    ``update_allocation`` take. Each field checks its own value first (a date inside the
    accepted range, a number), then the form the order of the dates, so a mistyped year is
    named as such rather than as an end before the start; errors carry the page's labels and
    a refused form comes back with what was typed."""

    choose = _("Choose a resource.")
    resource = forms.ModelChoiceField(
        queryset=Resource.objects.all(),
        label=_("Resource"),
        error_messages={"required": choose, "invalid_choice": choose},
    )
    first = DateField(label=_("From"))
    last = DateField(label=_("To"))
    fte = forms.DecimalField(
        label=_("FTE"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
        error_messages={"invalid": _("Enter the FTE as a number, e.g. 0.5.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=AllocationStatus.choices, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("the end date is before the start date"))
        return data


def allocation_data(form: AllocationForm) -> dict[str, Any]:
    """The form's cleaned values as the service's field names (``resource_id``, ...)."""
    data = form.cleaned_data
    return {
        "resource_id": data["resource"].pk,
        "first": data["first"],
        "last": data["last"],
        "fte": data["fte"],
        "status": data["status"] or AllocationStatus.PROPOSED,
        "note": data["note"],
    }
