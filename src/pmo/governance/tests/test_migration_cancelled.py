"""The migration that makes projects stopped by a gate decision "Cancelled" (ADR 0002)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pmo.governance.models import LifecycleState, ProjectLifecycle
from pmo.portfolio.models import Project

BEFORE = [("governance", "0006_agenda_item_ref"), ("portfolio", "0002_report_phase")]
AFTER = [("governance", "0007_cancel_stopped_projects")]


def _migrate(targets=None):
    """Migrate to ``targets`` (default: every app's latest migration)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _states():
    return dict(Project.objects.order_by("code").values_list("code", "state"))


@pytest.mark.django_db(transaction=True)
def test_stopped_projects_become_cancelled_and_back(users, governed, make_project):
    # given: the states as the product wrote them before "Cancelled" existed
    stopped = governed(code="STOP")  # a "stop" decision closed it in its phase
    reopened = governed(code="REOPEN")  # stopped, then set active by hand
    governed(code="RUN")
    make_project(code="HAND")  # closed by hand, no lifecycle: a completion
    ProjectLifecycle.objects.filter(project__in=[stopped, reopened]).update(
        state=LifecycleState.STOPPED
    )
    Project.objects.filter(code__in=["STOP", "HAND"]).update(state="closed")
    versions = dict(Project.objects.values_list("code", "version"))
    _migrate(BEFORE)
    try:
        # when: migrating forward
        _migrate(AFTER)
        # then: only the stopped and closed project is cancelled, and its version moved
        assert _states() == {
            "HAND": "closed",
            "REOPEN": "active",
            "RUN": "active",
            "STOP": "cancelled",
        }
        assert Project.objects.get(code="STOP").version == versions["STOP"] + 1
        assert Project.objects.get(code="RUN").version == versions["RUN"]
        # and backwards: every cancelled project is closed again (the old states' only end)
        Project.objects.filter(code="HAND").update(state="cancelled")
        _migrate(BEFORE)
        assert _states() == {
            "HAND": "closed",
            "REOPEN": "active",
            "RUN": "active",
            "STOP": "closed",
        }
    finally:
        _migrate()
