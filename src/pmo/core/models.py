"""Abstract model bases shared by the domain apps."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pmo.core.errors import ConflictError


class TimeStampedModel(models.Model):
    """Adds ``created_at`` / ``updated_at``."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Optimistic concurrency: every update bumps ``version``; a stale writer gets a 409."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True

    def check_version(self, expected: int | None) -> None:
        """Raise :class:`ConflictError` when ``expected`` is not the stored version."""
        if expected is not None and expected != self.version:
            raise ConflictError(
                f"{self._meta.verbose_name} was changed by someone else "
                f"(your version {expected}, current version {self.version}); reload and retry.",
                current_version=self.version,
            )


class BilingualNameModel(models.Model):
    """A name in English and an optional Chinese name, shown by the active language."""

    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The Chinese name when the active language is Chinese and one is set."""
        if self.name_zh and (translation.get_language() or "").startswith("zh"):
            return self.name_zh
        return self.name
