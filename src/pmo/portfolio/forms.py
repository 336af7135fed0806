"""Web forms. They only shape input; the services validate and write."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import modelform_factory
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import Person
from pmo.core.forms import DateField
from pmo.portfolio.models import DIMENSION_LABELS, RAG_DIMENSIONS, Project, Rag, StatusReport
from pmo.portfolio.periods import period_of, previous_period
from pmo.portfolio.raid import RAID_MODELS
from pmo.portfolio.services import RAID_FIELDS

RAG_CHOICES = [(Rag.GREEN, _("Green")), (Rag.AMBER, _("Amber")), (Rag.RED, _("Red"))]
DIMENSIONS = tuple(DIMENSION_LABELS)


def recent_periods(project: Project, today: dt.date, count: int = 8) -> list[tuple[str, str]]:
    """The current and previous periods of the project's cadence, newest first.

    Periods that ended before the project's start are left out (nothing to report then),
    except one that has a report already (a new revision of it stays possible); the current
    period is always offered, so a project that starts later can report its preparations.
    """
    period = period_of(today, project.cadence)
    reported = (
        set(StatusReport.objects.filter(project=project).values_list("period", flat=True))
        if project.pk
        else set()
    )
    choices = []
    for index in range(count):
        started = project.start_date is None or period.end >= project.start_date
        if index and not started and period.key not in reported:
            period = previous_period(period)
            continue
        label = gettext("%(period)s (%(start)s – %(end)s)") % {
            "period": period.key,
            "start": f"{period.start:%m-%d}",
            "end": f"{period.end:%m-%d}",
        }
        choices.append((period.key, label))
        period = previous_period(period)
    return choices


class StatusReportForm(forms.Form):
    """A PM's periodic report: RAG per dimension, texts, % complete and forecast."""

    period = forms.ChoiceField(label=_("Period"))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    achievements = forms.CharField(
        label=_("Achievements"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    help_needed = forms.CharField(
        label=_("Help / decision needed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision_needed = forms.BooleanField(
        label=_("A decision is needed from the PMO or steering"), required=False
    )
    # xgettext:no-python-format
    percent_complete = forms.IntegerField(label=_("% complete"), min_value=0, max_value=100)
    forecast_finish = DateField(label=_("Forecast finish"), required=False)

    def __init__(
        self,
        *args: Any,
        project: Project,
        today: dt.date,
        draft: bool = False,
        report: StatusReport | None = None,
        **kwargs: Any,
    ) -> None:
        """``draft``: the form saves a draft, which may be incomplete (no summary yet; the
        % complete left as it was). ``report``: the draft being edited, whose period is
        fixed."""
        kwargs.setdefault("label_suffix", "")  # labels stand above or beside their fields
        super().__init__(*args, **kwargs)
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ChoiceField)
        if report is not None:
            label = gettext("%(period)s (%(start)s – %(end)s)") % {
                "period": report.period,
                "start": f"{report.period_start:%m-%d}",
                "end": f"{report.period_end:%m-%d}",
            }
            period_field.choices = [(report.period, label)]
            period_field.initial = report.period
            period_field.disabled = True
        else:
            period_field.choices = recent_periods(project, today)
        if draft:
            self.fields["summary"].required = False
            self.fields["percent_complete"].required = False
        for name in DIMENSIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=DIMENSION_LABELS[name],
                choices=RAG_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "rag-radio"}),
            )
            self.fields[f"{name}_reason"] = forms.CharField(
                label=_("Reason"),
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("required for amber or red")}),
            )

    def dimension_rows(self) -> list[tuple[Any, Any]]:
        """(rating field, reason field) per dimension, for the template."""
        return [(self[name], self[f"{name}_reason"]) for name in DIMENSIONS]

    def rated_dimensions(self) -> str:
        """The dimensions besides overall, space-separated (the form's ``data-rag-check``)."""
        return " ".join(RAG_DIMENSIONS)

    def overall_better_than_worst(self) -> bool:
        """Overall is rated better (greener) than the worst dimension: worth a warning, as
        it is allowed (a PM may judge a red dimension to be under control)."""

        def rating(name: str) -> int:
            try:
                return int(self[name].value() or 0)
            except (TypeError, ValueError):
                return 0

        overall = rating("overall")
        return bool(overall) and overall < max(rating(name) for name in RAG_DIMENSIONS)


