"""Handing a prepared gate review over to its deciders (ADR 0002, "Submitting a review for
decision"): the PM (or PMO) submits it once the checklist is complete, the deciders are told,
and a change of the checklist after that takes it back to preparation.

The review stays *requested* (open) throughout: "ready for decision" is
``GateReview.submitted_at``, so the one-open-review rule, the gate calendar, the agendas and
deciding read an open review as before; a decider may still decide a review that was not
submitted (the committee may take it in the meeting).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.errors import ConflictError
from pmo.core.i18n import mid_sentence
from pmo.governance import ended
from pmo.governance.checklist import SUBMITTED, _unmet
from pmo.governance.deciders import deciders_of, tell_deciders
from pmo.governance.models import GateReview, ReviewState
from pmo.governance.services import _locked_review, _scope
from pmo.governance.signals import review_submitted
from pmo.portfolio.access import require_edit

__all__ = ["SUBMITTED_MESSAGE", "deciders_of", "missing_for_submission", "submit_review"]

SUBMITTED_MESSAGE = gettext_lazy(
    "%(who)s submitted the review of gate %(gate)s of %(project)s for decision: its checklist "
    "is complete"
)
"""What each decider is told, in their language (``signals.review_submitted``)."""


def missing_for_submission(review: GateReview) -> list[dict[str, str]]:
    """What keeps the checklist from being complete, each named by the field a client posts
    (``checks.<n>.met``, ``deliverables.<n>.url``: the n-th row as ``GET`` of the review lists
    it) with the row in the active language: mandatory criteria not met, mandatory deliverables
    with neither link nor file. Optional rows and evidence links are not required."""
    criteria, deliverables = _unmet(review)
    rows_c = {c.criterion_id: n for n, c in enumerate(review.checks.all())}
    rows_d = {d.deliverable_id: n for n, d in enumerate(review.deliverables.all())}
    return [
        {
            "field": f"checks.{rows_c[c.pk]}.met",
            "message": _("criterion not met: %(text)s") % {"text": c.display_text},
        }
        for c in criteria
    ] + [
        {
            "field": f"deliverables.{rows_d[d.pk]}.url",
            "message": _("deliverable missing: %(name)s") % {"name": d.display_name},
        }
        for d in deliverables
    ]


@transaction.atomic
def submit_review(*, actor: User, review: GateReview, version: int | None) -> GateReview:
    """Submit a prepared review for decision (the project's PM or the PMO).

    Refused (409) when the review is not open, is submitted already or ``version`` is stale,
    and when its checklist is incomplete: the message names every missing row and
    ``errors`` carries one field per row (:func:`missing_for_submission`). Audited in the
    project's scope; the deciders are told through :data:`review_submitted`.
    """
    lifecycle, review = _locked_review(review)
    project = lifecycle.project
    require_edit(actor, project)
    if review.state != ReviewState.REQUESTED:
        raise ConflictError(
            _("the review is %(state)s and cannot be submitted")
            % {"state": mid_sentence(review.get_state_display())}
        )
    ended.check_review_change(project, review.gate)
    review.check_version(version)
    if review.submitted_at is not None:
        raise ConflictError(_("the review is submitted for decision already"))
    missing = missing_for_submission(review)
    if missing:
        refused = ConflictError(
            _("the checklist is not complete: %(missing)s")
            % {"missing": pgettext("list of problems", "; ").join(m["message"] for m in missing)}
        )
        refused.errors = missing
        raise refused
    review.submitted_at, review.submitted_by = timezone.now(), actor
    review.version += 1
    review.save(update_fields=["submitted_at", "submitted_by", "version", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=review,
        scope=_scope(project.pk),
        changes={SUBMITTED: [False, True]},
    )
    tell_deciders(
        review_submitted, review=review, actor=actor, project=project, message=SUBMITTED_MESSAGE
    )
    return review
