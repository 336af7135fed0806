"""The built-in lifecycle templates: one per PMO type and a minimal generic one.

Each is a *definition* in the same shape the API accepts (``LifecycleTemplateIn``), so
they go through the same validation. The gate of phase ``i`` (``i >= 1``) leads from
phase ``i - 1`` into it; entering the first phase is the start of the lifecycle ("G0").
"""

from __future__ import annotations

from typing import Any

__all__ = ["BUILTIN_TEMPLATES", "template_for_pmo_type"]

DECIDERS = ["executive", "pmo_admin"]


def _c(text: str, zh: str, mandatory: bool = True, kind: str = "exit") -> dict[str, Any]:
    return {"text": text, "text_zh": zh, "mandatory": mandatory, "kind": kind}


def _d(name: str, zh: str, mandatory: bool = True) -> dict[str, Any]:
    return {"name": name, "name_zh": zh, "mandatory": mandatory, "template_url": ""}


def _gate(
    code: str,
    name: str,
    zh: str,
    criteria: list[dict[str, Any]],
    deliverables: list[dict[str, Any]],
    milestone: tuple[str, str] = ("", ""),
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "name_zh": zh,
        "decider_roles": DECIDERS,
        "decider_ids": [],
        "criteria": criteria,
        "deliverables": deliverables,
        "milestone": milestone[0],
        "milestone_zh": milestone[1],
    }


def _phase(
    key: str, name: str, zh: str, category: str, days: int, gate: dict[str, Any] | None = None
) -> dict[str, Any]:
    phase: dict[str, Any] = {
        "key": key,
        "name": name,
        "name_zh": zh,
        "category": category,
        "expected_days": days,
    }
    if gate is not None:
        phase["gate"] = gate
    return phase


SPONSOR = _c("Sponsor confirms the need", "发起人确认需求")
CASE = _c("Business case approved (benefits, costs, risks)", "商业论证已批准（收益、成本、风险）")
BUDGET = _c("Budget and resources committed", "预算与资源已承诺")
PLAN = _c("Baseline plan (scope, schedule, cost) agreed", "基线计划（范围、进度、成本）已确认")
RISKS = _c("Key risks have owners and responses", "关键风险均有责任人和应对措施")
ACCEPT = _c("Acceptance criteria met", "验收标准已满足")
HANDOVER = _c("Handover to operations agreed", "已与运营方确认移交")
LESSONS = _c("Lessons learned recorded (retrospective)", "经验教训已记录（复盘）", mandatory=False)
# milestones a gate is decided on (ADR 0002, "Gates tied to milestones"): the demo's
# plans and milestone lists use these names, in English and Chinese
GO_LIVE = ("Go-live", "上线")
DESIGN_APPROVED = ("Design approved", "设计评审通过")
CUSTOMER_ACCEPTANCE = ("Customer acceptance", "客户验收")

OPEN_ITEMS = _c("No open issues of high severity", "无未关闭的高严重度问题", mandatory=False)

CHARTER = _d("Project charter", "项目章程")
CASE_DOC = _d("Business case", "商业论证")
PLAN_DOC = _d("Project management plan", "项目管理计划")
TEST_REPORT = _d("Test report", "测试报告")
ACCEPT_DOC = _d("Acceptance certificate", "验收证书")
CLOSE_DOC = _d("Closure report", "结项报告")

GENERIC: dict[str, Any] = {
    "code": "generic",
    "name": "Generic lifecycle",
    "name_zh": "通用生命周期",
    "pmo_type": "",
    "description": "Minimal lifecycle: idea, planning, execution, closed.",
    "description_zh": "最简生命周期：构想、规划、执行、关闭。",
    "phases": [
        _phase("idea", "Idea", "构想", "idea", 30),
        _phase(
            "planning",
            "Planning",
            "计划",
            "planning",
            45,
            _gate("G1", "Approve", "立项批准", [SPONSOR, BUDGET], [CHARTER]),
        ),
        _phase(
            "execution",
            "Execution",
            "执行",
            "execution",
            180,
            _gate("G2", "Plan approved", "计划批准", [PLAN, RISKS], [PLAN_DOC]),
        ),
        _phase(
            "closed",
            "Closed",
            "已关闭",
            "closed",
            0,
            _gate("G3", "Close", "结项", [ACCEPT, LESSONS], [CLOSE_DOC]),
        ),
    ],
}


