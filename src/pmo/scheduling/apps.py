from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    """Project plans: tasks, links, calendars, baselines and the computed schedule."""

    name = "pmo.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        from pmo.scheduling import status_center

        status_center.register()
