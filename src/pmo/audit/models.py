"""The audit trail: one row per change, never updated or deleted by the application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    SUBMIT = "submit", _("submitted")
    REVISE = "revise", _("revised")
    # the steps of a change request (``dependencies``), recorded under their own names
    APPROVE = "approve", pgettext_lazy("audit action", "approved")
    REJECT = "reject", pgettext_lazy("audit action", "rejected")
    WITHDRAW = "withdraw", pgettext_lazy("audit action", "withdrawn")
    APPLY = "apply", pgettext_lazy("audit action", "applied")
    SKIP = "skip", pgettext_lazy("audit action", "review skipped")
    # a project put on a lifecycle: "started Business initiative lifecycle (revision 1)", not
    # "created", which reads as if the template had been created
    START = "start", pgettext_lazy("audit action", "started")


class AuditEvent(models.Model):
    """A recorded change: actor, time, object and ``changes`` as ``{field: [before, after]}``.

    ``scope`` groups events that belong together (``project:<id>``) so that a
    project page reads its whole history, including its reports and RAID
    items, in one indexed query.
    """

    timestamp = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(
        pgettext_lazy("audit event", "action"), max_length=10, choices=AuditAction.choices
    )
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("object"), max_length=255)
    scope = models.CharField(max_length=60, db_index=True)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
