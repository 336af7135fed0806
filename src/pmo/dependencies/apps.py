from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DependenciesConfig(AppConfig):
    """Cross-project dependencies, slip-impact analysis, change requests, notifications."""

    name = "pmo.dependencies"
    label = "dependencies"
    verbose_name = _("Dependencies and change control")

    def ready(self) -> None:
        from pmo.dependencies import reattach, signals, status_center

        status_center.register()
        reattach.register()
        signals.connect()
