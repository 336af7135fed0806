"""The capacity sheet import page: upload, preview, apply.

An upload is checked and shown as a preview (what would be created, changed and removed,
removals and rows someone else changed lately marked), nothing written. The uploaded bytes
are kept on the server under a random token for :data:`KEEP_MINUTES` minutes (a file named
by the token in :func:`pending_dir`; the token, the file name and the preview's fingerprint
in the uploader's session), so *Apply* imports exactly the file previewed, without a second
upload and without trusting anything the browser sends back but the token. Apply passes the
preview's fingerprint: when a listed resource or capacity change was changed meanwhile, the
import is refused and the new preview shown (ADR 0006, *What an import tells before it
writes*).
"""

from __future__ import annotations

import re
import secrets
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError
from pmo.core.sentences import join_sentences
from pmo.resources import xlsx
from pmo.resources.models import Resource
from pmo.resources.views.common import _viewer, _xlsx, refuse_non_manager
from pmo.resources.xlsx_apply import StaleSheet

__all__ = ["KEEP_MINUTES", "capacity_import", "pending_dir"]

KEEP_MINUTES = 30  # a preview's file is kept this long
SESSION_KEY = "capacity_sheets"
PREVIEW_ROWS = 500  # resources listed on the preview (the counts and marks cover all)
MAX_PENDING = 5  # per session: an older preview's file goes when a sixth is made
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def pending_dir() -> Path:
    """Where previewed sheets wait for Apply: ``PMO_CAPACITY_IMPORT_DIR``, else
    ``var/capacity-imports`` (shared by the web workers of one installation)."""
    configured = getattr(settings, "PMO_CAPACITY_IMPORT_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "capacity-imports"


@login_required
def capacity_import(request: HttpRequest) -> HttpResponse:
    """Upload a capacity sheet (XLSX) to preview it, apply or cancel a preview, or download
    the empty template."""
    _viewer(request)
    if request.GET.get("template"):
        return _xlsx(xlsx.template(), "capacity-template.xlsx")
    if (refused := refuse_non_manager(request, reverse("resources:resource_list"))) is not None:
        return refused
    if request.method != "POST":
        return _form(request, [])
    if "token" in request.POST:
        return _decide(request, str(request.POST["token"]), request.POST.get("action", ""))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return _form(request, [])
    raw = upload.read(xlsx.MAX_BYTES + 1)
    name = xlsx.sheet_name(upload)
    try:
        report = xlsx.import_capacity(
            actor=user_of(request), stream=BytesIO(raw), name=name, dry_run=True
        )
    except DomainError as exc:
        return _refused(request, exc)
    token = _keep(request, raw, name, report["fingerprint"])
    return _preview(request, report, token)


def _decide(request: HttpRequest, token: str, action: str) -> HttpResponse:
    """Apply or cancel the preview ``token`` names."""
    pending = _pending(request, token)
    if pending is None:
        messages.error(
            request,
            _(
                "The checked capacity sheet is no longer kept (previews are kept %(minutes)s "
                "minutes); nothing was imported. Upload it again."
            )
            % {"minutes": KEEP_MINUTES},
        )
        return redirect("resources:capacity_import")
    entry, raw = pending
    if action != "apply":
        _drop(request, token)
        messages.info(request, _("Nothing was imported."))
        return redirect("resources:capacity_import")
    try:
        result = xlsx.import_capacity(
            actor=user_of(request),
            stream=BytesIO(raw),
            name=entry["name"],
            expected=entry["fingerprint"],
        )
    except StaleSheet as exc:
        # the new preview replaces the old one: Apply again imports what it shows
        entry["fingerprint"] = exc.report["fingerprint"]
        request.session.modified = True
        messages.error(request, exc.message)
        return _preview(request, exc.report, token, status=409)
    except DomainError as exc:
        _drop(request, token)
        return _refused(request, exc)
    _drop(request, token)
    messages.success(request, _imported(result))
    return redirect("resources:resource_list")


def _form(request: HttpRequest, errors: list[dict[str, str]]) -> HttpResponse:
    return render(request, "resources/capacity_import.html", {"errors": errors})


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    # a problem of the whole file says so; others name their cell (Resources!B3)
    errors = [
        {**e, "field": _("the file") if e["field"] == "file" else e["field"]} for e in exc.errors
    ]
    messages.error(request, _import_refused(exc.message, len(errors)))
    return _form(request, errors)


def _preview(
    request: HttpRequest, report: dict[str, Any], token: str, status: int = 200
) -> HttpResponse:
    resources = [_shown(entry) for entry in report["resources"][:PREVIEW_ROWS]]
    removed = report["capacity_changes_removed"]
    by_other = sum(
        1
        for r in report["resources"]
        for row in [r, *r["capacity_changes"]]
        if row["changed_by_other"]
    )
    return render(
        request,
        "resources/capacity_import_preview.html",
        {
            "report": report,
            "resources": resources,
            "token": token,
            "removed": removed,
            "by_other": by_other,
            "keep_minutes": KEEP_MINUTES,
            "more": max(len(report["resources"]) - PREVIEW_ROWS, 0),
        },
        status=status,
    )


def _shown(entry: dict[str, Any]) -> dict[str, Any]:
    """A report's resource with its fields and actions in the reader's words."""
    fields = []
    for change in entry["fields"]:
        try:
            model_field = Resource._meta.get_field(change["field"])
        except FieldDoesNotExist:  # a field the model no longer has: its name
            model_field = None
        label = str(getattr(model_field, "verbose_name", change["field"]))
        fields.append({**change, "label": label})
    return {
        **entry,
        "fields": fields,
        "action_label": _action(entry["action"]),
        "capacity_changes": [
            {**c, "action_label": _action(c["action"])} for c in entry["capacity_changes"]
        ],
    }


def _action(action: str) -> str:
    words = {
        "created": pgettext("capacity sheet preview", "new"),
        "updated": pgettext("capacity sheet preview", "changed"),
        "added": pgettext("capacity sheet preview", "added"),
        "changed": pgettext("capacity sheet preview", "changed"),
        "removed": pgettext("capacity sheet preview", "removed"),
    }
    return words.get(action, "")


# --- the previewed files ---------------------------------------------------------------


def _keep(request: HttpRequest, raw: bytes, name: str, fingerprint: str) -> str:
    """Keep ``raw`` for Apply; its token. Files older than :data:`KEEP_MINUTES` go first,
    and the oldest of this session's beyond :data:`MAX_PENDING`."""
    folder = pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.xlsx"):
        try:
            if now - old.stat().st_mtime > KEEP_MINUTES * 60:
                old.unlink(missing_ok=True)
        except OSError:  # another worker took it
            pass
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.xlsx").write_bytes(raw)
    kept: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})
    kept[token] = {"name": name, "fingerprint": fingerprint, "at": now}
    for older in sorted(kept, key=lambda t: kept[t]["at"])[:-MAX_PENDING]:
        (folder / f"{older}.xlsx").unlink(missing_ok=True)
        del kept[older]
    request.session[SESSION_KEY] = kept
    return token


