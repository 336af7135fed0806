"""``pmo demo --language``: the demo's single-language texts in English or Chinese, the rest
(codes, dates, numbers, structure) the same whatever the language."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from pmo.demo.language import CHINESE, ENGLISH, default_language
from pmo.demo.management.commands import demo

AS_OF = dt.date(2026, 11, 16)
PROJECTS = 32  # the dependency web, the change request with an answer, a stopped project

CJK = re.compile(r"[\u4e00-\u9fff]")
# an English phrase: two words of Latin letters in a row ("Java、Spring框架" is Chinese)
PHRASE = re.compile(r"[A-Za-z]{2,}[ ,:;.-]+[A-Za-z]{2,}")


def _snapshot() -> dict[str, Any]:
    """What the demo wrote: ``facts`` (codes, dates, numbers: the same in either language),
    ``texts`` (kind → the single-language texts) and the bilingual milestone names."""
    from pmo.accounts.models import Person
    from pmo.dependencies.models import ChangeRequest, ChangeResponse, Dependency
    from pmo.governance.models import GateCondition, GateDecision, SteeringMeeting
    from pmo.portfolio.models import (
        Action,
        Assumption,
        Decision,
        Issue,
        Milestone,
        Portfolio,
        Project,
        Risk,
        StatusReport,
    )
    from pmo.resources.models import Allocation, CapacityChange, Resource
    from pmo.scheduling.models import Baseline, Calendar, Plan, Task

    reason_fields = [f"{d}_reason" for d in ("schedule", "cost", "scope", "resources", "quality")]
    report_texts = ["summary", "overall_reason", "achievements", "next_steps", "help_needed"]
    raid = (Risk, Issue, Action, Decision, Assumption)
    facts = {
        "projects": list(
            Project.objects.order_by("code").values_list(
                "code",
                "name",
                "name_zh",
                "phase",
                "state",
                "start_date",
                "planned_finish",
                "forecast_finish",
                "baseline_finish",
                "budget",
                "currency",
                "percent_complete",
                "manager__name",
            )
        ),
        "reports": list(
            StatusReport.objects.order_by("project__code", "period", "revision").values_list(
                "project__code", "period", "overall", "schedule", "cost", "percent_complete"
            )
        ),
        "raid": {
            model.__name__: list(
                model.objects.order_by("project__code", "pk").values_list(
                    "project__code", "status" if model is not Decision else "decision_status"
                )
            )
            for model in raid
        },
        "milestones": list(
            Milestone.objects.order_by("project__code", "name").values_list(
                "project__code", "name", "name_zh", "baseline_date", "forecast_date", "actual_date"
            )
        ),
        "tasks": list(
            Task.objects.order_by("plan__project__code", "uid").values_list(
                "plan__project__code", "uid", "start", "finish", "duration", "percent_complete"
            )
        ),
        "capacity": list(
            # by name: a person's resource code carries the person's key, which a database
            # with sequences (PostgreSQL) does not hand out again after the first build
            CapacityChange.objects.order_by("resource__name", "first", "last", "fte").values_list(
                "resource__name", "first", "last", "fte"
            )
        ),
        "allocations": list(
            Allocation.objects.order_by(
                "resource__name", "project__code", "first", "last", "fte"
            ).values_list("resource__name", "project__code", "first", "last", "fte")
        ),
        "decisions": list(
            GateDecision.objects.order_by(
                "review__lifecycle__project__code", "decided_on", "outcome"
            )
            .values_list("review__lifecycle__project__code", "outcome", "decided_on")
            .distinct()
        ),
        "dependencies": list(
            Dependency.objects.order_by(
                "supplier_project__code", "consumer_project__code", "agreed_date", "lag", "status"
            )
            .values_list(
                "supplier_project__code",
                "consumer_project__code",
                "agreed_date",
                "lag",
                "status",
            )
            .distinct()
        ),
        "meetings": list(SteeringMeeting.objects.values_list("date", "window_days")),
    }
    texts: dict[str, list[str]] = {
        "task names": list(Task.objects.values_list("name", flat=True)),
        "plan names": list(Plan.objects.values_list("name", flat=True)),
        "calendars": list(Calendar.objects.values_list("name", flat=True)),
        "baselines": list(Baseline.objects.values_list("name", flat=True)),
        "report texts": [
            t
            for row in StatusReport.objects.values_list(*report_texts, *reason_fields)
            for t in row
        ],
        "report summaries": list(StatusReport.objects.values_list("summary", flat=True)),
        "RAID titles": [t for m in raid for t in m.objects.values_list("title", flat=True)],
        "decided by": list(Decision.objects.values_list("decided_by", flat=True)),
        "meeting titles": list(SteeringMeeting.objects.values_list("title", flat=True)),
        "meeting places": list(SteeringMeeting.objects.values_list("location", flat=True)),
        "capacity reasons": list(CapacityChange.objects.values_list("reason", flat=True)),
        "allocation notes": list(Allocation.objects.values_list("note", flat=True)),
        "skills": list(Resource.objects.values_list("skills", flat=True)),
        "job titles": list(Person.objects.values_list("title", flat=True)),
        "gate conditions": list(GateCondition.objects.values_list("text", flat=True)),
        "gate rationales": list(GateDecision.objects.values_list("rationale", flat=True)),
        "dependency texts": [
            t for row in Dependency.objects.values_list("system", "description") for t in row
        ],
        "change requests": [
            t for row in ChangeRequest.objects.values_list("title", "description") for t in row
        ],
        "change answers": list(ChangeResponse.objects.values_list("reason", flat=True)),
        "descriptions": list(Portfolio.objects.values_list("description", flat=True))
        + list(Project.objects.values_list("description", flat=True)),
    }
    return {"facts": facts, "texts": {k: [t for t in v if t] for k, v in texts.items()}}


@pytest.fixture(scope="module")
def builds(django_db_setup: Any, django_db_blocker: Any) -> dict[str, dict[str, Any]]:
    """The demo built once in each language (each rolled back: the database stays as it was).

    The tests using it are marked ``django_db``, so that the test database exists.
    """
    from pmo.demo.loader import load_demo
    from pmo.governance.templates_service import install_builtin_templates

    snapshots = {}
    with django_db_blocker.unblock():
        for language in (ENGLISH, CHINESE):
            with transaction.atomic():
                install_builtin_templates()
                load_demo(projects=PROJECTS, as_of=AS_OF, language=language)
                snapshots[language] = _snapshot()
                transaction.set_rollback(True)
    return snapshots


@pytest.mark.django_db
def test_the_chinese_demo_writes_every_single_language_text_in_chinese(
    builds: dict[str, dict[str, Any]],
) -> None:
    texts = builds[CHINESE]["texts"]
    # every kind of text is there to check (the demo wrote some of each)
    assert {kind for kind, values in texts.items() if not values} <= {"gate rationales"}
    not_chinese = {
        kind: sorted({t for t in values if not CJK.search(t) or PHRASE.search(t)})[:3]
        for kind, values in texts.items()
    }
    assert {kind: bad for kind, bad in not_chinese.items() if bad} == {}
    assert set(texts["meeting titles"]) == {"集团指导委员会"}
    assert {"年假", "新招聘两名数据工程师"} == set(texts["capacity reasons"])
    assert {"章程批准", "设计评审通过", "上线", "项目关闭"} <= set(texts["task names"])


@pytest.mark.django_db
def test_the_english_demo_keeps_its_english_texts(builds: dict[str, dict[str, Any]]) -> None:
    texts = builds[ENGLISH]["texts"]
    assert set(texts["meeting titles"]) == {"Group steering committee"}
    assert {"Annual leave", "Two data engineers hired"} == set(texts["capacity reasons"])
    assert not any(CJK.search(name) for name in texts["task names"])
    assert texts["change requests"] == [
        "Payment hub: vendor release slips",
        "The vendor moved its release; go-live needs 12 more working days.",
    ]
    # the China region's managers write in Chinese, London's and Singapore's in English
    titles = texts["RAID titles"]
    assert any(CJK.search(t) for t in titles) and any(PHRASE.search(t) for t in titles)


@pytest.mark.django_db
def test_both_languages_give_the_same_portfolio_apart_from_its_texts(
    builds: dict[str, dict[str, Any]],
) -> None:
    english, chinese = builds[ENGLISH], builds[CHINESE]
    assert len(english["facts"]["projects"]) == PROJECTS
    for part, facts in english["facts"].items():
        assert facts, part
        assert chinese["facts"][part] == facts, part
    # as many texts of each kind; bilingual names (projects, milestones) keep both languages
    assert {k: len(v) for k, v in chinese["texts"].items()} == {
        k: len(v) for k, v in english["texts"].items()
    }
    milestones = chinese["facts"]["milestones"]
    assert ("P0001", "Go-live", "上线") in {m[:3] for m in milestones}
    assert all(name and name_zh and not CJK.search(name) for _c, name, name_zh, *_d in milestones)


def test_the_demo_defaults_to_the_site_language(settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    assert default_language() == CHINESE
    settings.LANGUAGE_CODE = "en"
    assert default_language() == ENGLISH


def test_the_command_passes_the_language_on(monkeypatch: Any) -> None:
    calls: list[dict[str, Any]] = []

    def load(**kw: Any) -> _Loaded:
        calls.append(kw)
        return _Loaded()

    monkeypatch.setattr(demo, "call_command", lambda name, **kw: None)
    monkeypatch.setattr(demo, "load_demo", load)
    call_command("demo", "--no-serve", "--language", "zh-hans")
    call_command("demo", "--no-serve")
    assert [c["language"] for c in calls] == [CHINESE, ENGLISH]


class _Loaded:
    created, projects, reports = True, 0, 0


def test_the_command_refuses_an_unknown_language_in_one_line(monkeypatch: Any, capsys: Any) -> None:
    started: list[str] = []
    monkeypatch.setattr(demo, "call_command", lambda name, **kw: started.append(name))
    monkeypatch.setattr(demo, "load_demo", lambda **kw: started.append("load"))
    with pytest.raises(SystemExit) as refused:
        demo.Command().run_from_argv(["pmo", "demo", "--no-serve", "--language", "fr"])
    assert refused.value.code == 1
    assert capsys.readouterr().err == (
        "pmo demo: error: --language 'fr' is not one of en, zh-hans\n"
    )
    assert started == []
