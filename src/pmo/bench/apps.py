from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks of the engines and the web (``pmo bench ...``)."""

    name = "pmo.bench"
    label = "bench"
