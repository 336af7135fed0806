"""The status center's query string: a bad value must not throw away the good filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pmo.portfolio.models import Program


@pytest.mark.parametrize("bad", ["rag=purple", "pm=abc", "sort=nonsense", "phase=done"])
def test_an_invalid_filter_value_keeps_the_valid_ones(
    bad: str, users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    # given a CORE project and a DIGI project
    make_project()
    make_project(program=Program.objects.get(code="DIGI"))
    client = Client()
    client.force_login(users["member"])

    # when the program filter comes with an invalid value for another field
    html = client.get(f"/?program=CORE&{bad}").content.decode()
    export = client.get(f"/projects/export.csv?program=CORE&{bad}").content.decode()

    # then the program filter still applies, on the page and in the export
    assert html.count("<tr data-code=") == 1
    assert '<tr data-code="T001">' in html
    assert [line.split(",")[0] for line in export.strip().splitlines()[1:]] == ["T001"]
