"""Domain errors raised by services and mapped to HTTP in one handler (``config.api``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.utils.translation import gettext as _

__all__ = [
    "ConflictError",
    "DomainError",
    "FieldError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "StaleVersion",
    "ValidationFailed",
    "charged_to",
]


class DomainError(Exception):
    """Base class for errors that a user caused and can fix (mapped to a 4xx)."""

    status_code = 400

    def __init__(self, message: str, *, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def payload(self) -> dict[str, Any]:
        """The JSON body of the API error response."""
        return {"detail": self.message, "errors": self.errors}


class FieldError(DomainError):
    """One field has an invalid value. ``message`` is the sentence a page shows; the API's
    ``detail`` (and ``str()``, for logs and the command line) also names the field."""

    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field, "message": message}])
        self.args = (f"{field}: {message}",)
        self.field = field

    def payload(self) -> dict[str, Any]:
        return {"detail": f"{self.field}: {self.message}", "errors": self.errors}


class ValidationFailed(DomainError):
    """Several fields are invalid; ``errors`` lists each field with its message."""

    status_code = 422

    @classmethod
    def from_django(cls, exc: Any) -> ValidationFailed:
        """Build from a Django ``ValidationError`` (message dict or list)."""
        errors: list[dict[str, str]] = []
        if hasattr(exc, "message_dict"):
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.append({"field": field, "message": str(message)})
        else:
            for message in exc.messages:
                errors.append({"field": "__all__", "message": str(message)})
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or _("invalid input")
        return cls(summary, errors=errors)


class PayloadTooLargeError(FieldError):
    """An uploaded file (the field) is larger than the configured limit (413)."""

    status_code = 413


class PermissionDeniedError(DomainError):
    """The user may not do this (403); ``field`` names the part of the request they may not
    set or use, when one is at fault (a PMO-only field, a project they do not manage)."""

    status_code = 403

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        if field is not None and errors is None:
            errors = [{"field": field, "message": message}]
        super().__init__(message, errors=errors)


class NotFoundError(DomainError):
    """The object does not exist or is not visible to the user (404)."""

    status_code = 404


class ConflictError(DomainError):
    """The object changed since the client read it, or the action is not allowed now (409);
    ``field`` names the part of the request the state refuses, when one is at fault (a gate
    asked for out of order)."""

    status_code = 409

    def __init__(
        self, message: str, *, current_version: int | None = None, field: str | None = None
    ) -> None:
        errors = [{"field": field, "message": message}] if field is not None else None
        super().__init__(message, errors=errors)
        self.current_version = current_version

    def payload(self) -> dict[str, Any]:
        body = super().payload()
        if self.current_version is not None:
            body["current_version"] = self.current_version
        return body


class StaleVersion(ConflictError):
    """A write at a version that is no longer the stored one
    (:meth:`pmo.core.models.VersionedModel.check_version`): which row (``label`` as the audit
    trail types it, ``pk``, ``noun`` its verbose name) and both versions.

    The API's body (:meth:`payload`) names who changed the row and when: ``namer``, set by
    the audit app when it is ready (a layer core cannot import), reads its trail. A page
    shows ``message`` and says who saved last beside it."""

    namer: ClassVar[Callable[[StaleVersion], str | None] | None] = None

    def __init__(
        self, message: str, *, label: str, pk: Any, noun: str, yours: int, current: int
    ) -> None:
        super().__init__(message, current_version=current)
        self.label, self.pk, self.noun = label, pk, noun
        self.yours, self.current = yours, current
        self.said = message  # a caller that rewords ``message`` keeps its own sentence

    def payload(self) -> dict[str, Any]:
        body = super().payload()
        namer = StaleVersion.namer
        named = namer(self) if namer is not None and self.message == self.said else None
        if named:
            body["detail"] = named
        return body


@contextmanager
def charged_to(field: str) -> Iterator[None]:
    """Inside, a :class:`NotFoundError` is a :class:`FieldError` naming ``field`` (422): the
    object a body field names is missing, not the one in the address (``"project": "NOPE"``
    in a body is not a 404 of the URL)."""
    try:
        yield
    except NotFoundError as exc:
        raise FieldError(field, exc.message) from None
