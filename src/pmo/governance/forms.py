"""Web forms of governance (validation of types only; rules live in the services)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import Person
from pmo.governance.models import Outcome

CONDITION_ROWS = 3


class TemplateForm(forms.Form):
    """A whole template as JSON (the API's ``LifecycleTemplateIn`` shape)."""

    definition = forms.CharField(
        label=_("Definition (JSON)"), widget=forms.Textarea(attrs={"rows": 30, "cols": 100})
    )

    def clean_definition(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["definition"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not valid JSON: %(error)s") % {"error": exc.msg}
            ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The definition must be a JSON object."))
        return value


class ReviewRequestForm(forms.Form):
    scheduled_for = forms.DateField(
        label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recycle_to = forms.ChoiceField(label=_("Back to phase (recycle)"), required=False)
    waive = forms.BooleanField(label=_("Waive unmet mandatory requirements"), required=False)
    waiver_reason = forms.CharField(label=_("Waiver reason"), required=False)
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, phases: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recycle = self.fields["recycle_to"]
        assert isinstance(recycle, forms.ChoiceField)
        recycle.choices = [("", "—")] + [(p.key, p.display_name) for p in phases]
        people = [("", "—")] + [(p.pk, p.display_name) for p in Person.objects.order_by("name")]
        for i in range(CONDITION_ROWS):
            self.fields[f"condition_{i}"] = forms.CharField(
                label=_("Condition"), required=False, max_length=300
            )
            self.fields[f"owner_{i}"] = forms.TypedChoiceField(
                label=_("Owner"), required=False, choices=people, coerce=int, empty_value=None
            )
            self.fields[f"due_{i}"] = forms.DateField(
                label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def condition_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"condition_{i}"], self[f"owner_{i}"], self[f"due_{i}"])
            for i in range(CONDITION_ROWS)
        ]

    def conditions(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "text": data[f"condition_{i}"],
                "owner_id": data[f"owner_{i}"],
                "due_date": data[f"due_{i}"],
            }
            for i in range(CONDITION_ROWS)
            if data.get(f"condition_{i}")
        ]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    window_days = forms.IntegerField(
        label=_("Agenda window (days)"), min_value=0, max_value=366, initial=14
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=200)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class OutcomeForm(forms.Form):
    project = forms.CharField(label=_("Project code"), max_length=40)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("decision", _("Decision")), ("action", _("Action"))]
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    due_date = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
