"""Web forms. They only shape input; the services validate and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.core.forms import DateField
from pmo.portfolio.models import DIMENSION_LABELS, RAG_DIMENSIONS, Project, Rag
from pmo.portfolio.periods import period_of, previous_period
from pmo.portfolio.raid import RAID_MODELS
from pmo.portfolio.services import RAID_FIELDS

RAG_CHOICES = [(Rag.GREEN, _("Green")), (Rag.AMBER, _("Amber")), (Rag.RED, _("Red"))]
DIMENSIONS = tuple(DIMENSION_LABELS)


def recent_periods(project: Project, today: dt.date, count: int = 8) -> list[tuple[str, str]]:
    """The current and previous periods of the project's cadence, newest first."""
    period = period_of(today, project.cadence)
    choices = []
    for _index in range(count):
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

    def __init__(self, *args: Any, project: Project, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels stand above or beside their fields
        super().__init__(*args, **kwargs)
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ChoiceField)
        period_field.choices = recent_periods(project, today)
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


def raid_form_class(kind: str) -> type[forms.ModelForm]:
    """A model form for one RAID kind with the fields its service accepts."""
    fields = [f for f in RAID_FIELDS[kind] if f != "owner"]
    order = [
        "title",
        "description",
        "probability",
        "impact",
        "severity",
        "escalation",
        "decision_status",
        "status",
        "due_date",
    ]
    fields.sort(key=lambda f: order.index(f) if f in order else 50)
    return modelform_factory(
        RAID_MODELS[kind],
        fields=fields,
        field_classes={"due_date": DateField, "decided_on": DateField},
    )
