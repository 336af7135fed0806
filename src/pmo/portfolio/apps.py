from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    """Portfolios, programs, projects, status reports, milestones and the RAID log."""

    name = "pmo.portfolio"
    label = "portfolio"
    verbose_name = _("Portfolio status center")
