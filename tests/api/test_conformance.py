"""The GraphQL-over-HTTP reference audit (``serverAudits`` of the npm package ``graphql-http``) against a real server.

``make test`` installs the package into ``.ci/node`` (git-ignored; see the Makefile's ``node-tools``). Without node
or the package the tests are skipped, except in CI (``CI=true``), where that is a failure.

In ``--dev``: 0 errors and 0 warnings. In production, introspection is off, and only the audits that query
``__type`` fail: ``INTROSPECTION_AUDITS``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import start_server

ROOT = Path(__file__).resolve().parents[2]
PREFIX = ROOT / ".ci" / "node"
AUDIT = Path(__file__).with_name("conformance") / "audit.mjs"
#: the audits whose request is ``query Type($name: String!) { __type(name: $name) { name } }``: refused in production
INTROSPECTION_AUDITS = {
    "28B9": "MUST allow map {variables} parameter when accepting application/json",
    "2EA1": "SHOULD allow map {variables} parameter when accepting application/graphql-response+json",
}


def audit(url: str) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (PREFIX / "node_modules" / "graphql-http").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("node and .ci/node/node_modules/graphql-http are needed in CI (make node-tools)")
        pytest.skip("node or graphql-http missing: make node-tools")
    done = subprocess.run([node, str(AUDIT), url], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "GRAPHQL_HTTP_PREFIX": str(PREFIX)}, check=False)
    assert done.returncode == 0, done.stderr
    summary: dict[str, Any] = json.loads(done.stdout)
    print(f"\n{url}: {summary['ok']} ok, warnings {summary['warn']}, errors {summary['error']}")
    return summary


def test_dev_server_passes_every_audit(tmp_path: Path) -> None:
    with start_server(tmp_path, args=("--dev",)) as server:
        summary = audit(server.graphql_url)
    assert summary["error"] == [] and summary["warn"] == [], summary
    assert summary["ok"] >= 58


def test_production_fails_only_the_introspection_audits(tmp_path: Path) -> None:
    with start_server(tmp_path) as server:
        summary = audit(server.graphql_url)
    failed = {item["id"]: item["name"] for item in summary["error"] + summary["warn"]}
    assert failed == INTROSPECTION_AUDITS, summary
