from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who changed what, when, with each field's value before and after."""

    name = "pmo.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from pmo.audit import receivers

        receivers.connect()
