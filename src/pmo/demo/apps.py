from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo portfolio loader (``pmo demo``) and ``pmo serve``."""

    name = "pmo.demo"
    label = "demo"
