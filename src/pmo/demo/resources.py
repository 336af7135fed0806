"""Demo capacity: role pools and named people with capacities, allocations, some overload.

Pool capacity is sized from the generated demand (the 90th percentile of the coming
quarter's weeks), so only demand peaks overload, at any ``--projects``; a hypercare spike
on the first project makes the overload visible for sure; an architect's week of leave shows
an absence (time off: his work pauses that week); the first project's architect is booked
twice at its go-live (support by hand, hypercare in its plan), so leveling delays a plan task
and committing the levelled scenario asks for the plan to change.
Written with ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import numpy as np

from pmo.accounts.models import OrgUnit, Person, User
from pmo.audit.models import AuditAction
from pmo.audit.services import build_event, diff, record_all, snapshot
from pmo.demo.data import CURRENCIES, region
from pmo.demo.language import ENGLISH, Text, text
from pmo.portfolio.models import Milestone, Phase, Project
from pmo.resources.models import (
    Allocation,
    AllocationStatus,
    CapacityChange,
    Resource,
    Role,
)

# code, English, Chinese, role, org unit, skills (English, Chinese), cost rate per hour in the
# region's currency
POOLS = [
    (
        "java-sh",
        "Java developers, Shanghai",
        "Java开发（上海）",
        "Java developer",
        "cn-sh-rd",
        ("Java, Spring", "Java、Spring框架"),
        420,
    ),
    (
        "test-sh",
        "Test engineers, Shanghai",
        "测试工程师（上海）",
        "Test engineer",
        "cn-sh-rd",
        ("automation, performance", "自动化测试、性能测试"),
        320,
    ),
    (
        "data-sh",
        "Data engineers, Shanghai",
        "数据工程师（上海）",
        "Data engineer",
        "cn-sh-rd",
        ("Spark, SQL", "Spark大数据、SQL"),
        480,
    ),
    (
        "ba-bj",
        "Business analysts, Beijing",
        "业务分析师（北京）",
        "Business analyst",
        "cn-bj-biz",
        ("banking, requirements", "银行业务、需求分析"),
        380,
    ),
    (
        "auto-sz",
        "Automation engineers, Shenzhen",
        "自动化工程师（深圳）",
        "Automation engineer",
        "cn-sz-plant",
        ("PLC, MES", "PLC编程、MES系统"),
        360,
    ),
    (
        "dev-uk",
        "Developers, London",
        "开发工程师（伦敦）",
        "Java developer",
        "uk-it",
        ("Java, cloud", "Java、云计算"),
        85,
    ),
]
# the roles in Chinese (the heat map's rows by role, the role filter)
ROLE_ZH = {
    "Java developer": "Java开发工程师",
    "Test engineer": "测试工程师",
    "Data engineer": "数据工程师",
    "Business analyst": "业务分析师",
    "Automation engineer": "自动化工程师",
    "Solution architect": "解决方案架构师",
}
# what each role does, for the role catalogue (English, Chinese)
ROLE_DESCRIPTIONS: dict[str, Text] = {
    "Java developer": (
        "Builds and maintains the Java services of the products.",
        "开发和维护产品的 Java 服务。",
    ),
    "Test engineer": (
        "Plans and runs functional and regression tests; owns the test reports.",
        "计划和执行功能测试与回归测试，负责测试报告。",
    ),
    "Data engineer": (
        "Builds data pipelines, migrations and reports.",
        "构建数据管道、数据迁移和报表。",
    ),
    "Business analyst": (
        "Writes requirements with the business and accepts what is delivered.",
        "与业务部门一起编写需求，并验收交付成果。",
    ),
    "Automation engineer": (
        "Designs and commissions plant automation and control systems.",
        "设计和调试工厂自动化与控制系统。",
    ),
    "Solution architect": (
        "Designs the solution across systems and reviews the technical decisions.",
        "设计跨系统的解决方案，评审技术决策。",
    ),
}
# person, role, capacity (FTE), skills (English, Chinese), cost rate per hour in the region's
# currency
PEOPLE = [
    ("Xu Ming", "Solution architect", "1", ("architecture, Java", "架构设计、Java"), 500),
    ("Zhu Hong", "Solution architect", "0.8", ("architecture, data", "架构设计、数据"), 480),
    ("Harry Patel", "Solution architect", "1", ("architecture, cloud", "架构设计、云计算"), 110),
    ("Priya Nair", "Business analyst", "1", ("operations", "运营"), 95),
]
NEEDS = {
    "rnd": ["java-sh", "test-sh"],
    "business": ["ba-bj", "java-sh"],
    "delivery": ["auto-sz", "test-sh"],
    "strategy": ["ba-bj", "data-sh"],
}
ARCHITECTS = ["Xu Ming", "Zhu Hong", "Harry Patel"]
# the notes of allocations and the reasons of capacity changes
GO_LIVE_SUPPORT: Text = ("Go-live support", "上线支持")
HYPERCARE: Text = ("Go-live hypercare", "上线后重点保障")
LEAVE: Text = ("Annual leave", "年假")
HIRED: Text = ("Two data engineers hired", "新招聘两名数据工程师")
HORIZON_WEEKS = 26


def _calendar(unit: str) -> str:
    """China's holidays in the China region, Monday to Friday elsewhere."""
    return "CN" if region(unit) == "cn" else ""


