"""Web forms. They only shape input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import OrgUnit
from pmo.core.errors import FieldError
from pmo.core.forms import DateField
from pmo.core.sentences import join_sentences
from pmo.portfolio.currencies import base_currency, currencies_in_use, currency_choices
from pmo.portfolio.lookup import clean_typed
from pmo.resources.heatmap import MAX_DAYS
from pmo.resources.lookup import resolve_resource, resource_label
from pmo.resources.models import (
    AllocationStatus,
    CapacityChange,
    Resource,
    Role,
)
from pmo.resources.services import RESOURCE_FIELDS
from pmo.resources.services.capacity import REPLACE_LABEL, Carved

__all__ = [
    "AllocationForm",
    "AvailabilityForm",
    "CapacityChangeForm",
    "PickerInput",
    "ResourceCapacityForm",
    "ResourceForm",
    "ResourcePickerField",
    "RoleForm",
    "RoleInput",
    "RoleMergeForm",
    "allocation_data",
    "offer_all",
    "resource_data",
    "resource_picker",
]


# An FTE as the models store it (7 digits, 2 of them decimals): Django's own messages count
# digits ("no more than 7 digits in total"); these say the number a person may type.
FTE_ERRORS = {
    "invalid": _("Enter the FTE as a number, e.g. 0.5."),
    "min_value": _("Enter 0 FTE or more."),
    "max_digits": _("Enter at most 99,999.99 FTE."),
    "max_whole_digits": _("Enter at most 99,999.99 FTE."),
    "max_decimal_places": _("Enter the FTE with at most 2 decimals, e.g. 0.25."),
}


def fte_field(label: Any, *, step: bool = True, **kwargs: Any) -> forms.DecimalField:
    """An FTE box as the models store it, with :data:`FTE_ERRORS` (and a 0.05 step)."""
    if step:
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "0.05"}))
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        error_messages=FTE_ERRORS,
        **kwargs,
    )


class PickerInput(forms.Widget):
    """The searchable picker's two inputs (``templates/pmo/picker.html``): ``NAME``, the value
    picked (hidden), and ``NAME_text``, the box the reader types in. The field gets both."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[Any, Any]:
        return data.get(name), data.get(f"{name}_text")

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_text" not in data


