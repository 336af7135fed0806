"""Abstract model bases shared by the domain apps."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.core.dates import date_out_of_range
from pmo.core.errors import FieldError, StaleVersion

MAX_ID = 2**63 - 1
"""The largest key the databases hold; a larger number in a filter is refused, not queried
(SQLite cannot bind it and fails with a 500)."""

_KEY = re.compile(r"[0-9]{1,19}")


def as_id(text: str | None) -> int | None:
    """``text`` as a key (``"42"`` is 42), or ``None`` unless it is ASCII digits up to
    :data:`MAX_ID` (``str.isdigit`` accepts "²", which ``int`` refuses)."""
    if text is None or not _KEY.fullmatch(text.strip()) or int(text) > MAX_ID:
        return None
    return int(text)


class TimeStampedModel(models.Model):
    """Adds ``created_at`` / ``updated_at``, and refuses to save a null the table cannot hold
    or a date outside :mod:`pmo.core.dates`' range.

    ``full_clean`` lets ``None`` through for fields that may be blank (an API ``PATCH`` with
    ``"skills": null``), and the database would then fail with an integrity error, a 500. Every
    save checks first and raises :class:`~pmo.core.errors.FieldError` (a 422) naming the field.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # only the fields this save writes, and never a deferred one (reading it would query)
        chosen = kwargs.get("update_fields")
        skip = self.get_deferred_fields()
        for field in self._meta.concrete_fields:
            if field.primary_key or field.attname in skip:
                continue
            if chosen is not None and field.name not in chosen and field.attname not in chosen:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                continue
            value = getattr(self, field.attname)
            if value is None and not field.null:
                raise FieldError(field.attname, gettext("a value is required; null is not allowed"))
            problem = date_out_of_range(value) if isinstance(field, models.DateField) else None
            if problem:  # DateTimeField is a DateField too
                raise FieldError(field.attname, problem)
        super().save(*args, **kwargs)


class VersionedModel(TimeStampedModel):
    """Optimistic concurrency: every update bumps ``version``; a stale writer gets a 409."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True

    def check_version(self, expected: int | None) -> None:
        """Raise :class:`~pmo.core.errors.StaleVersion` (a 409) when ``expected`` is not the
        stored version. The API names who changed it (``pmo.audit.last``); a page says so
        beside this sentence."""
        if expected is not None and expected != self.version:
            raise StaleVersion(
                gettext(
                    "%(model)s was changed by someone else "
                    "(your version %(yours)s, current version %(current)s); reload and retry."
                )
                % {"model": self._meta.verbose_name, "yours": expected, "current": self.version},
                label=self._meta.label_lower,
                pk=self.pk,
                noun=str(self._meta.verbose_name),
                yours=expected,
                current=self.version,
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