def reset_resources(unit_codes: list[str]) -> None:
    """Remove the demo resources (and every allocation and change of them)."""
    resources = Resource.objects.filter(org_unit__code__in=unit_codes)
    Allocation.objects.filter(resource__in=resources).delete()
    CapacityChange.objects.filter(resource__in=resources).delete()
    resources.delete()
    Role.objects.filter(name__in=ROLE_ZH).exclude(name__in=Resource.objects.values("role")).delete()


def pools_of(project: Project) -> list[str]:
    """The codes of the role pools ``project`` draws on (its PMO type's; London's developers
    for projects run from the UK)."""
    if project.org_unit.code.startswith("uk"):
        return ["dev-uk"]
    return NEEDS.get(project.pmo_type, ["ba-bj"])


def architect_of(index: int) -> str:
    """The solution architect who supports demo project number ``index`` (from 0)."""
    return ARCHITECTS[index % len(ARCHITECTS)]


def _go_live(project: Project) -> dt.date | None:
    """The forecast of ``project``'s go-live (its plan's milestone), if it has one."""
    return (
        Milestone.objects.filter(project=project, name="Go-live")
        .values_list("forecast_date", flat=True)
        .first()
    )


def _asked_by_managers(proposed: list[Allocation]) -> None:
    """Each proposal's creation in the audit trail, by its project's manager (who may
    propose), so the requests to commit say who asked, as for a proposal made on a page."""
    managers = dict(
        Project.objects.filter(pk__in={a.project_id for a in proposed}).values_list(
            "pk", "manager__user"
        )
    )
    users = User.objects.in_bulk({pk for pk in managers.values() if pk})
    events = [
        build_event(
            actor=users[managers[a.project_id]],
            action=AuditAction.CREATE,
            instance=a,
            scope=f"project:{a.project_id}",
            changes=diff({}, snapshot(a)),
        )
        for a in proposed
        if managers.get(a.project_id)
    ]
    record_all(events)


