"""The form of the steering meeting page that adds a line to the agenda by hand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo.governance.meetings import AgendaSection

__all__ = ["AgendaLineForm"]


class AgendaLineForm(forms.Form):
    """A line added by hand: what the committee is to discuss, the project if it is about
    one, and the section it reads in."""

    title = forms.CharField(label=_("Agenda line"), max_length=300)
    project = forms.CharField(label=_("Project code (optional)"), max_length=40, required=False)
    section = forms.ChoiceField(
        label=_("Section"), choices=AgendaSection.choices, initial=AgendaSection.DECIDE
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "line")  # the outcome form has a title and a project too
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
