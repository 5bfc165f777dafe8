"""Model lists read off a snapshot's presorted orders come out exactly as a per-request sort would."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from modelatlas.schema import query as schema_query
from tests.conftest import gql

FIELDS = ["SLUG", "NAME", "RELEASE_DATE", "CONTEXT_WINDOW", "BLENDED_PRICE"]
FILTERS = ["", "filter: {openWeights: true}", 'filter: {releasedAfter: "2024-06-01"}', "filter: {minContext: 100000}"]


def listing(client, field: str, direction: str, filter_text: str, tag: str = "") -> list[str]:
    """``tag`` makes the text differ, so the response cache cannot answer the second call from the first."""
    query = (f"query Listing{tag} {{ models({filter_text + ',' if filter_text else ''} orderBy: {{field: {field}, direction: {direction}}},"
             f" first: 100) {{ edges {{ node {{ slug }} }} }} }}")
    body = gql(client, query)
    assert "errors" not in body, body
    return [e["node"]["slug"] for e in body["data"]["models"]["edges"]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FIELDS), st.sampled_from(["ASC", "DESC"]), st.sampled_from(FILTERS))
def test_presorted_orders_equal_a_fresh_sort(client, monkeypatch, field, direction, filter_text):
    sorted_per_request = listing(client, field, direction, filter_text)
    monkeypatch.setattr(schema_query, "PRESORT_FROM", 0)  # every selection through the presorted path
    try:
        assert listing(client, field, direction, filter_text, tag="Presorted") == sorted_per_request
    finally:
        monkeypatch.setattr(schema_query, "PRESORT_FROM", 2048)
