"""Sign-in throttling (django-axes, ADR 0011): failed sign-ins lock a username at an address."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client

from pmo.accounts import services

LOGIN = "/accounts/login/"
PASSWORD = "pw-12345"  # the root conftest's ``users``
LOCKED_EN = (
    "Too many failed sign-ins for pm: wait 15 minutes and try again, "
    "or ask a PMO administrator to unlock the account."
)
LOCKED_ZH = "账户 pm 登录失败次数过多：请等待 15 分钟后再试，或请 PMO 管理员解除锁定。"


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> Any:
    response = None
    for _ in range(times):
        response = _sign_in(client, username, "wrong-password", address)
    return response


def test_four_failures_still_show_the_form_with_the_usual_error(users: Any) -> None:
    # given four wrong passwords for pm
    response = _fail(Client(), "pm", 4)

    # then the fourth is the ordinary sign-in error, not a lockout
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "Too many failed sign-ins" not in response.content.decode()


def test_the_fifth_failure_locks_and_shows_the_message_on_the_sign_in_page(users: Any) -> None:
    # when pm's password is wrong five times from one address
    response = _fail(Client(), "pm", 5)

    # then the answer is the sign-in page (form included) with the lockout message, as a 429
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_EN in page
    assert 'data-testid="locked-out"' in page
    assert 'name="password"' in page
    assert 'value="pm"' in page


def test_the_right_password_is_refused_while_locked(users: Any) -> None:
    # given pm locked out at 10.0.0.1
    client = Client()
    _fail(client, "pm", 5)

    # when the right password follows
    response = _sign_in(client, "pm", PASSWORD)

    # then it is refused with the same message and no session is opened
    assert response.status_code == 429
    assert LOCKED_EN in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still sent to the sign-in page


def test_the_message_is_chinese_for_a_chinese_browser(users: Any) -> None:
    # given a browser whose language is Chinese
    client = Client()
    client.cookies["pmo_language"] = "zh-hans"

    # when pm fails five times
    response = _fail(client, "pm", 5)

    # then the lockout message is Chinese
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_ZH in page
    assert "Too many failed sign-ins" not in page


def test_the_lock_expires_after_the_cool_off(users: Any) -> None:
    # given pm locked out, the last failure sixteen minutes ago
    client = Client()
    _fail(client, "pm", 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - dt.timedelta(minutes=16)
    )

    # when pm signs in with the right password
    response = _sign_in(client, "pm", PASSWORD)

    # then the sign-in succeeds
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(users["pm"].pk)


def test_a_successful_sign_in_resets_the_count(users: Any) -> None:
    # given four failures and then a successful sign-in
    client = Client()
    _fail(client, "pm", 4)
    assert _sign_in(client, "pm", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()

    # when four more failures follow
    response = _fail(client, "pm", 4)

    # then pm is not locked out (the count started again)
    assert response.status_code == 200
    assert "Too many failed sign-ins" not in response.content.decode()


def test_other_users_and_other_addresses_are_not_locked(users: Any) -> None:
    # given pm locked out at 10.0.0.1
    _fail(Client(), "pm", 5)

    # then another user signs in from the same address
    member = Client()
    assert _sign_in(member, "member", PASSWORD).status_code == 302
    # and pm from another address
    elsewhere = Client()
    assert _sign_in(elsewhere, "pm", PASSWORD, address="10.0.0.2").status_code == 302


def test_an_api_token_keeps_working_for_a_locked_out_user(users: Any) -> None:
    # given pm locked out of the sign-in page, with an API token
    token = services.create_token(username="pm")
    _fail(Client(), "pm", 5)

    # when the API is called with the token from the same address
    response = Client().get(
        "/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="10.0.0.1"
    )

    # then it answers as usual
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_the_admin_sign_in_is_throttled_too(users: Any) -> None:
    # given five wrong passwords on the admin's own sign-in form
    client = Client()
    for _ in range(5):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "admin", "password": "wrong", "next": "/admin/"},
            REMOTE_ADDR="10.0.0.1",
        )

    # then the lockout page answers, keeping where to go next
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins for admin" in page
    assert 'name="next" value="/admin/"' in page


@pytest.mark.parametrize("limit", [2, 3])
def test_the_failure_limit_is_a_setting(users: Any, settings: Any, limit: int) -> None:
    # given PMO_LOGIN_FAILURE_LIMIT's setting lowered
    settings.AXES_FAILURE_LIMIT = limit

    # then the limit-th failure locks, not the one before
    client = Client()
    assert _fail(client, "pm", limit - 1).status_code == 200
    assert _fail(client, "pm", 1).status_code == 429