def _pending(request: HttpRequest, token: str) -> tuple[dict[str, Any], bytes] | None:
    """This session's preview ``token`` and its bytes; None when unknown or expired."""
    kept: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})
    entry = kept.get(token) if TOKEN.match(token) else None
    if entry is None:
        return None
    path = pending_dir() / f"{token}.xlsx"
    if time.time() - entry["at"] > KEEP_MINUTES * 60 or not path.exists():
        _drop(request, token)
        return None
    return entry, path.read_bytes()


def _drop(request: HttpRequest, token: str) -> None:
    kept: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})
    kept.pop(token, None)
    request.session[SESSION_KEY] = kept
    if TOKEN.match(token):
        (pending_dir() / f"{token}.xlsx").unlink(missing_ok=True)


# --- messages --------------------------------------------------------------------------


def _import_refused(reason: str, listed: int) -> str:
    """The flash of a refused capacity sheet: how many problems the page lists below (the
    table, not the flash, names them), or the reason when there is no table."""
    if not listed:
        return _("Nothing was imported: %(reason)s") % {"reason": reason}
    if listed >= xlsx.MAX_ERRORS:
        return _("Nothing was imported: the first %(count)s problems are listed below.") % {
            "count": listed
        }
    return ngettext(
        "Nothing was imported: %(count)s problem, listed below.",
        "Nothing was imported: %(count)s problems, listed below.",
        listed,
    ) % {"count": listed}


def _imported(result: dict[str, Any]) -> str:
    """What a capacity sheet import did, each count with its own plural."""
    created, updated, changes = (
        result["resources_created"],
        result["resources_updated"],
        result["capacity_changes"],
    )
    done = _("Imported: %(created)s, %(updated)s, %(changes)s.") % {
        "created": ngettext("%(count)s resource created", "%(count)s resources created", created)
        % {"count": created},
        "updated": ngettext("%(count)s updated", "%(count)s updated", updated) % {"count": updated},
        "changes": ngettext("%(count)s capacity change", "%(count)s capacity changes", changes)
        % {"count": changes},
    }
    removed = result["capacity_changes_removed"]
    if not removed:
        return done
    return join_sentences(
        [
            done,
            ngettext(
                "%(count)s capacity change not in the sheet was removed.",
                "%(count)s capacity changes not in the sheet were removed.",
                removed,
            )
            % {"count": removed},
        ]
    )
