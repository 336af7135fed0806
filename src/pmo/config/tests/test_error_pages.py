"""The 400, 403, 404 and 500 pages: the site's layout in the user's language, JSON for the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path
from django.utils import translation

from pmo.config.urls import urlpatterns as site_urls


def _fail(request: Any) -> Any:
    raise RuntimeError("boom")


def _closed(request: Any) -> Any:
    raise PermissionDenied  # no reason given


# The site's URLs plus two that fail, for the 500 handler, and one closed without a reason
# (``ROOT_URLCONF`` points here).
urlpatterns = [
    path("fail/", _fail),
    path("api/v1/fail/", _fail),
    path("closed/", _closed),
    *site_urls,
]
handler400 = "pmo.core.views.bad_request"
handler403 = "pmo.core.views.permission_denied"
handler404 = "pmo.core.views.page_not_found"
handler500 = "pmo.core.views.server_error"


def _text(response: Any) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_a_missing_page_keeps_the_top_bar_and_names_the_path(client: Client, users: Any) -> None:
    client.force_login(users["pm"])
    page = client.get("/projects/NO-SUCH-PROJECT/")
    assert page.status_code == 404
    assert page.templates[0].name == "404.html"
    text = _text(page)
    assert "Page not found" in text and "/projects/NO-SUCH-PROJECT/" in text
    assert 'href="/"' in text and "Status center" in text  # the navigation is still there
    assert "No Project matches" not in text  # Django's internal message is not for users


@pytest.mark.django_db
def test_a_page_for_another_role_says_so_in_chinese(client: Client, users: Any) -> None:
    client.force_login(users["viewer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get("/resources/new/")
    assert page.status_code == 403
    text = _text(page)
    assert "无权访问" in text and "查看者" in text  # "not allowed", the viewer's role
    assert "只有 PMO 和资源经理可以修改资源" in text  # the view's reason, translated
    assert 'lang="zh-Hans"' in text


@pytest.mark.django_db
def test_a_refusal_with_a_reason_leads_with_it_and_does_not_blame_the_role(
    client: Client, users: Any
) -> None:
    """A project manager may send no report reminders: the page says so first, then their
    role and whom to ask, not "change your role" (the right may not be a role's at all)."""
    client.force_login(users["pm"])
    page = client.post("/reminders/", {"project": "X"})
    assert page.status_code == 403
    text = _text(page)
    assert '<p data-testid="reason">Reason: only the PMO sends report reminders</p>' in text
    assert "Your role is Project manager. If you need this for your work, ask the PMO." in text
    assert "change your role" not in text and "not open to your role" not in text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_refusal_without_a_reason_names_the_role(client: Client, users: Any) -> None:
    client.force_login(users["viewer"])
    page = client.get("/closed/")
    assert page.status_code == 403
    text = _text(page)
    assert "This page is not open to your role (Viewer)." in text
    assert "ask the PMO to change your role" in text and 'data-testid="reason"' not in text


@pytest.mark.django_db
def test_the_api_answers_errors_in_json_not_html(client: Client, users: Any) -> None:
    client.force_login(users["pm"])
    missing = client.get("/api/v1/no-such-endpoint")
    assert (missing.status_code, missing.json()) == (404, {"detail": "not found", "errors": []})


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_is_a_page_without_the_failing_context(users: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(users["pm"])
    page = client.get("/fail/")
    assert page.status_code == 500
    text = _text(page)
    assert "Something went wrong on our side" in text and "Status center" in text
    assert "boom" not in text  # no internals
    api = client.get("/api/v1/fail/")
    assert api.status_code == 500 and api.json()["detail"].startswith("internal server error")


@pytest.mark.django_db
def test_a_bad_download_request_is_a_400_page_naming_the_field(client: Client, users: Any) -> None:
    client.force_login(users["pm"])
    page = client.get("/reports/onepage.pdf", {"period": "2026-Q9"})
    assert page.status_code == 400
    assert page.templates[0].name == "400.html"
    reason = _text(page).split('data-testid="reason">')[1].split("</p>")[0]
    assert reason.startswith("period: ")


@pytest.mark.django_db
def test_an_unknown_language_is_a_400_page(client: Client) -> None:
    page = client.post("/accounts/language/", {"language": "xx", "next": "/"})
    assert page.status_code == 400
    assert "unknown language “xx”" in _text(page)


@pytest.mark.django_db
def test_a_nul_character_in_a_query_is_refused_in_the_users_language(
    client: Client, users: Any
) -> None:
    client.force_login(users["pm"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get("/resources/", {"q": "a\x00b"})
    assert page.status_code == 400
    assert "q: 文本不能包含 NUL (0x00) 字符" in _text(page)
    assert translation.get_language() == "en"  # the override did not leak


@pytest.mark.django_db
def test_opening_a_button_only_address_explains_in_the_users_language(
    client: Client, users: Any
) -> None:
    client.force_login(users["member"])
    page = client.get("/accounts/logout/")
    assert page.status_code == 405 and page["Allow"] == "POST, OPTIONS"
    assert page.templates[0].name == "405.html"
    assert "cannot be opened as a page: nothing was changed" in _text(page)
    assert 'href="/"' in _text(page)  # the top bar is there
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "无法作为页面打开" in _text(client.get("/accounts/logout/"))
    # the API answers in its own error format
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    api = client.put("/api/v1/projects")
    assert api.status_code == 405 and "405.html" not in [t.name for t in api.templates]
    assert api.json() == {"detail": "method PUT not allowed", "errors": []}
    assert "GET" in api["Allow"]
