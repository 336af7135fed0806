"""Web forms. They only shape input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from pmo.core.forms import DateInput
from pmo.resources.models import Resource
from pmo.resources.services import RESOURCE_FIELDS

__all__ = ["ResourceForm", "resource_data"]

DATE = DateInput()


class ResourceForm(forms.ModelForm):
    """A person or role pool: the fields :func:`pmo.resources.services.create_resource` takes."""

    class Meta:
        model = Resource
        # the service's fields, with relations by name (``org_unit`` for ``org_unit_id``)
        fields = [name.removesuffix("_id") for name in RESOURCE_FIELDS]
        widgets = {"available_from": DATE, "available_until": DATE}


def resource_data(form: ResourceForm) -> dict[str, Any]:
    """The form's cleaned values as the service's field names (``org_unit`` -> ``org_unit_id``)."""
    data = dict(form.cleaned_data)
    org_unit, person = data.pop("org_unit"), data.pop("person")
    data["org_unit_id"] = org_unit.pk
    data["person_id"] = person.pk if person else None
    return data
