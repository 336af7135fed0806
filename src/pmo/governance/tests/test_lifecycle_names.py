"""Starting a lifecycle names the template and phase in words: the flash read "The project now
follows business r1." and the history "lifecycle template: business r1", "phase: idea"."""

from django.utils import translation

from pmo.audit.display import shown_events
from pmo.audit.models import AuditEvent
from pmo.governance.models import LifecycleTemplate


def start(client, users, project, template):
    client.force_login(users["admin"])
    return client.post(
        f"/projects/{project.code}/lifecycle/start/", {"template": template.pk}, follow=True
    )


def lifecycle_changes(project):
    events = list(
        AuditEvent.objects.filter(
            object_type="governance.projectlifecycle", object_id=str(project.lifecycle.pk)
        )
    )
    (shown,) = shown_events(events)
    return {change.label: change.after for change in shown.changes}


def test_the_flash_names_the_template_as_the_list_does(client, users, make_project, generic):
    page = start(client, users, make_project(), generic).content.decode()
    assert "The project now follows Generic lifecycle (revision 1)." in page
    assert "generic r1" not in page


def test_the_flash_is_in_chinese_for_a_chinese_reader(client, users, make_project, generic):
    project = make_project()
    client.force_login(users["admin"])
    page = client.post(
        f"/projects/{project.code}/lifecycle/start/",
        {"template": generic.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert "通用生命周期" in page
    assert "generic r1" not in page


def test_the_history_names_the_template_and_the_phase(client, users, make_project, generic):
    project = make_project()
    start(client, users, project, generic)
    project.refresh_from_db()
    assert lifecycle_changes(project) == {
        "lifecycle template": "Generic lifecycle (revision 1)",
        "phase": "Idea",
    }
    with translation.override("zh-hans"):
        template, phase = lifecycle_changes(project).values()
    assert template.startswith("通用生命周期")
    assert phase == "构想"


def test_the_project_page_history_shows_the_names(client, users, make_project, generic):
    project = make_project()
    start(client, users, project, generic)
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert "Generic lifecycle (revision 1)" in page
    assert "generic r1" not in page


def test_a_template_that_is_gone_reads_by_its_code_and_a_phase_by_its_key(db):
    # given a lifecycle's start recorded for a template no longer stored
    recorded = AuditEvent.objects.create(
        action="create",
        object_type="governance.projectlifecycle",
        object_id="999999",
        object_repr="999999 gone r3",
        scope="test",
        changes={"template": [None, "gone r3"], "phase": [None, "idea"]},
    )
    assert not LifecycleTemplate.objects.filter(code="gone").exists()
    (shown,) = shown_events([recorded])
    assert [(c.label, c.after) for c in shown.changes] == [
        ("lifecycle template", "gone (revision 3)"),
        ("phase", "idea"),
    ]


def test_the_names_cost_the_same_queries_for_any_number_of_events(
    db, django_assert_num_queries, users, governed
):
    # given three projects started on the generic template
    for _ in range(3):
        governed()
    events = list(AuditEvent.objects.filter(object_type="governance.projectlifecycle"))
    assert len(events) == 3
    # then the templates and their phases are read once (two queries; the actors and the
    # lifecycles that name the events, one each)
    with django_assert_num_queries(4):
        shown = shown_events(events)
    assert {c.after for s in shown for c in s.changes} == {"Generic lifecycle (revision 1)", "Idea"}
