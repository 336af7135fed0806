"""Demo web of cross-project dependencies around the core-banking upgrade (P0001).

Channel projects (mobile app, online loans, open banking, wealth portal, e-KYC, CRM, contact
centre) need the core upgrade's go-live before their own UAT; the payment hub (P0004) sits
between the core and open banking / fraud detection; the data-centre consolidation feeds the
core. The critical links are binding (the consumer's work starts right after the delivery, the
rest of the gap is lag), so they show on the critical chain. Two links are at risk (the
supplier already forecasts past the agreed date), one is broken. A pending change request
above the steering thresholds shows on the agenda.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.demo.data import MILESTONES
from pmo.demo.language import CHINESE, ENGLISH, Text, text
from pmo.dependencies.adapters import workdays_between
from pmo.dependencies.models import Dependency
from pmo.dependencies.services import refresh_dependency_status
from pmo.portfolio.models import Milestone, Project

__all__ = ["load_dependencies", "raise_demo_change"]

# supplier, consumer, supplier milestone, consumer milestone, type, criticality, system
# (English, Chinese: a dependency's texts are single-language, the demo's)
WEB: list[tuple[str, str, str, str, str, str, Text]] = [
    (
        "P0001",
        "P0002",
        "Go-live",
        "UAT complete",
        "FS",
        "critical",
        ("Core banking 2.0", "核心银行系统2.0"),
    ),
    (
        "P0001",
        "P0003",
        "Go-live",
        "UAT complete",
        "NEED",
        "critical",
        ("Core banking 2.0", "核心银行系统2.0"),
    ),
    (
        "P0001",
        "P0004",
        "Build complete",
        "UAT complete",
        "FS",
        "high",
        ("Core ledger API", "核心账务API"),
    ),
    ("P0001", "P0010", "Go-live", "Go-live", "NEED", "medium", ("Customer master", "客户主数据")),
    (
        "P0001",
        "P0016",
        "Go-live",
        "UAT complete",
        "FS",
        "high",
        ("Core banking 2.0", "核心银行系统2.0"),
    ),
    ("P0001", "P0023", "Go-live", "Go-live", "SS", "medium", ("", "")),
    (
        "P0001",
        "P0030",
        "Build complete",
        "UAT complete",
        "FS",
        "high",
        ("KYC data service", "KYC数据服务"),
    ),
    ("P0001", "P0017", "Go-live", "Go-live", "FS", "low", ("", "")),
    ("P0004", "P0016", "Go-live", "Go-live", "FS", "high", ("Payment hub", "支付中台")),
    (
        "P0004",
        "P0026",
        "Go-live",
        "UAT complete",
        "NEED",
        "high",
        ("Payment events stream", "支付事件流"),
    ),
    ("P0004", "P0002", "Go-live", "Go-live", "FS", "medium", ("Payment hub", "支付中台")),
    (
        "P0029",
        "P0001",
        "Build complete",
        "UAT complete",
        "FS",
        "critical",
        ("New data centre", "新数据中心"),
    ),
    ("P0007", "P0012", "Build complete", "Build complete", "FS", "medium", ("Data lake", "数据湖")),
    ("P0007", "P0026", "Go-live", "Go-live", "FS", "medium", ("Data lake", "数据湖")),
]
AT_RISK = {("P0004", "P0016"), ("P0001", "P0030")}
BROKEN = {("P0007", "P0012")}
# a dependency's description: the consumer needs the supplier's milestone before its own
NEEDS: Text = (
    "{consumer} needs {supplier}: {supplier_milestone} before {consumer_milestone}",
    "{consumer}依赖{supplier}：对方{supplier_milestone}须早于本项目{consumer_milestone}",
)
MILESTONE_ZH = dict(MILESTONES)
# the demo's change request: the payment hub's vendor slips
CHANGE_TITLE: Text = ("Payment hub: vendor release slips", "支付中台：供应商版本发布延期")
CHANGE_TEXT: Text = (
    "The vendor moved its release; go-live needs 12 more working days.",
    "供应商推迟了版本发布，上线需要再延后12个工作日。",
)


def _milestone(project: Project, name: str) -> Milestone | None:
    """The named milestone, else (plans name theirs differently) the project's go-live."""
    for wanted in (name, "Go-live"):
        found = Milestone.objects.filter(project=project, name=wanted).order_by("-id").first()
        if found is not None:
            return found
    return None


