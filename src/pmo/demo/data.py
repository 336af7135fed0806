"""Bilingual names for the demo portfolio (English, 中文)."""

from __future__ import annotations

ORG = [
    # code, kind, parent, name, name_zh
    ("group", "group", None, "Harbour Group", "海港集团"),
    ("cn", "region", "group", "China region", "中国区"),
    ("uk", "region", "group", "London HQ", "伦敦总部"),
    ("sg", "region", "group", "Singapore APAC", "新加坡亚太区"),
    ("cn-sh-rd", "department", "cn", "Shanghai R&D", "上海研发中心"),
    ("cn-bj-biz", "department", "cn", "Beijing Business", "北京业务部"),
    ("cn-sz-plant", "plant", "cn", "Shenzhen Plant", "深圳工厂"),
    ("cn-gz-delivery", "department", "cn", "Guangzhou Delivery", "广州交付中心"),
    ("uk-it", "department", "uk", "London IT", "伦敦信息技术部"),
    ("uk-fin", "department", "uk", "London Finance", "伦敦财务部"),
    ("uk-strategy", "department", "uk", "Group Strategy Office", "集团战略办公室"),
    ("sg-ops", "department", "sg", "Singapore Operations", "新加坡运营部"),
]

PEOPLE = [
    ("Zhang Wei", "张伟", "cn-sh-rd"),
    ("Li Na", "李娜", "cn-bj-biz"),
    ("Wang Fang", "王芳", "cn-sh-rd"),
    ("Liu Yang", "刘洋", "cn-sz-plant"),
    ("Chen Jing", "陈静", "cn-gz-delivery"),
    ("Yang Lei", "杨磊", "cn-bj-biz"),
    ("Zhao Min", "赵敏", "cn-sh-rd"),
    ("Huang Tao", "黄涛", "cn-sz-plant"),
    ("Zhou Jie", "周杰", "cn-gz-delivery"),
    ("Wu Xia", "吴霞", "cn-bj-biz"),
    ("Xu Ming", "徐明", "cn-sh-rd"),
    ("Sun Li", "孙丽", "cn-gz-delivery"),
    ("Ma Jun", "马军", "cn-sz-plant"),
    ("Zhu Hong", "朱红", "cn-sh-rd"),
    ("Hu Bin", "胡斌", "cn-bj-biz"),
    ("Guo Qiang", "郭强", "cn-gz-delivery"),
    ("Emma Clarke", "艾玛·克拉克", "uk-it"),
    ("James Whitfield", "詹姆斯·惠特菲尔德", "uk-fin"),
    ("Olivia Bennett", "奥利维亚·贝内特", "uk-strategy"),
    ("Harry Patel", "哈里·帕特尔", "uk-it"),
    ("Sophie Turner", "索菲·特纳", "uk-fin"),
    ("George Evans", "乔治·埃文斯", "uk-strategy"),
    ("Amelia Hughes", "阿米莉亚·休斯", "uk-it"),
    ("Tan Wei Ming", "陈伟明", "sg-ops"),
    ("Priya Nair", "普里娅·奈尔", "sg-ops"),
    ("Lim Hui Ling", "林慧玲", "sg-ops"),
]

# people of PEOPLE who do not manage projects (the rest are project managers), with their
# job titles (a person's title is single-language: the demo's)
TITLES = {
    "Li Na": ("PMO analyst", "PMO分析师"),
    "Wang Fang": ("Quality manager", "质量经理"),
    "Xu Ming": ("Solution architect", "解决方案架构师"),
    "Zhu Hong": ("Solution architect", "解决方案架构师"),
    "Harry Patel": ("Solution architect", "解决方案架构师"),
    "Priya Nair": ("Business analyst", "业务分析师"),
}
PROJECT_MANAGER = ("Project manager", "项目经理")
SPONSOR = ("Executive sponsor", "高管发起人")

# the currency a region pays its people and runs its projects in
CURRENCIES = {"cn": "CNY", "uk": "GBP", "sg": "SGD"}

# the PMO's exchange rates: CNY per unit, about the 2025-2026 market (the demo's base
# currency is the default, CNY), valid from the first of January of the year before the demo
EXCHANGE_RATES = {"GBP": "9.10", "SGD": "5.40", "USD": "7.10", "EUR": "7.70"}


def region(unit_code: str) -> str:
    """The region of an org unit code (``cn-sh-rd`` → ``cn``)."""
    return unit_code.split("-")[0]


