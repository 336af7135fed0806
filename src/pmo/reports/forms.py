"""Filters of the one-page report (web page, API and command line share them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo.portfolio.models import PmoType

FORMATS = ("html", "pdf", "pptx", "xlsx")


class OnePageFilterForm(forms.Form):
    period = forms.RegexField(
        label=_("Period"),
        required=False,
        regex=r"^\d{4}-W\d{2}$",
        error_messages={"invalid": _("use a week like 2026-W40")},
    )
    scope = forms.ChoiceField(
        label=_("Projects"),
        required=False,
        choices=[("strategic", _("Strategic projects")), ("all", _("All projects"))],
    )
    portfolio = forms.CharField(label=_("Portfolio"), required=False, max_length=40)
    program = forms.CharField(label=_("Program"), required=False, max_length=40)
    org_unit = forms.CharField(label=_("Org unit"), required=False, max_length=40)
    pmo_type = forms.ChoiceField(
        label=_("PMO type"), required=False, choices=[("", "—"), *PmoType.choices]
    )
