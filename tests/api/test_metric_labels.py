"""The operation label of the GraphQL metrics: client-chosen names cannot grow it, nor push real names out."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from modelatlas.api.http import Settings, create_app

SAMPLE = re.compile(r'^modelatlas_graphql_requests_total\{operation="([^"]*)",outcome="[^"]*"\} ([0-9.e+]+)$',
                    re.MULTILINE)


def counts(client: TestClient) -> dict[str, float]:
    """Requests per operation label, from /metrics."""
    totals: dict[str, float] = {}
    for label, value in SAMPLE.findall(client.get("/metrics").text):
        totals[label] = totals.get(label, 0.0) + float(value)
    return totals


def run(client: TestClient, name: str) -> None:
    response = client.post("/graphql", json={"query": f"query {name} {{ dataVersion }}", "operationName": name})
    assert response.status_code == 200, response.text


def test_junk_operation_names_leave_the_labels_bounded(kg):
    app = create_app(Settings(imports=False, cache=False, response_cache=False), kg=kg)
    with TestClient(app) as client:
        run(client, "RealDashboard")
        for i in range(200):
            run(client, f"Junk{i}")
        run(client, "RealDashboard")
        run(client, "NewcomerAfterTheFlood")
        labels = counts(client)
    assert len(labels) == 50 + 1, len(labels)  # the first 50 names seen, plus "other"
    assert labels["RealDashboard"] == 2
    assert labels["other"] == 200 - 49 + 1  # RealDashboard and Junk0..Junk48 took the 50 slots
    assert "NewcomerAfterTheFlood" not in labels
