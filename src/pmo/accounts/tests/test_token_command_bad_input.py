"""``pmo token create --name`` longer than the column is refused in one line on every database.

SQLite used to store it whole (ignoring the column's length), PostgreSQL to fail with its own
"value too long for type character varying(100)".
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pmo.accounts.models import ApiToken


def test_a_name_longer_than_100_characters_is_refused(users: Any) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("token", "create", "pm", "--name", "n" * 101)
    assert str(refused.value) == "--name: at most 100 characters, got 101; no token was created"
    assert ApiToken.objects.count() == 0


def test_a_name_of_100_characters_is_kept_whole(users: Any, capsys: Any) -> None:
    call_command("token", "create", "pm", "--name", "n" * 100)
    assert capsys.readouterr().out.startswith("pmo_")
    assert ApiToken.objects.get().name == "n" * 100