def _stage_gate(
    code: str,
    name: str,
    zh: str,
    pmo_type: str,
    description: tuple[str, str],
    phases: list[tuple[str, str, str, str, int]],
    gates: list[tuple[Any, ...]],
) -> dict[str, Any]:
    """``gates``: (code, name, Chinese name, criteria, deliverables[, milestone pair])."""
    result = [_phase(*phases[0])]
    for phase, gate in zip(phases[1:], gates, strict=True):
        result.append(_phase(*phase, _gate(*gate)))
    return {
        "code": code,
        "name": name,
        "name_zh": zh,
        "pmo_type": pmo_type,
        "description": description[0],
        "description_zh": description[1],
        "phases": result,
    }


RND = _stage_gate(
    "rnd",
    "R&D stage-gate",
    "研发阶段门",
    "rnd",
    (
        "Concept to launch for engineering delivery (G0 concept registered, G1-G5).",
        "从概念到发布的研发交付（G0 概念登记，G1-G5）。",
    ),
    [
        ("concept", "Concept", "概念", "idea", 30),
        ("feasibility", "Feasibility", "可行性研究", "initiation", 45),
        ("planning", "Development plan", "开发计划", "planning", 30),
        ("development", "Development and test", "开发与测试", "execution", 180),
        ("launch", "Launch", "发布", "closing", 30),
        ("closed", "Closed", "已关闭", "closed", 0),
    ],
    [
        ("G1", "Business case", "商业论证", [SPONSOR, CASE], [CASE_DOC]),
        ("G2", "Plan", "计划评审", [PLAN, BUDGET, RISKS], [CHARTER, PLAN_DOC]),
        (
            "G3",
            "Build",
            "开发启动",
            [_c("Architecture and design reviewed", "架构与设计已评审"), RISKS],
            [_d("Design specification", "设计说明书")],
            DESIGN_APPROVED,
        ),
        (
            "G4",
            "Launch / accept",
            "发布验收",
            [ACCEPT, _c("Release readiness confirmed", "发布就绪已确认"), OPEN_ITEMS],
            [TEST_REPORT, ACCEPT_DOC],
            GO_LIVE,
        ),
        ("G5", "Close", "结项", [HANDOVER, LESSONS], [CLOSE_DOC]),
    ],
)

BUSINESS = _stage_gate(
    "business",
    "Business initiative lifecycle",
    "业务项目生命周期",
    "business",
    ("Business targets from idea to benefits realisation.", "业务目标从构想到收益实现。"),
    [
        ("idea", "Idea", "构想", "idea", 30),
        ("case", "Business case", "商业论证", "initiation", 45),
        ("planning", "Planning", "计划", "planning", 30),
        ("implementation", "Implementation", "实施", "execution", 150),
        ("benefits", "Benefits realisation", "收益实现", "closing", 90),
        ("closed", "Closed", "已关闭", "closed", 0),
    ],
    [
        ("G1", "Business case", "商业论证", [SPONSOR], [CHARTER]),
        ("G2", "Plan", "计划评审", [CASE, BUDGET], [CASE_DOC, PLAN_DOC]),
        ("G3", "Build", "实施启动", [PLAN, RISKS], [PLAN_DOC]),
        (
            "G4",
            "Launch / accept",
            "上线验收",
            [ACCEPT, _c("Business targets measurable", "业务目标可度量")],
            [ACCEPT_DOC],
            GO_LIVE,
        ),
        (
            "G5",
            "Close",
            "结项",
            [_c("Benefits measured against the business case", "已对照商业论证衡量收益"), LESSONS],
            [CLOSE_DOC],
        ),
    ],
)