def load_dependencies(
    projects: list[Project], users: dict[str, Any], language: str = ENGLISH
) -> int:
    """Create the demo dependencies among ``projects`` (their texts in ``language``);
    returns how many."""
    by_code = {p.code: p for p in projects}
    created = 0
    for supplier_code, consumer_code, s_name, c_name, kind, crit, system in WEB:
        supplier, consumer = by_code.get(supplier_code), by_code.get(consumer_code)
        if supplier is None or consumer is None:
            continue
        s_milestone, c_milestone = _milestone(supplier, s_name), _milestone(consumer, c_name)
        if s_milestone is None or c_milestone is None:
            continue
        forecast = s_milestone.forecast_date or s_milestone.baseline_date or dt.date.today()
        key = (supplier_code, consumer_code)
        agreed = (
            forecast - dt.timedelta(days=7) if key in AT_RISK else forecast + dt.timedelta(days=14)
        )
        lag = 0
        consumer_date = c_milestone.forecast_date or c_milestone.baseline_date
        if crit == "critical" and consumer_date is not None and consumer_date > forecast:
            # the consumer plans its work right after the delivery: the link is binding
            lag = max(0, workdays_between(forecast, consumer_date) - 1)
        Dependency.objects.create(
            lag=lag,
            supplier_project=supplier,
            supplier_milestone=s_milestone,
            consumer_project=consumer,
            consumer_milestone=c_milestone,
            type=kind,
            criticality=crit,
            system=text(system, language),
            status="broken" if key in BROKEN else "agreed",
            agreed_date=agreed,
            supplier_owner=supplier.manager,
            consumer_owner=consumer.manager,
            description=_needs(consumer, supplier, s_name, c_name, language),
        )
        created += 1
    refresh_dependency_status(actor=None)
    return created


def _needs(consumer: Project, supplier: Project, s_name: str, c_name: str, language: str) -> str:
    """What a dependency's description says, in ``language``."""
    chinese = language == CHINESE
    return text(NEEDS, chinese).format(
        consumer=text((consumer.name, consumer.name_zh or consumer.name), chinese),
        supplier=text((supplier.name, supplier.name_zh or supplier.name), chinese),
        supplier_milestone=text((s_name, MILESTONE_ZH.get(s_name, s_name)), chinese),
        consumer_milestone=text((c_name, MILESTONE_ZH.get(c_name, c_name)), chinese),
    )


def raise_demo_change(
    projects: list[Project], users: dict[str, Any], language: str = ENGLISH
) -> None:
    """A submitted change request: the payment hub's go-live slips 12 working days (its
    texts and the answer in ``language``)."""
    from pmo.dependencies.changes import create_change_request, transition

    hub = next((p for p in projects if p.code == "P0004"), None)
    if hub is None:
        return
    go_live = Milestone.objects.filter(
        project=hub, name="Go-live", actual_date__isnull=True
    ).first()
    if go_live is None:
        return
    # raised by the hub's own manager, so the reviews are other people's (``pmo``, ``exec``)
    from pmo.accounts.models import User

    requester = (
        User.objects.filter(person__pk=hub.manager_id).first() if hub.manager_id else None
    ) or users["admin"]
    cr = create_change_request(
        actor=requester,
        data={
            "project": hub.code,
            "type": "schedule",
            "title": text(CHANGE_TITLE, language),
            "description": text(CHANGE_TEXT, language),
            "slip_milestone": go_live.pk,
            "slip_days": 12,
            "cost_impact": 380000,
        },
    )
    transition(actor=requester, cr=cr, action="submit")
    _answer_demo_change(cr, language)


#: What the first affected projects' managers answer (the rest have not answered yet); the
#: requester's own affected project (open banking, also Sophie Turner's) agrees by the request.
DEMO_ANSWERS: list[tuple[str, Text]] = [
    (
        "object",
        (
            "Our release needs the payment hub by the date agreed with us; the slip pushes our "
            "go-live past the date the branches are trained for.",
            "我方版本需要支付中台按约定日期交付；此次延期将使我方上线晚于各网点完成培训的日期。",
        ),
    ),
]


def _answer_demo_change(cr: Any, language: str = ENGLISH) -> None:
    """The first other affected project's manager objects; the requester's own project
    agrees by the request (recorded on submission) and the last one has not answered, so the
    panel shows all three kinds (ADR 0005)."""
    from pmo.dependencies.responses import requester_manages, respond_to_change

    affected = cr.affected_projects.select_related("manager__user").order_by("code")
    managed = [
        p
        for p in affected
        if p.manager is not None and p.manager.user is not None and not requester_manages(cr, p)
    ]
    for project, (answer, reason) in zip(managed, DEMO_ANSWERS, strict=False):
        respond_to_change(
            actor=project.manager.user,
            cr=cr,
            project_code=project.code,
            answer=answer,
            reason=text(reason, language),
        )
