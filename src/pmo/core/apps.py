from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Abstract bases, errors and helpers shared by every app (no concrete models)."""

    name = "pmo.core"
    label = "core"
