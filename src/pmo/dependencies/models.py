"""Cross-project dependencies, change requests and in-app notifications.

The change request models live in :mod:`pmo.dependencies.change_requests` (split for size);
they are imported here, so Django registers them in this app and they stay importable from
this module.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.core.i18n import pick
from pmo.core.models import TimeStampedModel, VersionedModel

__all__ = [
    "DECIDED_STATES",
    "OPEN_CHANGE_STATES",
    "OPEN_STATUSES",
    "PENDING_STATES",
    "ChangeAction",
    "ChangeRequest",
    "ChangeResponse",
    "ChangeState",
    "ChangeStep",
    "ChangeType",
    "Criticality",
    "Dependency",
    "DependencyStatus",
    "DependencyType",
    "Notification",
    "ResponseAnswer",
]


class DependencyType(models.TextChoices):
    FS = "FS", _("Finish-to-start")
    SS = "SS", _("Start-to-start")
    NEED = "NEED", _("Needs system by date")


class Criticality(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class DependencyStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    AT_RISK = "at_risk", _("At risk")
    BROKEN = "broken", _("Broken")
    RESOLVED = "resolved", _("Resolved")


OPEN_STATUSES = ("proposed", "agreed", "at_risk", "broken")


class Dependency(VersionedModel):
    """A consumer milestone/task/gate of one project needs a supplier milestone/task/gate of
    another (a gate stands for its deliverables being accepted).

    Exactly one of milestone / task / gate is set on each side. ``lag`` is in working days.
    The status turns "at risk" by itself when the supplier's forecast passes ``agreed_date``.
    """

    supplier_project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("supplier project"),
        on_delete=models.CASCADE,
        related_name="supplied_dependencies",
    )
    supplier_milestone = models.ForeignKey(
        "portfolio.Milestone",
        verbose_name=_("supplier milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    supplier_task = models.ForeignKey(
        "scheduling.Task",
        verbose_name=_("supplier task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    supplier_gate = models.ForeignKey(
        "governance.ProjectGate",
        verbose_name=_("supplier gate"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    consumer_project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("consumer project"),
        on_delete=models.CASCADE,
        related_name="consumed_dependencies",
    )
    consumer_milestone = models.ForeignKey(
        "portfolio.Milestone",
        verbose_name=_("consumer milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    consumer_task = models.ForeignKey(
        "scheduling.Task",
        verbose_name=_("consumer task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    consumer_gate = models.ForeignKey(
        "governance.ProjectGate",
        verbose_name=_("consumer gate"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    type = models.CharField(
        _("type"), max_length=4, choices=DependencyType.choices, default=DependencyType.FS
    )
    lag = models.IntegerField(_("lag (working days)"), default=0)
    system = models.CharField(_("system"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    supplier_owner = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("supplier owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consumer_owner = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("consumer owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    criticality = models.CharField(
        _("criticality"), max_length=10, choices=Criticality.choices, default=Criticality.MEDIUM
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DependencyStatus.choices,
        default=DependencyStatus.PROPOSED,
    )
    agreed_date = models.DateField(_("agreed date"), null=True, blank=True)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        ordering = ["agreed_date", "id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"D{self.pk}"


# Imported between the dependency and the notification (which refers to ChangeRequest) so the
# app's models register in their original order: a new database's content types and
# permissions keep their ids.
from pmo.dependencies.change_requests import (  # noqa: E402  (models of this app, split for size)
    DECIDED_STATES,
    OPEN_CHANGE_STATES,
    PENDING_STATES,
    ChangeAction,
    ChangeRequest,
    ChangeResponse,
    ChangeState,
    ChangeStep,
    ChangeType,
    ResponseAnswer,
)


class Notification(TimeStampedModel):
    """A message for one user in the app (unread badge in the top bar).

    ``message_id`` (the English source text, with ``%(name)s`` placeholders) and ``params``
    let :attr:`text` read in the viewer's language of the moment; ``message`` is the text in
    the recipient's language when it was written (the admin, rows older than the key).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message"), max_length=300)
    message_id = models.CharField(_("message key"), max_length=300, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    change = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> str:
        """The message in the active language: translatable parameters (stored as
        ``{"msgid": ...}``, e.g. a state label) are translated too, and a person or project
        (``{"name": ..., "name_zh": ...}``) is named in that language."""
        if not self.message_id:
            return self.message
        values: dict[str, Any] = {key: _param(value) for key, value in self.params.items()}
        try:
            return (gettext(self.message_id) % values)[:300]
        except (KeyError, TypeError, ValueError):  # a reworded message with other placeholders
            return self.message


def _param(value: Any) -> Any:
    """A stored notification parameter in the active language."""
    if not isinstance(value, dict):
        return value
    if "msgid" in value:
        return gettext(value["msgid"])
    return pick(str(value.get("name", "")), str(value.get("name_zh") or ""))
