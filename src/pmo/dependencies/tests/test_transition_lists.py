"""A change request's refused step names the possible ones (and an unknown action the known
ones) as a list in the reader's language: joined with the catalogue's list separator
("submit，withdraw" in Chinese), not a plain comma."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pmo.core.errors import ConflictError, FieldError
from pmo.dependencies.changes import create_change_request, transition


@pytest.fixture
def draft(users: dict[str, Any], make_project: Any) -> Any:
    project = make_project(code="SEP1")
    return create_change_request(
        actor=users["pm"],
        data={"project": project.code, "type": "cost", "title": "Licences", "cost_impact": 100},
    )


@pytest.mark.parametrize(("language", "separator"), [("en", ", "), ("zh-hans", "，")])
def test_the_possible_steps_are_a_list_in_the_readers_language(
    users: dict[str, Any], draft: Any, language: str, separator: str
) -> None:
    with translation.override(language), pytest.raises(ConflictError) as refused:
        transition(actor=users["pm"], cr=draft, action="apply")
    assert f"submit{separator}withdraw" in refused.value.message
    if separator != ", ":
        assert "submit, withdraw" not in refused.value.message


@pytest.mark.parametrize(("language", "separator"), [("en", ", "), ("zh-hans", "，")])
def test_an_unknown_action_is_told_the_known_ones_as_a_list(
    users: dict[str, Any], draft: Any, language: str, separator: str
) -> None:
    with translation.override(language), pytest.raises(FieldError) as refused:
        transition(actor=users["pm"], cr=draft, action="explode")
    known = separator.join(["submit", "approve", "reject", "withdraw", "apply"])
    assert known in refused.value.errors[0]["message"]
