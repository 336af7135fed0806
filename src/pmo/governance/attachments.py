"""Deliverables attached to a gate review as uploaded files (part of the services).

A file is checked (not empty, not above ``PMO_MAX_UPLOAD_MB``, an allowed extension) and
stored under ``MEDIA_ROOT`` with a random name; the name it was uploaded with, its size,
type, uploader and time are kept on the :class:`DeliverableLink`. A new file replaces the
previous one of the same deliverable while the review is open; a decided or withdrawn
review refuses it (409). Each upload is audited in the project's scope.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.errors import ConflictError, FieldError, NotFoundError, PayloadTooLargeError
from pmo.core.i18n import mid_sentence
from pmo.governance import ended
from pmo.governance.checklist import back_to_preparation, tell_back_to_preparation
from pmo.governance.models import DeliverableLink, GateReview, ReviewState
from pmo.governance.services import _locked_review, _scope
from pmo.portfolio.access import require_edit

__all__ = [
    "ALLOWED_EXTENSIONS",
    "attach_deliverable_file",
    "clean_file_name",
    "download_response",
    "max_upload_bytes",
]

ALLOWED_EXTENSIONS = frozenset(
    {"pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "png", "jpg", "jpeg", "txt", "csv"}
    | {"zip", "md"}
)


def max_upload_bytes() -> int:
    """The largest accepted upload (``PMO_MAX_UPLOAD_MB`` megabytes)."""
    return int(settings.PMO_MAX_UPLOAD_MB) * 1024 * 1024


def clean_file_name(name: str) -> str:
    """The last path part of ``name`` without control characters, at most 255 characters."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if len(base) > 255:
        suffix = PurePath(base).suffix[:20]
        base = base[: 255 - len(suffix)] + suffix
    return base


def _check_upload(upload: UploadedFile, field: str) -> str:
    """The cleaned original name of a valid upload; otherwise a :class:`FieldError`."""
    name = clean_file_name(upload.name or "")
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        allowed = pgettext("list of names", ", ").join(sorted(ALLOWED_EXTENSIONS))
        if extension:
            message = _(".%(extension)s files are not accepted; allowed: %(allowed)s") % {
                "extension": extension,
                "allowed": allowed,
            }
        else:
            message = _("files without an extension are not accepted; allowed: %(allowed)s") % {
                "allowed": allowed
            }
        raise FieldError(field, message)
    size = upload.size or 0
    if size == 0:
        raise FieldError(field, _("the file is empty"))
    if size > max_upload_bytes():
        raise PayloadTooLargeError(
            field,
            _("the file has %(size)s bytes, more than the limit of %(limit)s MB")
            % {"size": size, "limit": settings.PMO_MAX_UPLOAD_MB},
        )
    return name


def _describe(link: DeliverableLink) -> str | None:
    if not link.file:
        return None
    return f"{link.file_name} ({link.file_size} bytes)"


@transaction.atomic
def attach_deliverable_file(
    *,
    actor: User,
    review: GateReview,
    deliverable_id: int,
    upload: UploadedFile,
    version: int | None = None,
    field: str = "file",
) -> DeliverableLink:
    """Attach ``upload`` as the document of a deliverable of an open review (PM or PMO).

    Replaces the deliverable's previous file (deleted once the transaction commits). Raises
    403 for users who may not edit the project, 409 when the review is no longer open or
    ``version`` is stale, 404 for a deliverable not of this gate, 422 / 413 for a bad file.
    """
    lifecycle, review = _locked_review(review)
    require_edit(actor, lifecycle.project)
    if review.state != ReviewState.REQUESTED:
        raise ConflictError(
            _("the review is %(state)s: its documents cannot change")
            % {"state": mid_sentence(review.get_state_display())}
        )
    ended.check_review_change(lifecycle.project, review.gate)
    review.check_version(version)
    link = DeliverableLink.objects.filter(review=review, deliverable_id=deliverable_id).first()
    if link is None:
        raise NotFoundError(
            _("deliverable %(deliverable)s is not a deliverable of this gate")
            % {"deliverable": deliverable_id}
        )
    name = _check_upload(upload, field)
    before, old_name = _describe(link), link.file.name
    storage = link.file.storage
    link.file.save(name, upload, save=False)
    new_name = link.file.name or ""
    try:
        link.file_name = name
        link.file_size = upload.size
        link.content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        link.uploaded_by = actor
        link.uploaded_at = timezone.now()
        link.save()
        changes: dict[str, list[Any]] = {
            f"deliverable {deliverable_id} file": [before, _describe(link)]
        }
        taken_back = back_to_preparation(review, changes)  # not the document submitted
        review.version += 1
        review.save(update_fields=["version", "updated_at", "submitted_at", "submitted_by"])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=review,
            scope=_scope(lifecycle.project_id),
            changes=changes,
        )
        if taken_back:
            tell_back_to_preparation(actor=actor, review=review, project=lifecycle.project)
    except BaseException:
        # The row is rolled back: do not leave the new file behind.
        storage.delete(new_name)
        raise
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return link


def download_response(link: DeliverableLink) -> FileResponse:
    """The stored file as an attachment named as uploaded; browsers must not sniff or render it.

    Raises :class:`NotFoundError` when the file is gone from the storage.
    """
    try:
        handle = link.file.open("rb")
    except FileNotFoundError:
        raise NotFoundError(
            _("the file of deliverable %(deliverable)s is missing")
            % {"deliverable": link.deliverable_id}
        ) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=link.file_name or PurePath(link.file.name or "").name,
        content_type=link.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
