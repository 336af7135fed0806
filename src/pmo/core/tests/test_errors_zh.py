"""Errors read in the reader's language, the API's included."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.test import RequestFactory

from pmo.core.middleware import RejectNulMiddleware


def test_an_api_client_asking_for_chinese_is_refused_in_chinese() -> None:
    refuse = RejectNulMiddleware(lambda request: HttpResponse("not reached"))
    request = RequestFactory().get(
        "/api/v1/resources", {"q": "a\x00b"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    response = refuse(request)
    assert response.status_code == 422
    assert json.loads(response.content) == {
        "detail": "q: 文本不能包含 NUL (0x00) 字符",
        "errors": [{"field": "q", "message": "文本不能包含 NUL (0x00) 字符"}],
    }
