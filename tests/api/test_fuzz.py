"""Schemathesis fuzzes the exported ``schema.graphql`` against a real production server.

For every root field, schemathesis (hypothesis-graphql underneath) generates queries, valid ones (positive mode)
and invalid ones (negative mode: wrong argument types, missing arguments, bad enum values...). Each answer must be a
JSON object that is not a server error: no 5xx, no ``INTERNAL_SERVER_ERROR``, every GraphQL error with a known
``extensions.code``, never a null in a non-null field; and every successful answer reports ``extensions.cost``.
Generation is derandomized, so a run is reproducible; the number of examples bounds the time (about 20 root fields
x the examples per mode: 30 positive and 15 negative, some 860 requests in about 13 s).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from tests.live_server import KNOWN_CODES, error_codes

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 15}  # per root field


def problem_with(response: requests.Response) -> str | None:
    """Why this answer is a server error (or breaks the error contract); None when it is fine."""
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}, body is not JSON"
    if not isinstance(body, dict) or not ("data" in body or "errors" in body):
        return "body is not a GraphQL response object"
    codes = error_codes(body)
    if "INTERNAL_SERVER_ERROR" in codes:
        return "INTERNAL_SERVER_ERROR"
    if None in codes:
        return "a GraphQL error without extensions.code"
    if not set(codes) <= KNOWN_CODES:
        return f"unknown codes {sorted(set(codes) - KNOWN_CODES)}"
    if any("Cannot return null for non-nullable field" in e.get("message", "") for e in body.get("errors") or []):
        return "null in a non-null field"
    if body.get("data") and not codes:
        cost = (body.get("extensions") or {}).get("cost")
        if not (isinstance(cost, dict) and isinstance(cost.get("estimated"), int) and isinstance(cost.get("limit"), int)):
            return "a successful answer without extensions.cost {estimated, limit}"
    return None


@pytest.mark.timeout(150)
@pytest.mark.parametrize("mode", list(EXAMPLES), ids=lambda m: m.value)
def test_fuzz_schema_against_live_server(live_prod, mode):
    schema = schemathesis.graphql.from_path(ROOT / "schema.graphql")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]
    outcomes: Counter[str] = Counter()
    answered: Counter[str] = Counter()  # cases answered without any error, per operation
    failures: list[str] = []

    with requests.Session() as session:
        def run(operation: Any) -> None:  # one operation's cases (a function, so the closure binds it)
            @settings(max_examples=EXAMPLES[mode], deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(operation.as_strategy(mode))
            def fuzz(case):
                try:
                    response = case.call(base_url=live_prod.graphql_url, session=session, timeout=30)
                except requests.ConnectionError as exc:
                    raise AssertionError(f"{operation.label}: no answer ({exc}); query: {case.body!r}\n"
                                         f"server log:\n{live_prod.log()[-3000:]}") from None
                try:
                    codes = error_codes(response.json())
                except ValueError:
                    codes = []
                label = ",".join(sorted({c or "?" for c in codes})) or "ok"
                outcomes[f"{response.status_code} {label}"] += 1
                if not codes:
                    answered[operation.label] += 1
                problem = problem_with(response)
                if problem:
                    failures.append(f"{operation.label}: {problem}\n  query: {case.body!r}\n  answer: {response.text[:400]}")

            fuzz()

        for operation in operations:
            run(operation)

    total = sum(outcomes.values())
    print(f"\nschemathesis {schemathesis.__version__} {mode.value}: {len(operations)} operations, {total} cases, "
          f"{len(failures)} server errors; outcomes: {dict(outcomes.most_common())}; answered without error: "
          f"{dict(answered)}")
    assert live_prod.healthy()
    assert total >= len(operations) * 5, "too few cases generated to mean anything"
    assert not failures, f"{len(failures)} server errors in {total} cases:\n" + "\n".join(failures[:10])
