"""Every operation of the API refuses a query parameter it does not read (ADR 0013), writes
included: a misspelt option must not be ignored while the request does the real thing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from pmo.accounts.services import create_token
from pmo.portfolio.models import Project
from pmo.portfolio.rates import ExchangeRate


@pytest.fixture
def headers(users: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username='member')}"}


@pytest.mark.django_db
def test_a_misspelt_filter_of_a_list_is_refused_naming_it(
    client: Client, headers: dict[str, str], make_project: Any
) -> None:
    make_project()

    listed = client.get("/api/v1/projects?state=active&page_size=5", headers=headers)
    refused = client.get("/api/v1/projects?stat=active&colour=red", headers=headers)

    assert listed.status_code == 200
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["colour", "stat"]
    assert "this operation takes" in refused.json()["errors"][0]["message"]
    assert "state" in refused.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_a_write_with_an_unknown_query_parameter_writes_nothing(
    client: Client, headers: dict[str, str], make_project: Any
) -> None:
    project = make_project()
    body = json.dumps({"version": project.version, "name": "Renamed"})

    refused = client.patch(
        f"/api/v1/projects/{project.code}?dry_run=true",
        body,
        content_type="application/json",
        headers=headers,
    )

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "dry_run"
    assert "takes none" in refused.json()["errors"][0]["message"]
    assert Project.objects.get(pk=project.pk).name == project.name


@pytest.mark.django_db
def test_a_delete_reads_its_version_and_nothing_else(
    client: Client, headers: dict[str, str]
) -> None:
    rate = ExchangeRate.objects.create(currency="USD", rate="7.1", valid_from=dt.date(2026, 1, 1))
    url = "/api/v1/exchange-rates/USD/2026-01-01"

    misspelt = client.delete(f"{url}?versoin={rate.version}", headers=headers)
    deleted = client.delete(f"{url}?version={rate.version}", headers=headers)

    assert misspelt.status_code == 422
    assert misspelt.json()["errors"][0]["field"] == "versoin"
    assert "version" in misspelt.json()["errors"][0]["message"]
    assert deleted.status_code == 204
    assert not ExchangeRate.objects.exists()
