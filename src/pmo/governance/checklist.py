"""Preparing a gate review: the checklist (criteria ticked with evidence, deliverables
linked), the review date and notes, and the mandatory requirements still unmet (part of the
services; :mod:`pmo.governance.services` re-exports the public names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.errors import ConflictError, ValidationFailed
from pmo.core.i18n import mid_sentence
from pmo.governance import ended
from pmo.governance.deciders import tell_deciders
from pmo.governance.forecasts import _refresh, _set_gate_forecast
from pmo.governance.models import GateCriterion, GateDeliverable, GateReview, ReviewState
from pmo.governance.services import _locked_review, _scope
from pmo.governance.signals import review_back_to_preparation
from pmo.portfolio.access import require_edit
from pmo.portfolio.models import Project

__all__ = [
    "BACK_TO_PREPARATION_MESSAGE",
    "SUBMITTED",
    "back_to_preparation",
    "prepare_review",
    "tell_back_to_preparation",
    "unmet_requirements",
    "unmet_requirements_shown",
    "waived_shown",
]


SUBMITTED = "submitted_for_decision"
"""The audit's name of the hand-over to the deciders (``[False, True]`` on submission,
:mod:`pmo.governance.submission`; ``[True, False]`` when a checklist change takes the review
back to preparation)."""


BACK_TO_PREPARATION_MESSAGE = gettext_lazy(
    "%(who)s took the review of gate %(gate)s of %(project)s back to preparation: its "
    "checklist changed"
)
"""What each decider is told, in their language (``signals.review_back_to_preparation``)."""


def back_to_preparation(review: GateReview, changes: dict[str, list[Any]]) -> bool:
    """A submitted review whose checklist changed is back in preparation (ADR 0002,
    "Submitting a review for decision"): the deciders were handed another checklist. Not
    saved here (the caller saves the review with its new version, then tells the deciders:
    :func:`tell_back_to_preparation`); the change goes into ``changes`` for the audit.
    Whether the review was submitted (and is taken back now)."""
    if review.submitted_at is None:
        return False
    review.submitted_at, review.submitted_by = None, None
    changes[SUBMITTED] = [True, False]
    return True


def tell_back_to_preparation(*, actor: User, review: GateReview, project: Project) -> None:
    """The deciders of a review :func:`back_to_preparation` took back are told who did and
    why (``signals.review_back_to_preparation``): the checklist they were handed changed."""
    tell_deciders(
        review_back_to_preparation,
        review=review,
        actor=actor,
        project=project,
        message=BACK_TO_PREPARATION_MESSAGE,
    )


LINK_MAX_LENGTH = 200
"""The longest evidence or document link a review stores (the columns' length)."""


def _link_problem(url: str) -> str | None:
    """Why ``url`` cannot be an evidence or document link, or ``None`` (blank is fine)."""
    if not url:
        return None
    if not url.startswith(("http://", "https://")) or url in {"http://", "https://"}:
        return _("enter a link that starts with http:// or https://")
    if len(url) > LINK_MAX_LENGTH:
        return _("the link has %(length)s characters; at most %(max)s fit") % {
            "length": len(url),
            "max": LINK_MAX_LENGTH,
        }
    return None


def _check_checklist(
    review: GateReview, checks: list[dict[str, Any]], deliverables: list[dict[str, Any]]
) -> None:
    """Every problem of a posted checklist at once, or nothing.

    ``field`` keeps the path of the posted item (``checks.0.evidence_url``) for API clients;
    what people read names the row as the review page and ``GET`` of the review list it
    ("Criteria row 2, evidence link: ..."), whatever order the items were posted in.
    """
    errors: list[dict[str, str]] = []
    shown: list[str] = []
    for part, key, link, rows, unknown_text, row_text in (
        (
            "checks",
            "criterion_id",
            "evidence_url",
            {c.criterion_id: n for n, c in enumerate(review.checks.all(), start=1)},
            _("criterion %(id)s is not one of gate %(gate)s"),
            _("Criteria row %(row)s, evidence link: %(problem)s"),
        ),
        (
            "deliverables",
            "deliverable_id",
            "url",
            {d.deliverable_id: n for n, d in enumerate(review.deliverables.all(), start=1)},
            _("deliverable %(id)s is not one of gate %(gate)s"),
            _("Deliverables row %(row)s, document link: %(problem)s"),
        ),
    ):
        items = checks if part == "checks" else deliverables
        for i, item in enumerate(items):
            pk = item.get(key)
            if pk not in rows:
                unknown = unknown_text % {"id": pk, "gate": review.gate.code}
                errors.append({"field": f"{part}.{i}.{key}", "message": unknown})
                shown.append(unknown)
            elif problem := _link_problem((item.get(link) or "").strip()):
                errors.append({"field": f"{part}.{i}.{link}", "message": problem})
                shown.append(row_text % {"row": rows[pk], "problem": problem})
    if errors:
        raise ValidationFailed("; ".join(shown), errors=errors)


@transaction.atomic
def prepare_review(
    *,
    actor: User,
    review: GateReview,
    version: int | None,
    checks: list[dict[str, Any]] | None = None,
    deliverables: list[dict[str, Any]] | None = None,
    scheduled_for: dt.date | None = None,
    notes: str | None = None,
) -> GateReview:
    """Tick criteria (with evidence links), link delivered documents, set the review date.

    A change of the checklist (criteria, evidence, notes of rows, documents) takes a review
    submitted for decision back to preparation; the review date and notes do not."""
    lifecycle, review = _locked_review(review)
    require_edit(actor, lifecycle.project)
    if review.state != ReviewState.REQUESTED:
        raise ConflictError(
            _("the review is %(state)s and cannot change")
            % {"state": mid_sentence(review.get_state_display())}
        )
    ended.check_review_change(lifecycle.project, review.gate)
    review.check_version(version)
    checks, deliverables = checks or [], deliverables or []
    _check_checklist(review, checks, deliverables)
    changes: dict[str, list[Any]] = {}
    by_criterion = {c.criterion_id: c for c in review.checks.all()}
    for item in checks:
        check = by_criterion[item["criterion_id"]]
        before = [check.met, check.evidence_url, check.note]
        check.met = bool(item.get("met", check.met))
        check.evidence_url = (item.get("evidence_url", check.evidence_url) or "").strip()
        check.note = (item.get("note", check.note) or "")[:300]
        after = [check.met, check.evidence_url, check.note]
        if before != after:
            check.save()
            changes[f"criterion {check.criterion_id}"] = [before, after]
    by_deliverable = {d.deliverable_id: d for d in review.deliverables.all()}
    for item in deliverables:
        link = by_deliverable[item["deliverable_id"]]
        url = (item.get("url") or "").strip()
        if url != link.url:
            changes[f"deliverable {link.deliverable_id}"] = [link.url, url]
            link.url = url
            link.save()
    # the checklist changed (not only the date or notes)
    taken_back = bool(changes) and back_to_preparation(review, changes)
    if scheduled_for is not None and scheduled_for != review.scheduled_for:
        changes["scheduled_for"] = [str(review.scheduled_for or ""), str(scheduled_for)]
        review.scheduled_for = scheduled_for
        _set_gate_forecast(lifecycle, review.gate, scheduled_for)
        _refresh(lifecycle)
    if notes is not None and notes != review.notes:
        changes["notes"] = [review.notes, notes]
        review.notes = notes
    if changes:
        review.version += 1
        review.save()
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=review,
            scope=_scope(lifecycle.project_id),
            changes=changes,
        )
    if taken_back:
        tell_back_to_preparation(actor=actor, review=review, project=lifecycle.project)
    return review


