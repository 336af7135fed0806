from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    """Import and export of plans: Microsoft Project XML (MSPDI) and XLSX."""

    name = "pmo.interop"
    label = "interop"
    verbose_name = _("Import / export")