SPONSORS = [
    ("Robert Hale (COO)", "罗伯特·黑尔（首席运营官）", "group"),
    ("Catherine Moore (CFO)", "凯瑟琳·摩尔（首席财务官）", "group"),
    ("Gao Jianguo (China CEO)", "高建国（中国区总裁）", "cn"),
    ("Daniel Cho (CIO)", "丹尼尔·赵（首席信息官）", "uk"),
    ("Lin Xiaoyun (VP R&D)", "林晓云（研发副总裁）", "cn-sh-rd"),
]

PROGRAMS = [
    ("DIGI", "Digital banking", "数字银行"),
    ("CORE", "Core systems modernisation", "核心系统现代化"),
    ("MFG", "Smart manufacturing", "智能制造"),
    ("CX", "Customer experience", "客户体验"),
    ("REG", "Regulatory compliance", "监管合规"),
    ("DATA", "Data and AI", "数据与人工智能"),
    ("ORG", "Organisation excellence", "组织卓越"),
]

# (program, pmo_type, English, 中文)
PROJECTS = [
    ("CORE", "rnd", "Core banking upgrade", "核心银行系统升级"),
    ("DIGI", "rnd", "Mobile banking app 5.0", "手机银行5.0"),
    ("DIGI", "business", "Online loan origination", "线上贷款申请"),
    ("CORE", "rnd", "Payment hub consolidation", "支付中台整合"),
    ("CX", "business", "Branch network redesign", "网点布局优化"),
    ("REG", "delivery", "Basel IV reporting", "巴塞尔协议IV报送"),
    ("DATA", "rnd", "Enterprise data lake", "企业数据湖"),
    ("MFG", "delivery", "Shenzhen line 3 automation", "深圳三号产线自动化"),
    ("ORG", "strategy", "Shared service centre", "共享服务中心建设"),
    ("CX", "rnd", "Customer 360 CRM", "客户360视图CRM"),
    ("REG", "business", "Anti-money-laundering refresh", "反洗钱系统更新"),
    ("DATA", "rnd", "Credit risk scoring model", "信用风险评分模型"),
    ("MFG", "rnd", "Predictive maintenance", "预测性维护"),
    ("ORG", "assistant", "COO office operating rhythm", "首席运营官办公室运营机制"),
    ("CORE", "delivery", "Mainframe exit phase 1", "大型机下线一期"),
    ("DIGI", "rnd", "Open banking APIs", "开放银行API"),
    ("CX", "business", "Contact centre cloud migration", "呼叫中心上云"),
    ("REG", "delivery", "GDPR and PIPL data privacy", "GDPR与个人信息保护法合规"),
    ("DATA", "business", "Self-service BI rollout", "自助式商业智能推广"),
    ("MFG", "delivery", "MES rollout Suzhou", "苏州制造执行系统上线"),
    ("ORG", "strategy", "Finance transformation", "财务转型"),
    ("CORE", "rnd", "Card platform replacement", "银行卡平台替换"),
    ("DIGI", "business", "Wealth management portal", "财富管理门户"),
    ("CX", "rnd", "Chatbot and voice assistant", "智能客服与语音助手"),
    ("REG", "business", "ESG disclosure reporting", "ESG信息披露"),
    ("DATA", "rnd", "Real-time fraud detection", "实时反欺诈"),
    ("MFG", "business", "Supplier quality portal", "供应商质量门户"),
    ("ORG", "strategy", "Talent management system", "人才管理系统"),
    ("CORE", "delivery", "Data centre consolidation", "数据中心整合"),
    ("DIGI", "rnd", "Digital identity and e-KYC", "数字身份与电子KYC"),
    ("CX", "business", "Loyalty programme relaunch", "会员计划重启"),
    ("REG", "delivery", "IFRS 17 implementation", "IFRS 17实施"),
    ("DATA", "rnd", "MLOps platform", "机器学习运维平台"),
    ("MFG", "delivery", "Warehouse robotics pilot", "仓储机器人试点"),
    ("ORG", "assistant", "Board reporting automation", "董事会报告自动化"),
    ("CORE", "rnd", "General ledger migration", "总账系统迁移"),
    ("DIGI", "business", "SME digital lending", "小微企业数字信贷"),
    ("CX", "rnd", "Omnichannel notifications", "全渠道消息通知"),
    ("REG", "business", "Operational resilience programme", "运营韧性项目"),
    ("DATA", "business", "Master data management", "主数据管理"),
    ("MFG", "rnd", "Digital twin of plant", "工厂数字孪生"),
    ("ORG", "strategy", "Hybrid work policy", "混合办公制度"),
    ("CORE", "delivery", "Network refresh", "网络设备更新"),
    ("DIGI", "rnd", "Cross-border payments", "跨境支付"),
    ("CX", "business", "Complaint handling redesign", "投诉处理流程再造"),
    ("REG", "delivery", "Cyber security uplift", "网络安全能力提升"),
    ("DATA", "rnd", "Generative AI assistant", "生成式AI助手"),
    ("MFG", "delivery", "Energy monitoring", "能耗监测"),
    ("ORG", "strategy", "Procurement excellence", "采购卓越"),
    ("CORE", "rnd", "Batch to real-time settlement", "批量转实时清算"),
    ("DIGI", "business", "Insurance marketplace", "保险超市"),
    ("CX", "rnd", "Accessibility upgrade", "无障碍体验升级"),
    ("REG", "business", "Sanctions screening upgrade", "制裁名单筛查升级"),
    ("DATA", "rnd", "Data quality firewall", "数据质量防火墙"),
    ("MFG", "business", "Spare parts e-commerce", "备件电商"),
    ("ORG", "assistant", "PMO methodology refresh", "PMO方法论更新"),
    ("CORE", "delivery", "Disaster recovery site", "灾备中心建设"),
    ("DIGI", "rnd", "Digital mortgage", "数字化按揭"),
    ("CX", "business", "Voice of customer programme", "客户之声项目"),
    ("REG", "delivery", "Regulatory reporting platform", "监管报送平台"),
]