class ResourcePickerField(forms.ModelChoiceField):
    """A resource chosen with the searchable picker: the id it picked, or, when the box holds
    something else (typed without picking, or no script ran), the resource the typed text
    names (:func:`pmo.resources.lookup.resolve_resource`: id, code, ``role · name`` or a
    name only one resource has). A client posting the id alone (no box) is taken as before."""

    widget = PickerInput

    def to_python(self, value: Any) -> Any:
        picked, text = value if isinstance(value, tuple) else (value, None)
        picked = clean_typed(picked)
        if text is None:
            return super().to_python(picked)
        text = clean_typed(text)
        if not text:
            return None
        if picked:
            try:
                chosen = super().to_python(picked)
            except ValidationError:
                chosen = None
            if chosen is not None and text in (resource_label(chosen), picked):
                return chosen
        try:
            among = self.queryset if self.queryset is not None else Resource.objects.none()
            return resolve_resource(among, text, "resource")
        except FieldError as exc:
            raise ValidationError(str(exc.errors[0]["message"]), code="invalid_choice") from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Whether the resource chosen differs from ``initial`` (the picker posts the id and
        the box's text: the resource they name is compared, not the pair)."""
        if self.disabled:
            return False
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        opened = self.prepare_value(initial)
        return str("" if opened is None else opened) != str(chosen.pk if chosen else "")


def resource_picker(form: forms.BaseForm, name: str = "resource") -> dict[str, str]:
    """What a form's resource picker shows: ``value`` (the id), ``text`` (its box: the chosen
    resource's ``role · name``, else what was typed), ``error`` and ``url`` (its search)."""
    field = form[name]
    error = join_sentences(field.errors)
    chosen: Any = None
    text = ""
    if form.is_bound:
        picked, typed = field.value()
        cleaned = getattr(form, "cleaned_data", {}).get(name)
        chosen = cleaned if isinstance(cleaned, Resource) else None
        text = str(typed if typed is not None else picked or "")
    else:
        initial = field.value()
        if isinstance(initial, Resource):
            chosen = initial
        elif initial not in (None, ""):
            chosen = Resource.objects.filter(pk=initial).first()
    return {
        "value": str(chosen.pk) if chosen is not None else "",
        "text": resource_label(chosen) if chosen is not None else text,
        "error": error,
        "url": reverse("api:lookup_resources"),
    }


class RoleInput(forms.TextInput):
    """The role box of the resource form: a text input with a ``<datalist>`` of the role
    catalogue, so typing offers the roles there (each with its Chinese name) while any other
    text still makes a new role. Without a script, or in a browser without datalists, it is
    a plain text box."""

    def __init__(self, roles: list[tuple[str, str]], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.roles = roles  # (name, Chinese name) of each catalogue role

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        listed = f"{(attrs or {}).get('id') or name}-catalogue"
        box = super().render(name, value, {**(attrs or {}), "list": listed}, renderer)
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((role, zh) if zh and zh != role else (role, "") for role, zh in self.roles),
        )
        return format_html('{}<datalist id="{}">{}</datalist>', box, listed, options)


class ResourceForm(forms.ModelForm):
    """A person or role pool: the fields :func:`pmo.resources.services.create_resource` takes."""

    class Meta:
        model = Resource
        # the service's fields, with relations by name (``org_unit`` for ``org_unit_id``)
        fields = [name.removesuffix("_id") for name in RESOURCE_FIELDS]
        field_classes = {"available_from": DateField, "available_until": DateField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a select of currencies (ADR 0016): the base one, those in use by projects, rates and
        # resources, the common ones, and what the resource stores (kept even if not ISO)
        in_use = {*currencies_in_use(), *Resource.objects.values_list("currency", flat=True)}
        stored = self.instance.currency if self.instance.pk else ""
        self.fields["currency"] = forms.ChoiceField(
            label=self.fields["currency"].label,
            choices=currency_choices(in_use, current=stored),
        )
        if not self.instance.pk:
            self.initial["currency"] = base_currency()
        roles = list(Role.objects.order_by("name").values_list("name", "name_zh"))
        self.fields["role"].widget = RoleInput(roles, attrs=self.fields["role"].widget.attrs)


def resource_data(form: ResourceForm) -> dict[str, Any]:
    """The form's cleaned values as the service's field names (``org_unit`` -> ``org_unit_id``)."""
    data = dict(form.cleaned_data)
    org_unit, person = data.pop("org_unit"), data.pop("person")
    data["org_unit_id"] = org_unit.pk
    data["person_id"] = person.pk if person else None
    return data


def _role_label(name: str) -> Any:
    """The label of a role form's field: the model field's name, capitalised (lazily)."""
    field = Role._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column, not a relation
    return capfirst(field.verbose_name)


class RoleForm(forms.Form):
    """A role of the catalogue: what :func:`pmo.resources.services.create_role` and
    ``update_role`` take. A plain form rather than a model form, so that a refused edit
    leaves the role the page is about as saved, and the service alone judges the name
    (also one differing from another role's by case only)."""

    name = forms.CharField(label=_role_label("name"), max_length=100)
    name_zh = forms.CharField(
        label=_role_label("name_zh"),
        max_length=100,
        required=False,
        help_text=Role._meta.get_field("name_zh").help_text,
    )
    description = forms.CharField(
        label=_role_label("description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RoleMergeForm(forms.Form):
    """The role another one is merged into (:func:`pmo.resources.services.merge_role`): any
    catalogue role but the merged one."""

    into = forms.ModelChoiceField(
        queryset=Role.objects.none(),
        label=_("Merge into"),
        empty_label=_("Choose a role"),
        error_messages={
            "required": _("Choose the role to merge into."),
            "invalid_choice": _("That role is no longer in the catalogue; choose another."),
        },
    )

    def __init__(self, *args: Any, role: Role, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Role.objects.exclude(pk=role.pk).order_by("name")  # type: ignore[attr-defined]


class ReplaceOverlapForm(forms.Form):
    """The part of a capacity change's form that lets it take its days from the changes it
    overlaps (``replace_overlap``): the box is shown once a save was refused for them
    (``overlapping``, set by the view), with ``seen``, the id and version of each of them the
    page shows, so that one changed or added since is not cut unseen."""

    replace_overlap = forms.BooleanField(required=False, label=_(REPLACE_LABEL))
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.overlapping: list[CapacityChange] = []
        self.carve_plan: list[Carved] = []  # what the box does to them (plan_carve_out)

    def clean_seen(self) -> dict[int, int] | None:
        raw = (self.cleaned_data.get("seen") or "").strip()
        if not raw:
            return None  # a post without it (a script): not checked
        seen = {}
        for part in raw.split(","):
            pk, _sep, version = part.partition(":")
            if not (pk.isdigit() and version.isdigit()) or len(pk) > 18 or len(version) > 18:
                # above the fields: its box is shown only beside an overlap
                self.add_error(None, _("This page is out of date or damaged: reload it and retry."))
                return None
            seen[int(pk)] = int(version)
        return seen

    @property
    def seen_value(self) -> str:
        return ",".join(f"{c.pk}:{c.version}" for c in self.overlapping)

    @property
    def overlap_plan(self) -> str:
        """What ticking the box does to each overlapping change ("Ticking it splits the
        capacity change 2027-01-01 – 2027-06-30 (0.5 FTE) into …"), for the days typed."""
        return join_sentences(c.plan_sentence() for c in self.carve_plan)


class ResourceCapacityForm(ReplaceOverlapForm):
    """One resource's capacity for a window of the current plan, on the resource's page
    (leave, a part-time period, a pool growing): what
    :func:`pmo.resources.services.add_capacity_change` takes, the resource given by the page.
    Each field checks its own value first, then the order of the days."""

    first = DateField(label=_("First day"))
    last = DateField(label=_("Last day"))
    fte = fte_field(_("Capacity (FTE)"), help_text=_("0 for leave, 0.5 for half time"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("the end date is before the start date"))
        return data


class CapacityChangeForm(ResourceCapacityForm):
    """A resource's capacity for a window in a scenario: the resource page's form
    (:class:`ResourceCapacityForm`: its labels, FTE step, help and checks) with the resource
    chosen in a picker. Field errors carry the labels the page shows (never the field names),
    and a refused form comes back with its values."""

    resource = ResourcePickerField(
        queryset=Resource.objects.filter(active=True), label=_("Resource")
    )
    field_order = ["resource", "first", "last", "fte", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "capacity-%s")  # the page has other forms' boxes
        super().__init__(*args, **kwargs)


class AllocationForm(forms.Form):
    """An allocation as the staffing and allocation pages show it (resource, from, to, FTE,
    status, note): what :func:`pmo.resources.services.create_allocation` and
    ``update_allocation`` take. Each field checks its own value first (a date inside the
    accepted range, a number), then the form the order of the dates, so a mistyped year is
    named as such rather than as an end before the start; errors carry the page's labels and
    a refused form comes back with what was typed."""

    choose = _("Choose a resource.")
    resource = ResourcePickerField(
        queryset=Resource.objects.all(),
        label=_("Resource"),
        error_messages={"required": choose, "invalid_choice": choose},
    )
    first = DateField(label=_("From"))
    last = DateField(label=_("To"))
    fte = fte_field(_("FTE"))
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


class _OrgUnitChoice(forms.ModelChoiceField):
    """An org unit offered by its name in the reader's language (as the heat map lists them)."""

    def label_from_instance(self, obj: models.Model) -> str:
        return str(obj.display_name)  # type: ignore[attr-defined]


def offer_all(form: forms.Form, roles: list[tuple[str, str]]) -> None:
    """A filter form's ``role`` choices (``roles``) and ``org_unit`` choices, both led by
    "All" (no narrowing); a value not among them (a link from elsewhere, an old bookmark) is
    named at its field, not "Select a valid choice" alone."""
    field = form.fields["role"]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", _("All")), *roles]
    field.error_messages["invalid_choice"] = _("No role “%(value)s”: choose one from the list.")
    unit = form.fields["org_unit"]
    assert isinstance(unit, forms.ModelChoiceField)
    unit.empty_label = _("All")  # type: ignore[assignment]
    unit.error_messages["invalid_choice"] = _("No org unit “%(value)s”: choose one from the list.")


class AvailabilityForm(forms.Form):
    """The question of the "Who is free?" page (:mod:`pmo.resources.views.availability`):
    which role, skill and org unit, which days, how many FTE. Read from the query string; the
    page keeps what was typed and names each mistake at its field."""

    role = forms.ChoiceField(label=_("Role"), required=False)
    skill = forms.CharField(label=_("Skill"), max_length=100, required=False)
    org_unit = _OrgUnitChoice(OrgUnit.objects.order_by("path"), label=_("Org unit"), required=False)
    first = DateField(label=_("From"))
    last = DateField(label=_("To"))
    fte = fte_field(_("FTE needed"), required=False)
    committed = forms.BooleanField(label=_("Committed only"), required=False)

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_all(self, roles)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("the end date is before the start date"))
        elif first and last and (last - first).days >= MAX_DAYS:
            self.add_error("last", _("Choose at most a year (366 days) from the start date."))
        return data
