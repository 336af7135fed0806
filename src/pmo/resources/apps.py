from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    """Capacity planning: resources and pools, capacity, allocations, what-if scenarios."""

    name = "pmo.resources"
    label = "resources"
    verbose_name = _("Resources")

    def ready(self) -> None:
        from pmo.resources import panel, signals

        panel.register()
        signals.connect()
