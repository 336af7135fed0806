"""Web forms of governance (validation of types only; rules live in the services)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import Person, Role
from pmo.core.forms import DateField
from pmo.governance.models import Outcome
from pmo.portfolio.models import Phase, PmoType

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
    scheduled_for = DateField(label=_("Review date"), required=False)
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
    decided_on = DateField(label=_("Decided on"), required=False)

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
            self.fields[f"due_{i}"] = DateField(label=_("Due"), required=False)

    def condition_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"condition_{i}"], self[f"owner_{i}"], self[f"due_{i}"])
            for i in range(CONDITION_ROWS)
        ]

    def _filled_rows(self) -> list[int]:
        data = self.cleaned_data
        return [
            i
            for i in range(CONDITION_ROWS)
            if data.get(f"condition_{i}") or data.get(f"owner_{i}") or data.get(f"due_{i}")
        ]

    def conditions(self) -> list[dict[str, Any]]:
        """The filled condition rows (a row with only an owner or a date counts: its missing
        text is reported rather than the row dropped without a word)."""
        data = self.cleaned_data
        return [
            {
                "text": data[f"condition_{i}"],
                "owner_id": data[f"owner_{i}"],
                "due_date": data[f"due_{i}"],
            }
            for i in self._filled_rows()
        ]

    def add_service_errors(self, errors: list[dict[str, str]]) -> None:
        """Show the errors of the services next to the fields they are about: a form field
        (``decided_on``), or ``conditions.<n>.<text|owner_id|due_date>`` (the n-th filled
        row) → that row's cell; anything else above the form."""
        rows = self._filled_rows()  # before add_error drops values from cleaned_data
        columns = {"text": "condition", "owner_id": "owner", "due_date": "due"}
        for error in errors:
            field, message = error.get("field") or "", error["message"]
            parts = field.split(".")
            target: str | None = None
            if field in self.fields:
                target = field
            elif field == "conditions":
                target = "condition_0"
            elif (
                len(parts) == 3
                and parts[0] == "conditions"
                and parts[1].isdigit()
                and int(parts[1]) < len(rows)
                and parts[2] in columns
            ):
                target = f"{columns[parts[2]]}_{rows[int(parts[1])]}"
            self.add_error(target, message)


def add_errors_at_fields(
    form: forms.Form, errors: list[dict[str, str]], names: dict[str, str] | None = None
) -> None:
    """Show a service's errors next to the form fields they are about (``names`` maps the
    service's field name to the form's where they differ); any other above the form."""
    for error in errors:
        field = (names or {}).get(error.get("field") or "", error.get("field") or "")
        form.add_error(field if field in form.fields else None, error["message"])


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = DateField(label=_("Date"))
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
    due_date = DateField(label=_("Due"), required=False)


