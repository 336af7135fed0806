"""Change requests: raise with a computed impact, the approval workflow, the apply step.

Workflow: draft -submit-> PM review -approve-> PMO review -approve-> (steering review
-approve->, only above the thresholds) approved -apply-> applied. Each review may reject;
the requester may withdraw before a decision, and approves or rejects their own request at
no stage: one its project's (program's) own manager raised skips the PM review. Every step
is a :class:`ChangeStep`, audited in the scope of every affected project, and notifies the
people concerned.

``raising`` raises and changes a request, ``workflow`` takes its steps, ``ending`` withdraws
the open requests of a project that ends, ``common`` holds what they share; the names other
code imports are imported here.
"""

from pmo.dependencies.changes.common import (
    DEFAULT_THRESHOLDS,
    compute_impact,
    cost_currency,
    may_manage,
    origin_project,
    source_key,
    thresholds,
)
from pmo.dependencies.changes.ending import withdraw_for_ended_project
from pmo.dependencies.changes.raising import (
    EDITABLE,
    create_change_request,
    update_change_request,
)
from pmo.dependencies.changes.workflow import (
    ACTIONS,
    allowed_actions,
    may_submit,
    step_note,
    transition,
)

__all__ = [
    "ACTIONS",
    "DEFAULT_THRESHOLDS",
    "EDITABLE",
    "allowed_actions",
    "compute_impact",
    "cost_currency",
    "create_change_request",
    "may_manage",
    "may_submit",
    "origin_project",
    "source_key",
    "step_note",
    "thresholds",
    "transition",
    "update_change_request",
    "withdraw_for_ended_project",
]
