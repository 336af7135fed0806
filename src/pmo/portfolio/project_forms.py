"""The web form of a project, new or changed. It shapes input as the API's body does
(``ProjectIn`` / ``ProjectPatch``); the services check codes, references and dates, and write.
So that a refused save says every problem at once, the form also asks the services' checks
(:func:`~pmo.portfolio.services.projects.project_problems`) about the values that passed their
fields' own checks; the services check again when saving."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import OrgUnit, Person
from pmo.core.forms import DateField
from pmo.portfolio.currencies import base_currency, currencies_in_use, currency_choices
from pmo.portfolio.models import Cadence, PmoType, Portfolio, Program, Project
from pmo.portfolio.services import PMO_ONLY_FIELDS
from pmo.portfolio.services.projects import code_problem, project_problems

__all__ = ["CODE_PATTERN", "ProjectForm", "project_data"]

CODE_PATTERN = r"^[-A-Za-z0-9_.]+$"
"""What the API's body accepts as a project code (``ProjectIn.code``): it is part of addresses."""

PRIORITIES = [(n, str(n)) for n in range(1, 6)]

EDIT_ONLY = ("baseline_finish", "forecast_finish")
"""Fields only the edit form has: a new project's start from its planned finish."""
CHECKED = ("portfolio", "program", "start_date", "planned_finish", *EDIT_ONLY)
"""The fields the services' rules beyond each field's own read (see ``ProjectForm.clean``)."""


class _CodeNameChoice(forms.ModelChoiceField):
    """A portfolio, program or org unit offered as "code · name" (names repeat, codes do not)."""

    def label_from_instance(self, obj: models.Model) -> str:
        return f"{obj.code} · {obj.display_name}"  # type: ignore[attr-defined]


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: models.Model) -> str:
        return str(obj.display_name)  # type: ignore[attr-defined]


class ProjectForm(forms.Form):
    """A project's own fields. New (``project`` None): the planned finish, which the service
    copies to the baseline and forecast finish. Changed: the planned, baseline and forecast
    finish, and for someone not of the PMO the fields only the PMO may change are shown
    disabled (the service refuses them, as the API does)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        validators=[
            RegexValidator(
                CODE_PATTERN, _("use letters, digits, hyphens, underscores and dots only")
            )
        ],
        help_text=_("Letters, digits, - _ and . only; it is part of the project's address."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200, required=False)
    portfolio = _CodeNameChoice(Portfolio.objects.order_by("code"), label=_("Portfolio"))
    program = _CodeNameChoice(Program.objects.order_by("code"), label=_("Program"), required=False)
    org_unit = _CodeNameChoice(OrgUnit.objects.order_by("path"), label=_("Org unit"))
    pmo_type = forms.ChoiceField(label=_("PMO type"), choices=PmoType.choices)
    priority = forms.TypedChoiceField(
        label=_("Priority (1 = highest)"),
        choices=PRIORITIES,
        coerce=int,
        initial=3,
        help_text=_("1 (highest) to 5 (lowest)"),
    )
    strategic = forms.BooleanField(
        label=_("Strategic project: on the one-page report by default"), required=False
    )
    manager = _PersonChoice(
        Person.objects.order_by("name"), label=_("Project manager"), required=False
    )
    sponsor = _PersonChoice(Person.objects.order_by("name"), label=_("Sponsor"), required=False)
    start_date = DateField(label=_("Start"), required=False)
    planned_finish = DateField(
        label=_("Planned finish"),
        required=False,
        help_text=_("The baseline and the forecast finish start from it."),
    )
    baseline_finish = DateField(label=_("Baseline finish"), required=False)
    forecast_finish = DateField(label=_("Forecast finish"), required=False)
    budget = forms.DecimalField(
        label=_("Budget"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        localize=False,
    )
    currency = forms.ChoiceField(label=_("Currency"))
    cadence = forms.ChoiceField(label=_("Reporting"), choices=Cadence.choices, initial="weekly")
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, project: Project | None = None, pmo: bool = True, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")  # labels stand above their fields
        if project is not None:
            kwargs.setdefault("initial", initial_of(project))
        super().__init__(*args, **kwargs)
        self.project = project
        if project is None:
            for name in EDIT_ONLY:
                del self.fields[name]
        else:
            self.fields["planned_finish"].help_text = _(
                "Changing it moves neither the baseline nor the forecast finish."
            )
        for name in ("manager", "sponsor", "program"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.empty_label = "—"
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        current = project.currency if project is not None else ""
        currency.choices = currency_choices(currencies_in_use(), current)
        currency.initial = current or base_currency()
        if not pmo:
            for name in PMO_ONLY_FIELDS & set(self.fields):
                self.fields[name].disabled = True

    def clean(self) -> dict[str, Any]:
        """Check what the services will (a new or changed code another project has, also by
        case only; a program of another portfolio; a finish before the start) on an unsaved
        project holding the values that passed their fields' checks, so one refused save
        names every problem. The fields are
        checked as the save would: all on a new project, those not disabled on an edit."""
        cleaned = super().clean() or {}
        code = cleaned.get("code")
        renamed = self.project is None or code != self.project.code
        if code and renamed and not self.fields["code"].disabled:
            taken = code_problem(code, project=self.project)
            if taken is not None:
                self.add_error("code", taken.message)
        unsaved = Project(**{name: cleaned[name] for name in CHECKED if name in cleaned})
        changed = (
            None
            if self.project is None
            else {name for name, field in self.fields.items() if not field.disabled}
        )
        for problem in project_problems(unsaved, changed=changed):
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)
        return cleaned

    def fields_in_error(self) -> list[forms.BoundField]:
        """The shown fields with an error, in the form's order (the summary above the form
        links to each)."""
        return [bound for bound in self if bound.errors]

    def missing_references(self) -> list[str]:
        """What must exist before a project can be saved: no portfolio or no org unit yet."""
        missing = []
        for name in ("portfolio", "org_unit"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            if field.queryset is not None and not field.queryset.exists():
                missing.append(name)
        return missing


def initial_of(project: Project) -> dict[str, Any]:
    """A project's saved values as the form shows them."""
    return {name: getattr(project, name) for name in ProjectForm.base_fields}


def project_data(form: ProjectForm) -> dict[str, Any]:
    """The form's values as the project services take them (the API body's shape: portfolio,
    program and org unit by code, people by id); the disabled fields are left out, so a
    project manager's save does not name the fields only the PMO may change."""
    data: dict[str, Any] = {}
    for name, value in form.cleaned_data.items():
        if form.fields[name].disabled:
            continue
        if name in ("portfolio", "program", "org_unit"):
            value = value.code if value is not None else None
        elif name in ("manager", "sponsor"):
            value = value.pk if value is not None else None
        data[name] = value
    return data
