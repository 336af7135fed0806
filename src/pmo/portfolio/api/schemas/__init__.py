"""API schemas of the status center (``<Model>In``, ``<Model>Out``, ``<Model>Patch``).

One module per resource group: ``projects`` (with the list filters and the history),
``status_reports``, ``milestones``, ``raid``; ``common`` holds the RAG names and the person
reference they share. Every schema is imported here.
"""

from pmo.portfolio.api.schemas.common import (
    DIMENSIONS,
    RAG_NAMES,
    RAG_VALUES,
    TREND_NAMES,
    PersonRef,
    RagName,
)
from pmo.portfolio.api.schemas.milestones import MilestoneIn, MilestoneOut, MilestonePatch
from pmo.portfolio.api.schemas.projects import (
    AuditEventOut,
    Code,
    ProjectFilters,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    StatusSummary,
)
from pmo.portfolio.api.schemas.raid import (
    RAID_SCHEMAS,
    AssumptionIn,
    AssumptionOut,
    AssumptionPatch,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    IssueIn,
    IssueOut,
    IssuePatch,
    RaidIn,
    RaidOut,
    RaidPatch,
    RiskIn,
    RiskOut,
    RiskPatch,
    Status,
)
from pmo.portfolio.api.schemas.status_reports import (
    StatusReportIn,
    StatusReportOut,
    StatusReportPatch,
    SubmitIn,
    report_data,
)

__all__ = [
    "DIMENSIONS",
    "RAG_NAMES",
    "RAG_VALUES",
    "RAID_SCHEMAS",
    "TREND_NAMES",
    "AssumptionIn",
    "AssumptionOut",
    "AssumptionPatch",
    "AuditEventOut",
    "Code",
    "DecisionIn",
    "DecisionOut",
    "DecisionPatch",
    "IssueIn",
    "IssueOut",
    "IssuePatch",
    "MilestoneIn",
    "MilestoneOut",
    "MilestonePatch",
    "PersonRef",
    "ProjectFilters",
    "ProjectIn",
    "ProjectOut",
    "ProjectPatch",
    "RagName",
    "RaidIn",
    "RaidOut",
    "RaidPatch",
    "RiskIn",
    "RiskOut",
    "RiskPatch",
    "Status",
    "StatusReportIn",
    "StatusReportOut",
    "StatusReportPatch",
    "StatusSummary",
    "SubmitIn",
    "report_data",
]
