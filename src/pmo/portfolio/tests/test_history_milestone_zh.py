"""The project's change log names a milestone in the reader's language (it said
"创建 Pilot launch" although 试点上线 was entered as its Chinese name)."""

import datetime as dt

from django.utils import translation

from pmo.audit.display import shown_events
from pmo.audit.models import AuditEvent
from pmo.portfolio.services.milestones import create_milestone


def test_the_change_log_names_a_milestone_by_its_chinese_name(client, users, make_project):
    # given a milestone entered with a Chinese name
    project = make_project()
    milestone = create_milestone(
        actor=users["pm"],
        project=project,
        data={"name": "Pilot launch", "name_zh": "试点上线", "baseline_date": dt.date(2027, 3, 1)},
    )
    events = list(
        AuditEvent.objects.filter(object_type="portfolio.milestone", object_id=str(milestone.pk))
    )
    # then the change log names it in the reader's language
    with translation.override("zh-hans"):
        assert [e.label for e in shown_events(events)] == ["试点上线"]
    with translation.override("en"):
        assert [e.label for e in shown_events(events)] == ["Pilot launch"]
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "<td>创建 试点上线</td>" in text and "创建 Pilot launch" not in text
