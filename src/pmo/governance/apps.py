from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Stage-gate governance: lifecycle templates, gate reviews, steering committee."""

    name = "pmo.governance"
    label = "governance"
    verbose_name = _("Stage-gate governance")

    def ready(self) -> None:
        from pmo.governance import signals, status_center, steering, steering_reports
        from pmo.governance.meetings import REPORT_REF
        from pmo.governance.reviews import AGENDA_LABELS

        status_center.register()
        signals.connect()
        AGENDA_LABELS[steering.CONDITION_REF] = steering.condition_labels
        AGENDA_LABELS[REPORT_REF] = steering_reports.report_labels
