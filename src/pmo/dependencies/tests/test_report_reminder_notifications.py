"""A reminder to report (sent by the portfolio's ``reports_reminded``) reaches each reminded
project manager as an in-app notification that reads in the reader's language."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import translation

from pmo.accounts.models import Person
from pmo.dependencies.models import Notification
from pmo.portfolio.services.reminders import remind_reports


def test_each_reminded_manager_is_notified_with_a_link_to_the_report(
    users: dict[str, Any], org: dict[str, Any], make_project: Any
) -> None:
    # given two projects of ``pm`` and one of ``other_pm`` owing this period's report
    mine = [make_project(), make_project()]
    theirs = make_project(manager=users["other_pm"].person)
    Person.objects.create(name="Li Na", name_zh="李娜", org_unit=org["sh"], user=users["member"])

    # when the PMO reminds them
    sent = remind_reports(actor=users["member"]).sent

    # then each manager has one notification per project, naming who asked and the period
    period = sent[0].period
    notices = Notification.objects.filter(user=users["pm"]).order_by("url")
    assert [n.url for n in notices] == [f"/projects/{p.code}/reports/new/" for p in mine]
    assert notices[0].text == (
        f"Li Na reminds you that the {period} status report of T001 is missing: please write "
        "and submit it"
    )
    assert notices[0].params == {
        "project": "T001",
        "period": period,
        "who": {"name": "Li Na", "name_zh": "李娜"},
    }
    assert notices[0].message_id.startswith("%(who)s reminds you that the %(period)s")
    other = Notification.objects.get(user=users["other_pm"])
    assert other.url == f"/projects/{theirs.code}/reports/new/"
    # and the PMO member who sent them is told nothing
    assert not Notification.objects.filter(user=users["member"]).exists()

    # a second reminder the same day notifies no one again
    remind_reports(actor=users["admin"])
    assert Notification.objects.count() == 3


def test_a_scheduled_reminder_names_no_sender_and_reads_in_chinese(
    users: dict[str, Any], make_project: Any
) -> None:
    make_project()
    users["pm"].language = "zh-hans"
    users["pm"].save()
    remind_reports(actor=None)  # ``pmo remind-reports`` from cron
    notice = Notification.objects.get(user=users["pm"])
    assert notice.message_id.startswith("Reminder: the %(period)s status report of %(project)s")
    assert "who" not in notice.params
    # the key is kept, so the list reads in whatever language its reader uses now
    with translation.override("en"):
        assert notice.text.startswith("Reminder: the ")
        assert "T001" in notice.text
    client = Client()
    client.force_login(users["pm"])
    page = client.get("/notifications/").content.decode()
    assert "T001" in page and "/projects/T001/reports/new/" in page