REASONS = {
    "schedule": [
        ("Vendor delivery two weeks late", "供应商交付延迟两周"),
        ("Testing environment unavailable", "测试环境不可用"),
        ("Dependency on core upgrade slipped", "依赖的核心系统升级延期"),
    ],
    "cost": [
        ("Licence costs above estimate", "许可证费用超出预算"),
        ("Overtime to recover schedule", "为追赶进度产生加班费用"),
    ],
    "scope": [
        ("New regulatory requirements added", "新增监管需求"),
        ("Business asked for extra reports", "业务方新增报表需求"),
    ],
    "resources": [
        ("Two Java developers left", "两名Java开发人员离职"),
        ("Architect shared with three projects", "架构师同时支持三个项目"),
    ],
    "quality": [
        ("Defect backlog growing", "缺陷积压增加"),
        ("Performance test failed", "性能测试未通过"),
    ],
    "overall": [
        ("Critical path at risk", "关键路径存在风险"),
        ("Recovery plan agreed with sponsor", "已与发起人确认恢复计划"),
    ],
}

RISKS = [
    ("Key vendor may miss the integration date", "关键供应商可能错过集成日期"),
    ("Regulator may change the reporting template", "监管机构可能更改报送模板"),
    ("Data migration quality unknown", "数据迁移质量未知"),
    ("Business users unavailable for UAT", "业务用户无法参加用户验收测试"),
    ("Budget approval for phase 2 delayed", "二期预算审批延迟"),
    ("Security review may block go-live", "安全评审可能阻碍上线"),
    ("Key architect may leave", "核心架构师可能离职"),
    ("Hardware lead times increasing", "硬件交货期延长"),
]

ISSUES = [
    ("Test environment down for 3 days", "测试环境停机3天"),
    ("Interface specification disputed by supplier", "供应商对接口规范有异议"),
    ("Go-live window clashes with year-end freeze", "上线窗口与年末封版冲突"),
    ("Performance below SLA in load test", "压力测试性能未达服务水平协议"),
    ("Missing sign-off from compliance", "缺少合规部门签字"),
]

ACTIONS = [
    ("Escalate vendor delay to account director", "向供应商客户总监升级延期问题"),
    ("Book additional test environment", "预订额外测试环境"),
    ("Prepare recovery plan for steering", "为指导委员会准备恢复计划"),
    ("Run data quality profiling", "执行数据质量分析"),
    ("Confirm UAT participants with business", "与业务确认验收测试人员"),
]

DECISIONS = [
    ("Approve extra budget for phase 2", "批准二期追加预算"),
    ("Choose cloud provider for DR site", "选择灾备站点云服务商"),
    ("Move go-live to after year-end freeze", "将上线推迟到年末封版之后"),
    ("Descope paper statements", "取消纸质对账单范围"),
]

ASSUMPTIONS = [
    ("Core APIs stable by Q2", "核心API在第二季度前稳定"),
    ("Vendor keeps the current team", "供应商保持现有团队"),
    ("No new regulation this year", "今年无新增监管要求"),
]

MILESTONES = [
    ("Requirements signed off", "需求签核"),
    ("Design approved", "设计评审通过"),
    ("Build complete", "开发完成"),
    ("UAT complete", "用户验收测试完成"),
    ("Go-live", "上线"),
    ("Customer acceptance", "客户验收"),
    ("Project closed", "项目关闭"),
]

# milestones only projects of some PMO types have: a customer delivery's G4 is decided on
# the customer's acceptance (the built-in delivery lifecycle ties it to this name)
MILESTONE_TYPES = {"Customer acceptance": {"delivery"}}