def load_resources(
    projects: list[Project],
    today: dt.date,
    seed: int,
    planned: frozenset[int] = frozenset(),
    language: str = ENGLISH,
) -> int:
    """Create pools, people and allocations for ``projects``; return the allocation count.
    Skills, notes and reasons are in ``language``.

    The projects of ``planned`` (ids) draw on the pools through their plans' task
    assignments (schedule demand, recorded when the plans are recomputed), not through
    allocations of their own.
    """
    rng = random.Random(seed + 6)
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={p[4] for p in POOLS})}
    people = {p.name: p for p in Person.objects.filter(name__in=[p[0] for p in PEOPLE])}
    monday = today - dt.timedelta(days=today.weekday())
    horizon_first = monday - dt.timedelta(weeks=4)
    horizon_last = monday + dt.timedelta(weeks=HORIZON_WEEKS) - dt.timedelta(days=1)

    Role.objects.bulk_create(
        [
            Role(name=role, name_zh=zh, description=text(ROLE_DESCRIPTIONS[role], language))
            for role, zh in ROLE_ZH.items()
        ],
        ignore_conflicts=True,  # kept by resources the demo did not make
    )
    pools = {
        code: Resource(
            code=code,
            name=name,
            name_zh=zh,
            kind="pool",
            role=role,
            role_zh=ROLE_ZH.get(role, ""),
            org_unit=units[unit],
            skills=text(skills, language),
            cost_rate=Decimal(rate),
            currency=CURRENCIES[region(unit)],
            calendar=_calendar(unit),
        )
        for code, name, zh, role, unit, skills, rate in POOLS
    }
    persons = {
        name: Resource(
            code=f"person-{people[name].pk}",
            name=name,
            name_zh=people[name].name_zh,
            kind="person",
            role=role,
            role_zh=ROLE_ZH.get(role, ""),
            org_unit=people[name].org_unit,
            person=people[name],
            fte=Decimal(fte),
            skills=text(skills, language),
            cost_rate=Decimal(rate),
            currency=CURRENCIES[region(people[name].org_unit.code)],
            calendar=_calendar(people[name].org_unit.code),
        )
        for name, role, fte, skills, rate in PEOPLE
        if name in people
    }
    rows: list[Allocation] = []
    weeks = (horizon_last - horizon_first).days // 7 + 1
    weekly: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(weeks))
    for index, project in enumerate(projects):
        start = max(project.start_date or horizon_first, horizon_first)
        finish = min(project.forecast_finish or horizon_last, horizon_last)
        if finish <= start + dt.timedelta(days=14):
            continue
        status = (
            AllocationStatus.COMMITTED
            if project.phase in (Phase.EXECUTION, Phase.CLOSING)
            else AllocationStatus.PROPOSED
        )
        for code in pools_of(project):
            fte = Decimal(rng.choice(["0.5", "1", "1", "1.5", "2", "3"]))
            first = min(start + dt.timedelta(days=rng.randrange(0, 28)), finish)
            if project.pk not in planned:
                rows.append(
                    Allocation(
                        resource=pools[code],
                        project=project,
                        first=first,
                        last=finish,
                        fte=fte,
                        status=status,
                    )
                )
            # a planned project's demand sizes the pools all the same (its plan's is similar)
            weekly[code][
                (first - horizon_first).days // 7 : (finish - horizon_first).days // 7
            ] += float(fte)
        if index < 24 and persons:
            name = architect_of(index)
            if name in persons:
                first = monday + dt.timedelta(weeks=rng.randrange(0, 12))
                last = min(first + dt.timedelta(weeks=rng.randrange(4, 10)), horizon_last)
                fte = Decimal(rng.choice(["0.2", "0.3", "0.5"]))
                note = ""
                go_live = _go_live(project) if index == 0 and project.pk in planned else None
                if go_live is not None and go_live >= today:
                    # the first project's architect is booked for its go-live support, and
                    # its plan has him on hypercare and handover as well (:data:`~pmo.demo.
                    # plans.STAFF`): a double booking leveling can only undo by delaying the
                    # hypercare, a task not started, so its plan is listed to change
                    first, last = go_live, go_live + dt.timedelta(weeks=2, days=-1)
                    fte, note = Decimal("0.5"), text(GO_LIVE_SUPPORT, language)
                rows.append(
                    Allocation(
                        resource=persons[name],
                        project=project,
                        first=first,
                        last=last,
                        fte=fte,
                        status=AllocationStatus.COMMITTED,
                        note=note,
                    )
                )
    for code, resource in pools.items():
        # capacity covers the coming quarter's usual demand; the peaks (hypercare) overload
        coming = weekly[code][4:16]
        resource.fte = Decimal(max(1, int(np.ceil(np.percentile(coming, 90)))))
    Resource.objects.bulk_create([*pools.values(), *persons.values()])
    java_pools = {code: p for code, p in pools.items() if p.role == "Java developer"}
    if projects:
        # go-live hypercare: the first project needs Java developers for three weeks, at least
        # 4 and more than the room the Java pools have then (other pools of the role may be
        # winding down), so the spike overloads the role whatever the date
        spike = slice(7, 10)  # the horizon's weeks 3 to 5 from this Monday
        room = min(
            sum(float(p.fte) - weekly[code][spike][week] for code, p in java_pools.items())
            for week in range(3)
        )
        rows.append(
            Allocation(
                resource=pools["java-sh"],
                project=projects[0],
                first=monday + dt.timedelta(weeks=3),
                last=monday + dt.timedelta(weeks=6, days=-3),
                fte=Decimal(max(4, int(np.ceil(room)) + 1)),
                status=AllocationStatus.PROPOSED,
                note=text(HYPERCARE, language),
            )
        )
    for row in rows:
        row.resource_id = row.resource.pk
    Allocation.objects.bulk_create(rows, batch_size=1000)
    _asked_by_managers([r for r in rows if r.status == AllocationStatus.PROPOSED])
    changes = []
    if "Xu Ming" in persons:
        changes.append(
            CapacityChange(
                resource=persons["Xu Ming"],
                first=monday + dt.timedelta(weeks=2),
                last=monday + dt.timedelta(weeks=2, days=6),
                fte=Decimal("0"),
                reason=text(LEAVE, language),
            )
        )
    changes.append(
        CapacityChange(
            resource=pools["data-sh"],
            first=monday + dt.timedelta(weeks=8),
            last=horizon_last,
            fte=pools["data-sh"].fte + 2,
            reason=text(HIRED, language),
        )
    )
    CapacityChange.objects.bulk_create(changes)
    return len(rows)
