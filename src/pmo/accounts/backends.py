"""Signing in with a username and password, the signed-in user read with their person."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends

from pmo.accounts.models import User

__all__ = ["ModelBackend"]


class ModelBackend(backends.ModelBackend):
    """Django's backend, except that the user of each request comes with their person
    (one join): every page names the signed-in user by their person's name in the top bar,
    and that costs no query of its own."""

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        try:
            user = User._default_manager.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
