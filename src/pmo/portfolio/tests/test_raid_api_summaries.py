"""The RAID endpoints' OpenAPI summaries take the article their kind needs."""

import pytest


@pytest.mark.django_db
def test_raid_summaries_say_an_action_and_an_issue(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    summaries = {
        operation["summary"]
        for path, item in paths.items()
        if path.startswith("/api/v1/projects/{code}/")
        for operation in item.values()
        if "RAID" in operation.get("tags", [])
    }
    for kind, article in [
        ("action", "an"),
        ("issue", "an"),
        ("assumption", "an"),
        ("risk", "a"),
        ("decision", "a"),
    ]:
        assert f"Add {article} {kind}" in summaries
        assert f"Change {article} {kind}" in summaries
    assert not [
        s for s in summaries if s.startswith(("Add a a", "Add a i", "Change a a", "Change a i"))
    ]