DELIVERY = _stage_gate(
    "delivery",
    "Customer delivery lifecycle",
    "交付项目生命周期",
    "delivery",
    (
        "External contracts with payment milestones: bid, contract, delivery, acceptance, payment.",
        "带付款里程碑的对外合同：投标、签约、交付、验收、回款。",
    ),
    [
        ("opportunity", "Opportunity and bid", "商机与投标", "idea", 30),
        ("contract", "Contract", "合同", "initiation", 30),
        ("planning", "Delivery planning", "交付计划", "planning", 30),
        ("delivery", "Delivery", "交付", "execution", 150),
        ("acceptance", "Acceptance and payment", "验收与回款", "closing", 60),
        ("closed", "Closed", "已关闭", "closed", 0),
    ],
    [
        (
            "G1",
            "Bid approval",
            "投标批准",
            [_c("Margin and risk reviewed", "毛利与风险已评审")],
            [_d("Bid proposal", "投标方案")],
        ),
        (
            "G2",
            "Contract signed",
            "合同签署",
            [
                _c("Contract signed", "合同已签署"),
                _c("Payment milestones agreed in the contract", "合同已约定付款里程碑"),
            ],
            [_d("Signed contract", "已签署合同")],
        ),
        ("G3", "Delivery start", "交付启动", [PLAN, RISKS], [PLAN_DOC]),
        (
            "G4",
            "Customer acceptance",
            "客户验收",
            [ACCEPT, _c("Acceptance signed by the customer", "客户已签署验收")],
            [ACCEPT_DOC],
            CUSTOMER_ACCEPTANCE,
        ),
        (
            "G5",
            "Close",
            "结项",
            [_c("All contract payments received", "合同款项已全部回收"), LESSONS],
            [CLOSE_DOC],
        ),
    ],
)

STRATEGY = _stage_gate(
    "strategy",
    "Strategy and organisation initiative",
    "战略与组织项目生命周期",
    "strategy",
    ("Strategy decoding to organisational change and review.", "从战略解码到组织变革与复盘。"),
    [
        ("decoding", "Strategy decoding", "战略解码", "idea", 30),
        ("charter", "Initiative charter", "举措章程", "initiation", 30),
        ("design", "Design", "方案设计", "planning", 45),
        ("rollout", "Roll-out", "推行", "execution", 120),
        ("review", "Review", "评估", "closing", 30),
        ("closed", "Closed", "已关闭", "closed", 0),
    ],
    [
        (
            "G1",
            "Charter",
            "章程批准",
            [_c("Linked to a strategic objective", "已关联战略目标")],
            [CHARTER],
        ),
        ("G2", "Design", "方案批准", [SPONSOR, BUDGET], [PLAN_DOC]),
        (
            "G3",
            "Roll-out",
            "推行启动",
            [_c("Change impact assessed", "变革影响已评估"), RISKS],
            [_d("Change plan", "变革计划")],
        ),
        ("G4", "Review", "效果评估", [_c("KPIs measured", "关键指标已衡量")], []),
        ("G5", "Close", "结项", [LESSONS], [CLOSE_DOC]),
    ],
)

ASSISTANT = _stage_gate(
    "assistant",
    "Assistant PMO lifecycle",
    "助理型PMO生命周期",
    "assistant",
    ("Light lifecycle for tasks that support a leader.", "支持领导工作的轻量生命周期。"),
    [
        ("request", "Request", "需求", "idea", 14),
        ("planning", "Planning", "计划", "planning", 14),
        ("execution", "Execution", "执行", "execution", 60),
        ("closed", "Closed", "已关闭", "closed", 0),
    ],
    [
        ("G1", "Accept", "接受任务", [SPONSOR], []),
        ("G2", "Plan", "计划确认", [PLAN], [PLAN_DOC]),
        ("G3", "Close", "结项", [ACCEPT, LESSONS], []),
    ],
)

BUILTIN_TEMPLATES: list[dict[str, Any]] = [GENERIC, RND, BUSINESS, DELIVERY, STRATEGY, ASSISTANT]


def template_for_pmo_type(pmo_type: str) -> str:
    """The code of the built-in template for a PMO type (generic for unknown types)."""
    return (
        pmo_type
        if pmo_type in {"rnd", "business", "delivery", "strategy", "assistant"}
        else ("generic")
    )