class TemplateHeaderForm(forms.Form):
    """The template's own fields in the structured editor."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200, required=False)
    pmo_type = forms.ChoiceField(
        label=_("PMO type"), required=False, choices=[("", "—"), *PmoType.choices]
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_zh = forms.CharField(
        label=_("Chinese description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PhaseForm(forms.Form):
    """One phase and the gate leading into it (ignored for the first phase)."""

    key = forms.SlugField(label=_("Key"), max_length=40, required=False)
    name = forms.CharField(label=_("Phase"), max_length=200, required=False)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Status-center phase"), choices=Phase.choices)
    expected_days = forms.IntegerField(
        label=_("Expected days"), min_value=0, max_value=3650, initial=30
    )
    gate_code = forms.CharField(label=_("Gate"), max_length=10, required=False)
    gate_name = forms.CharField(label=_("Gate name"), max_length=200, required=False)
    gate_name_zh = forms.CharField(label=_("Chinese gate name"), max_length=200, required=False)
    decider_roles = forms.MultipleChoiceField(
        label=_("Decided by"),
        required=False,
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    decider_ids = forms.RegexField(
        regex=r"^ *(?:[0-9]{1,18} *(?:, *[0-9]{1,18} *)*,? *)?$",  # ids, comma-separated
        required=False,
        widget=forms.HiddenInput(),
    )  # named deciders (persons) carried over from the revision the editor started from
    gate_milestone = forms.CharField(
        label=_("Decided on milestone"),
        max_length=200,
        required=False,
        help_text=_(
            "The gate's forecast follows the project's milestone of this name "
            "(either language, any case). Not on the closure gate."
        ),
    )
    gate_milestone_zh = forms.CharField(
        label=_("Chinese milestone name"), max_length=200, required=False
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 48}),
        help_text=_("One per line: text | Chinese text. Start with ? if optional, > if entry."),
    )
    deliverables = forms.CharField(
        label=_("Deliverables"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 48}),
        help_text=_("One per line: name | Chinese name | template link. Start with ? if optional."),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("key") or data.get("name"))


PhaseFormSet = forms.formset_factory(PhaseForm, extra=2)

_GATE_FIELDS = {
    "code": "gate_code",
    "name": "gate_name",
    "name_zh": "gate_name_zh",
    "decider_roles": "decider_roles",
    "decider_ids": "decider_roles",
    "milestone": "gate_milestone",
    "milestone_zh": "gate_milestone_zh",
}


def template_error_text(field: str, message: str, rows: list[int] | None = None) -> str:
    """An error of the template services as the editor shows it: ``phases.1.key`` → "Phase
    row 2, Key: …" (rows numbered as on screen, ``rows`` maps the phases sent to the editor's
    rows when blank rows were left out), header fields by their label."""
    parts = field.split(".") if field else []
    if not parts:
        return message
    if parts[0] != "phases" or len(parts) < 2 or not parts[1].isdigit():
        header = TemplateHeaderForm.base_fields.get(parts[0])
        shown = header.label if header is not None else _("Phases")
        return _("%(field)s: %(message)s") % {"field": shown, "message": message}
    index = int(parts[1])
    row = (rows[index] if rows is not None and index < len(rows) else index) + 1
    rest = parts[2:]
    label: Any = None
    if rest and rest[0] == "gate":
        sub = rest[1:]
        if sub and sub[0] in {"criteria", "deliverables"}:
            label = PhaseForm.base_fields[sub[0]].label
            if len(sub) > 1 and sub[1].isdigit():
                label = _("%(field)s, line %(line)s") % {"field": label, "line": int(sub[1]) + 1}
        elif sub and sub[0] in _GATE_FIELDS:
            label = PhaseForm.base_fields[_GATE_FIELDS[sub[0]]].label
        else:
            label = PhaseForm.base_fields["gate_code"].label
    elif rest and rest[0] in PhaseForm.base_fields:
        label = PhaseForm.base_fields[rest[0]].label
    if label is None:
        return _("Phase row %(row)s: %(message)s") % {"row": row, "message": message}
    return _("Phase row %(row)s, %(field)s: %(message)s") % {
        "row": row,
        "field": label,
        "message": message,
    }


def _parts(line: str, count: int) -> list[str]:
    parts = [p.strip() for p in line.split("|")]
    return (parts + [""] * count)[:count]


def criteria_lines(text: str) -> list[dict[str, Any]]:
    """``? > text | 中文`` lines to criteria (``?`` optional, ``>`` entry criterion)."""
    result = []
    for raw in text.splitlines():
        line = raw.strip()
        mandatory, kind = True, "exit"
        while line[:1] in {"?", ">"}:
            if line[0] == "?":
                mandatory = False
            else:
                kind = "entry"
            line = line[1:].strip()
        if line:
            text_en, text_zh = _parts(line, 2)
            result.append(
                {"text": text_en, "text_zh": text_zh, "kind": kind, "mandatory": mandatory}
            )
    return result


def deliverable_lines(text: str) -> list[dict[str, Any]]:
    """``? name | 中文 | link`` lines to deliverables (``?`` optional)."""
    result = []
    for raw in text.splitlines():
        line = raw.strip()
        mandatory = not line.startswith("?")
        line = line.lstrip("?").strip()
        if line:
            name, name_zh, url = _parts(line, 3)
            result.append(
                {"name": name, "name_zh": name_zh, "mandatory": mandatory, "template_url": url}
            )
    return result


def definition_from_forms(header: TemplateHeaderForm, phases: Any) -> dict[str, Any]:
    """The definition the services validate, from the structured editor."""
    definition: dict[str, Any] = dict(header.cleaned_data)
    rows = [f.cleaned_data for f in phases.forms if f.cleaned_data and not f.is_blank()]
    definition["phases"] = []
    for index, row in enumerate(rows):
        phase: dict[str, Any] = {
            "key": row["key"],
            "name": row["name"],
            "name_zh": row["name_zh"],
            "category": row["category"],
            "expected_days": row["expected_days"],
        }
        if index:
            phase["gate"] = {
                "code": row["gate_code"],
                "name": row["gate_name"],
                "name_zh": row["gate_name_zh"],
                "decider_roles": list(row["decider_roles"]),
                "decider_ids": [
                    int(i) for i in row["decider_ids"].replace(" ", "").split(",") if i
                ],
                "criteria": criteria_lines(row["criteria"]),
                "deliverables": deliverable_lines(row["deliverables"]),
                "milestone": row["gate_milestone"],
                "milestone_zh": row["gate_milestone_zh"],
            }
        definition["phases"].append(phase)
    return definition


def initial_from_definition(
    definition: dict[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Header and phase rows of the structured editor, from a definition."""
    header = {
        k: definition.get(k, "")
        for k in ("code", "name", "name_zh", "pmo_type", "description", "description_zh")
    }
    rows = []
    for phase in definition.get("phases", []):
        gate = phase.get("gate") or {}
        rows.append(
            {
                "key": phase["key"],
                "name": phase["name"],
                "name_zh": phase["name_zh"],
                "category": phase["category"],
                "expected_days": phase["expected_days"],
                "gate_code": gate.get("code", ""),
                "gate_name": gate.get("name", ""),
                "gate_name_zh": gate.get("name_zh", ""),
                "decider_roles": gate.get("decider_roles", []),
                "decider_ids": ",".join(str(i) for i in gate.get("decider_ids", [])),
                "gate_milestone": gate.get("milestone", ""),
                "gate_milestone_zh": gate.get("milestone_zh", ""),
                "criteria": "\n".join(
                    ("" if c["mandatory"] else "?")
                    + (">" if c["kind"] == "entry" else "")
                    + c["text"]
                    + (f" | {c['text_zh']}" if c["text_zh"] else "")
                    for c in gate.get("criteria", [])
                ),
                "deliverables": "\n".join(
                    ("" if d["mandatory"] else "?")
                    + " | ".join(
                        part
                        for part in (d["name"], d["name_zh"], d["template_url"])
                        if part or d["template_url"]
                    )
                    for d in gate.get("deliverables", [])
                ),
            }
        )
    return header, rows