RAID_ORDER: dict[str, tuple[str, ...]] = {
    "risks": ("probability", "impact", "response", "mitigation"),
    "issues": ("severity", "escalation", "resolution"),
    "actions": (),
    "decisions": ("decision_status", "decided_by", "decided_on", "outcome"),
    "assumptions": ("validated",),
}
"""Each kind's own fields, between the shared head (title, description, owner) and tail (due
date, status)."""

SCALE = [(n, str(n)) for n in range(1, 6)]


class RaidForm(forms.ModelForm):
    """The form of a RAID entry, new or changed: labels above their fields, the owner chosen
    among people, and the names a decision's "decided by" may take offered as suggestions."""

    suggestions_id = "decided-by-suggestions"

    def __init__(self, *args: Any, suggestions: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels stand above their fields
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions or []
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Person.objects.order_by("name")
        owner.empty_label = "—"
        for name in ("probability", "impact"):
            if name in self.fields:
                field = self.fields[name]
                self.fields[name] = forms.TypedChoiceField(
                    label=field.label, choices=SCALE, coerce=int, help_text=field.help_text
                )
        if "decided_by" in self.fields:
            self.fields["decided_by"].widget.attrs["list"] = self.suggestions_id
        if "decision_status" in self.fields:
            self.fields["decision_status"].help_text = _(
                "Who decided and when are filled in once it is decided; "
                "a decision still needed leaves them empty."
            )


def raid_form_class(kind: str) -> type[RaidForm]:
    """A model form for one RAID kind with the fields its service accepts, in reading order."""
    fields = ["title", "description", "owner", *RAID_ORDER[kind], "due_date", "status"]
    assert set(fields) == RAID_FIELDS[kind], "a RAID field the form does not show"
    texts: dict[str, type[forms.Widget] | forms.Widget] = {
        name: forms.Textarea(attrs={"rows": 3})
        for name in ("description", "mitigation", "resolution", "outcome")
        if name in fields
    }
    return modelform_factory(  # type: ignore[return-value]  # a subclass of ``form``
        RAID_MODELS[kind],
        form=RaidForm,
        fields=fields,
        widgets=texts,
        field_classes={"due_date": DateField, "decided_on": DateField},
    )


def raid_data(form: forms.ModelForm) -> dict[str, Any]:
    """The form's values as the RAID services take them (the owner as a person id)."""
    data = dict(form.cleaned_data)
    owner = data.get("owner")
    data["owner"] = owner.pk if owner is not None else None
    return data


class MilestoneDatesForm(forms.Form):
    """A milestone's forecast and actual dates, as the project manager keeps them."""

    forecast_date = DateField(label=_("Forecast date"), required=False)
    actual_date = DateField(
        label=_("Actual date"),
        required=False,
        help_text=_("The day the milestone was reached; empty while it is still ahead."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels stand above their fields
        super().__init__(*args, **kwargs)


class MilestoneForm(MilestoneDatesForm):
    """A new milestone, as the API's create body has it: names, dates and the key flag (the
    service checks the dates as it does for the API)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200, required=False)
    baseline_date = DateField(label=_("Baseline date"), required=False)
    forecast_date = DateField(
        label=_("Forecast date"), required=False, help_text=_("Empty: the baseline date.")
    )
    is_key = forms.BooleanField(label=_("Key milestone"), required=False)
    field_order = ["name", "name_zh", "baseline_date", "forecast_date", "actual_date", "is_key"]


def stale_message(current: models.Model) -> str:
    """What a form says when someone else saved the object since it was opened."""
    return gettext(
        "Someone else saved this %(what)s while you were editing it. Nothing of yours is saved "
        "yet: the fields you changed keep what you typed, the others show what is saved now. "
        "Check them, then save again to keep your version."
    ) % {"what": current._meta.verbose_name}


def _shown(obj: models.Model, name: str) -> str:
    """A saved value as a page shows it."""
    value = getattr(obj, name)
    if getattr(obj._meta.get_field(name), "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Person):
        return value.display_name
    return str(value)


def carry_opened(form: forms.BaseForm) -> None:
    """Make ``form`` carry the values it was opened with (Django's hidden ``initial-<name>``
    inputs), so that a stale save can tell what its user changed from what they left."""
    for field in form.fields.values():
        field.show_hidden_initial = True


def _as_posted(field: forms.Field, value: Any) -> str:
    """A saved value as the field's form posts it (a person as their id, a date ISO)."""
    if isinstance(value, models.Model):
        value = value.pk
    prepared = field.prepare_value(value)
    if prepared is None:
        return ""
    return str(forms.HiddenInput().format_value(prepared) or "")


def _differs(field: forms.Field, before: Any, posted: str) -> bool:
    try:
        return bool(field.has_changed(field.to_python(before), posted))
    except forms.ValidationError:
        return True


@dataclasses.dataclass
class Rebased:
    """A stale form put on the saved object: (label, saved value) of the fields both its user
    and someone else changed, differently (``conflicts``), and of those only someone else
    changed, now in the form (``taken``)."""

    conflicts: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    taken: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def rebase_on_saved(form: forms.BaseForm, current: models.Model) -> Rebased:
    """Put a valid, stale ``form`` (:func:`carry_opened`) on ``current``, the object as saved
    now: a field its user did not change (typed as opened) takes the saved value, one they
    changed keeps what they typed, and the form now counts as opened with the saved values,
    so that saving again keeps what it shows. A form posted without what it was opened with
    counts every typed field as changed."""
    changed = set(form.changed_data)
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
    rebased = Rebased()
    for name, field in form.fields.items():
        if field.disabled or name not in form.cleaned_data:
            continue
        bound = form[name]
        saved = _as_posted(field, getattr(current, name))
        opened = form.data.get(bound.html_initial_name)
        by_others = _differs(field, opened, saved)
        shown = (str(field.label), _shown(current, name))
        if name not in changed:
            if by_others:
                data[bound.html_name] = saved
                rebased.taken.append(shown)
        elif by_others and form.cleaned_data[name] != getattr(current, name):
            rebased.conflicts.append(shown)
        data[bound.html_initial_name] = saved
    form.data = data
    form._errors = None  # type: ignore[attr-defined]  # cleaned again on the values shown
    form.__dict__.pop("changed_data", None)
    form._bound_fields_cache.clear()  # type: ignore[attr-defined]
    form.full_clean()
    return rebased


def _more_than_zero(value: Decimal) -> None:
    if value <= 0:
        raise ValidationError(_("must be more than 0"), code="min_value")


class ExchangeRateForm(forms.Form):
    """A rate the PMO sets: a currency (ISO 4217, from a select of the codes in use and the
    common ones, named in the reader's language), how many units of the base currency one unit
    buys, and the day it applies from (the service checks them as it does for the API)."""

    currency = forms.ChoiceField(label=_("Currency"))
    # One rule from the browser to the service: more than 0. The smallest rate the eight
    # decimal places hold is the input's min (a browser then refuses 0 as the server does),
    # and the server says "more than 0", the service's words, for 0 and below alike.
    rate = forms.DecimalField(
        label=_("Rate"),
        max_digits=18,
        decimal_places=8,
        localize=False,
        validators=[_more_than_zero],
        widget=forms.NumberInput(attrs={"min": "0.00000001"}),
    )
    valid_from = DateField(label=_("Valid from"))

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], base: str, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        currency.choices = choices
        self.fields["rate"].help_text = gettext(
            "How many %(base)s one unit of the currency buys (e.g. 7.1 for USD)."
        ) % {"base": base}
