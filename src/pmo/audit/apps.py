from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who changed what, when, with each field's value before and after."""

    name = "pmo.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from pmo.audit import receivers
        from pmo.audit.last import named_stale
        from pmo.core.errors import StaleVersion

        receivers.connect()
        StaleVersion.namer = named_stale  # the API's 409 names who changed the row
