from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Documents for the steering committee: the one-page portfolio report."""

    name = "pmo.reports"
    label = "reports"
    verbose_name = _("Reports")
