"""Status reports in the Django admin: a submitted one (every revision) is neither changed
nor deleted there, nor deleted with its project; a draft may be deleted, on record in its
project's history. (A PMO admin's POST to a submitted report's delete page used to remove it
without a trace.)"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client

from pmo.audit.models import AuditEvent
from pmo.portfolio import services
from pmo.portfolio.models import Project, ReportState, StatusReport

DAY = dt.date(2026, 12, 4)
KEPT = "Submitted status reports are kept on record: they are never changed or deleted"


def _report(users: Any, project: Project, green: Any, period: str, submit: bool) -> StatusReport:
    return services.create_status_report(
        actor=users["pm"], project=project, period=period, data=green(), submit=submit, today=DAY
    )


def test_a_submitted_report_is_neither_deleted_nor_changed_in_the_admin(
    admin_client: Client, users: Any, make_project: Any, green: Any
) -> None:
    # given a submitted report and its submitted correction (revision 2)
    project = make_project(code="SUB1")
    first = _report(users, project, green, "2026-W48", submit=True)
    second = _report(users, project, green, "2026-W48", submit=True)
    assert (second.revision, second.supersedes_id) == (2, first.pk)
    events = AuditEvent.objects.count()
    for report in (first, second):
        url = f"/admin/portfolio/statusreport/{report.pk}"
        # when the admin opens or posts its delete page, or posts a change
        opened = admin_client.get(f"{url}/delete/", follow=True)
        posted = admin_client.post(f"{url}/delete/", {"post": "yes"})
        # then it is sent back to its page, told why (not the role's 403 page)
        assert opened.redirect_chain == [(f"{url}/change/", 302)]
        assert KEPT in opened.content.decode()
        assert "not open to your role" not in opened.content.decode()
        assert (posted.status_code, posted["Location"]) == (302, f"{url}/change/")
        change = admin_client.post(f"{url}/change/", {"summary": "rewritten"})
        assert change.status_code == 403
        # then it reads as it was
        page = admin_client.get(f"{url}/change/").content.decode()
        assert "deletelink" not in page and 'name="summary"' not in page
    assert sorted(StatusReport.objects.values_list("pk", "summary", "state")) == [
        (first.pk, first.summary, ReportState.SUBMITTED),
        (second.pk, second.summary, ReportState.SUBMITTED),
    ]
    assert AuditEvent.objects.count() == events


def test_the_delete_action_deletes_nothing_when_a_submitted_report_is_selected(
    admin_client: Client, users: Any, make_project: Any, green: Any
) -> None:
    project = make_project(code="SUB2")
    submitted = _report(users, project, green, "2026-W47", submit=True)
    draft = _report(users, project, green, "2026-W48", submit=False)
    events = AuditEvent.objects.count()
    action = {"action": "delete_selected", "_selected_action": [submitted.pk, draft.pk]}
    # the action goes back to the list saying why, and so does a confirmation sent anyway
    confirm = admin_client.post("/admin/portfolio/statusreport/", action, follow=True)
    assert KEPT in confirm.content.decode()
    assert "permission to delete" not in confirm.content.decode()
    refused = admin_client.post("/admin/portfolio/statusreport/", {**action, "post": "yes"})
    assert refused.status_code == 302
    assert StatusReport.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_a_draft_deleted_in_the_admin_is_in_its_project_history(
    admin_client: Client, users: Any, make_project: Any, green: Any
) -> None:
    # given a submitted report and a draft of the next period
    project = make_project(code="DRF1")
    submitted = _report(users, project, green, "2026-W47", submit=True)
    draft = _report(users, project, green, "2026-W48", submit=False)
    # when the admin deletes the draft
    url = f"/admin/portfolio/statusreport/{draft.pk}/delete/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    # then the draft is gone, on record in the project's history; the submitted report stays
    assert list(StatusReport.objects.values_list("pk", flat=True)) == [submitted.pk]
    deleted = AuditEvent.objects.get(action="delete")
    assert (deleted.actor, deleted.scope) == (users["admin"], f"project:{project.pk}")
    assert (deleted.object_type, deleted.object_id) == ("portfolio.statusreport", str(draft.pk))
    assert deleted.changes["period"] == ["2026-W48", None]
    assert deleted.changes["state"] == [ReportState.DRAFT, None]
    page = admin_client.get(f"/projects/{project.code}/").content.decode()
    history = page.split('id="audit"')[1].split("</section>")[0]
    assert re.search(r"admin</td><td>deleted status report 2026-W48</td>", history), history[:3000]


def test_a_draft_is_deleted_by_the_action_too(
    admin_client: Client, users: Any, make_project: Any, green: Any
) -> None:
    project = make_project(code="DRF2")
    draft = _report(users, project, green, "2026-W48", submit=False)
    response = admin_client.post(
        "/admin/portfolio/statusreport/",
        {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not StatusReport.objects.exists()
    assert AuditEvent.objects.filter(action="delete").count() == 1


def test_a_project_with_a_submitted_report_is_not_deleted_in_the_admin(
    admin_client: Client, users: Any, make_project: Any, green: Any
) -> None:
    # given a project whose report was submitted
    project = make_project(code="KEEP")
    _report(users, project, green, "2026-W48", submit=True)
    events = AuditEvent.objects.count()
    # when the admin deletes the project (its reports would go with it)
    url = f"/admin/portfolio/project/{project.pk}/delete/"
    confirm = admin_client.get(url, follow=True).content.decode()
    refused = admin_client.post(url, {"post": "yes"})
    # then it is refused, saying why and naming the status reports
    assert "Nothing was deleted: it holds records that are kept (status report)" in confirm
    assert "Submitted status reports and decided change requests are never deleted" in confirm
    assert refused.status_code == 302
    assert Project.objects.filter(code="KEEP").exists()
    assert StatusReport.objects.filter(project=project).count() == 1
    assert AuditEvent.objects.count() == events
