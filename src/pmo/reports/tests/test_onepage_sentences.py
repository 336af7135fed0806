"""The one-page report's note on its figures reads in Chinese without a space after a full
stop."""

import re

from pmo.reports.tests.test_onepage import history


def test_web_page_note_in_chinese_has_no_space_after_a_full_stop(client, users, make_project):
    for n in range(3):
        project = make_project(code=f"E{n:02d}", strategic=True, phase="execution")
        history(project, ("2026-W46", 1 + n % 3, "execution"))
    client.force_login(users["exec"])
    client.cookies["pmo_language"] = "zh-hans"
    page = client.get("/reports/onepage/", {"period": "2026-W46"}).content.decode()
    note = re.search(r'data-testid="onepage-counts">(.*?)</p>', page, re.S).group(1)
    assert "最新报告。此处有 0 个项目" in note
    assert not re.search(r"。\s", note)