def _unmet(review: GateReview) -> tuple[list[GateCriterion], list[GateDeliverable]]:
    criteria = [
        c.criterion
        for c in review.checks.select_related("criterion")
        if c.criterion.mandatory and not c.met
    ]
    deliverables = [
        d.deliverable
        for d in review.deliverables.select_related("deliverable")
        if d.deliverable.mandatory and not d.provided
    ]
    return criteria, deliverables


def unmet_requirements(review: GateReview) -> list[str]:
    """Mandatory criteria not ticked and mandatory deliverables with neither link nor file.

    In English, as the decision records them when they are waived.
    """
    criteria, deliverables = _unmet(review)
    return [f"criterion: {c.text}" for c in criteria] + [
        f"deliverable: {d.name}" for d in deliverables
    ]


def unmet_requirements_shown(review: GateReview) -> list[str]:
    """:func:`unmet_requirements` in the active language, for the review page."""
    criteria, deliverables = _unmet(review)
    return [_("criterion: %(text)s") % {"text": c.display_text} for c in criteria] + [
        _("deliverable: %(name)s") % {"name": d.display_name} for d in deliverables
    ]


def waived_shown(review: GateReview, waived: list[str]) -> list[str]:
    """A decision's waived requirements (recorded in English, :func:`unmet_requirements`)
    in the active language, names as the review's own criteria and deliverables read;
    anything else recorded is shown as it is."""
    criteria = {c.criterion.text: c.criterion for c in review.checks.select_related("criterion")}
    deliverables = {
        d.deliverable.name: d.deliverable for d in review.deliverables.select_related("deliverable")
    }
    shown = []
    for entry in waived:
        kind, _sep, name = entry.partition(": ")
        if kind == "criterion" and name in criteria:
            shown.append(_("criterion: %(text)s") % {"text": criteria[name].display_text})
        elif kind == "deliverable" and name in deliverables:
            shown.append(_("deliverable: %(name)s") % {"name": deliverables[name].display_name})
        else:
            shown.append(entry)
    return shown
