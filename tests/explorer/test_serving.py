"""How the service serves the explorer (in process, no browser): the shell, hashed immutable assets, the manifest
pinned at startup and sent as GET with ETag / 304, and trusted-documents mode, where nothing else runs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings, strategies as st

from modelatlas.api.http import Settings, create_app
from modelatlas.api.http.explorer import EXPLORER_DIR, load_manifest
from modelatlas.api.http.persisted import TrustedDocuments, sha256_hex

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = load_manifest()
HEADERS = {"apollo-require-preflight": "1"}
TODAY = "2026-11-25"


def persisted_get(client: TestClient, name: str, variables: dict[str, object] | None = None,
                  headers: dict[str, str] | None = None) -> object:
    params = {"operationName": name, "extensions": json.dumps({"persistedQuery": {"version": 1,
                                                                                   "sha256Hash": MANIFEST[name].sha256}})}
    if variables:
        params["variables"] = json.dumps(variables)
    return client.get("/graphql", params=params, headers={**HEADERS, **(headers or {})})


@pytest.fixture(scope="module")
def production(kg) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(Settings(today=TODAY, imports=False), kg=kg)) as c:
        yield c


@pytest.fixture(scope="module")
def trusted(kg) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(Settings(today=TODAY, imports=False, trusted_documents=True), kg=kg)) as c:
        yield c


def test_the_shell_is_served_at_root_short_lived_with_hashed_assets(production: TestClient) -> None:
    r = production.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assets = re.findall(r'/explorer/assets/([a-z]+-[A-Z0-9]{8}\.(?:js|css))', r.text)
    assert sorted(a.split("-")[0] for a in assets) == ["app", "style"]
    for name in assets:
        a = production.get(f"/explorer/assets/{name}", headers={"accept-encoding": "gzip"})
        assert a.status_code == 200
        assert a.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert a.headers["content-encoding"] == "gzip"
        plain = production.get(f"/explorer/assets/{name}", headers={"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert a.content == plain.content  # the client decompressed it: the same file
        assert plain.headers["content-type"].startswith("text/javascript" if name.endswith(".js") else "text/css")


@pytest.mark.parametrize("name", ["app-00000000.js", "..%2Fmanifest.json", "index.html", "app-ABC.js.gz"])
def test_unknown_assets_are_404(production: TestClient, name: str) -> None:
    assert production.get(f"/explorer/assets/{name}").status_code == 404


def test_the_compressed_budget() -> None:
    total = sum(p.stat().st_size for p in (EXPLORER_DIR / "assets").glob("*.gz"))
    assert 0 < total <= 300 * 1024


def test_manifest_documents_run_by_hash_as_get_with_etag_and_304(production: TestClient) -> None:
    r = persisted_get(production, "ModelPage", {"id": "mistral-small-2402"})
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    assert r.json()["data"]["model"]["slug"] == "mistral-small-2402"  # type: ignore[attr-defined]
    etag = r.headers["etag"]  # type: ignore[attr-defined]
    again = persisted_get(production, "ModelPage", {"id": "mistral-small-2402"}, {"if-none-match": etag})
    assert again.status_code == 304  # type: ignore[attr-defined]


def test_every_manifest_document_validates_and_is_pinned(production: TestClient) -> None:
    assert production.get("/explorer/manifest.json").json()["operations"]["Search"]["sha256"] == MANIFEST["Search"].sha256
    for name in MANIFEST:
        r = persisted_get(production, name, {"id": "x", "slug": "x", "text": "x", "name": "x", "from": "x", "ids": ["x"]})
        codes = {e.get("extensions", {}).get("code") for e in r.json().get("errors", [])}  # type: ignore[attr-defined]
        assert not codes & {"PERSISTED_QUERY_NOT_FOUND", "GRAPHQL_VALIDATION_FAILED"}, (name, r.text)  # type: ignore[attr-defined]


def test_trusted_mode_runs_only_the_manifest(trusted: TestClient) -> None:
    ok = persisted_get(trusted, "Family", {"id": "mistral-small"})
    assert ok.json()["data"]["family"]["slug"] == "mistral-small"  # type: ignore[attr-defined]
    text = "{ dataVersion }"
    refused = [
        trusted.post("/graphql", json={"query": text}),
        trusted.post("/graphql", json={"query": text, "extensions": {"persistedQuery": {"version": 1,
                                                                                          "sha256Hash": sha256_hex(text)}}}),
        trusted.get("/graphql", params={"extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}})},
                    headers=HEADERS),
        # a manifest hash with some other text is not that document
        trusted.post("/graphql", json={"query": text, "extensions": {"persistedQuery": {
            "version": 1, "sha256Hash": MANIFEST["Family"].sha256}}}),
    ]
    for r in refused:
        assert r.status_code == 400
        assert r.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        assert "data" not in r.json()
    # the full text of a trusted document is the document: accepted
    full = trusted.post("/graphql", json={"query": MANIFEST["Family"].query, "variables": {"id": "mistral-small"}})
    assert full.json()["data"]["family"]["slug"] == "mistral-small"
    # and nothing sent as text got registered on the way
    again = trusted.get("/graphql", params={"extensions": json.dumps({"persistedQuery": {
        "version": 1, "sha256Hash": sha256_hex(text)}})}, headers=HEADERS)
    assert again.status_code == 400


def test_the_built_app_is_current_with_its_documents() -> None:
    """Cheap check that `npm run build` ran after the last change of a query: the hashes the bundle sends are the
    manifest's, and the manifest's texts are the files in web/src/queries."""
    queries = ROOT / "web" / "src" / "queries"
    files = {p.stem: p.read_text(encoding="utf-8").strip() for p in queries.glob("*.graphql")}
    assert {n: d.query for n, d in MANIFEST.items()} == files
    bundle = next((EXPLORER_DIR / "assets").glob("app-*.js")).read_text(encoding="utf-8")
    for doc in MANIFEST.values():
        assert doc.sha256 in bundle, f"{doc.name}: the committed bundle is stale; run 'npm run build' in web/"
    generated = (ROOT / "web" / "src" / "generated" / "documents.js").read_text(encoding="utf-8")
    assert all(doc.sha256 in generated for doc in MANIFEST.values())
    assert len(list((EXPLORER_DIR / "assets").glob("app-*.js"))) == 1  # no stale bundle left beside it


@settings(max_examples=20, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=60))
def test_trusted_documents_hold_exactly_what_was_added(texts: list[str]) -> None:
    trusted = TrustedDocuments()
    for t in texts[::2]:
        trusted.add(sha256_hex(t), t)
    for t in texts:
        assert trusted.get(sha256_hex(t)) == (t if t in texts[::2] else None)
    with pytest.raises(ValueError):
        trusted.add("0" * 64, texts[0])


def test_the_manifest_outlives_a_flood_of_registrations(kg) -> None:  # type: ignore[no-untyped-def]
    """The query store is an LRU (in process, or Redis): the manifest does not live in it, so no flood evicts it."""
    with TestClient(create_app(Settings(today=TODAY, imports=False), kg=kg)) as client:
        store = client.app.state.graphql.persisted  # type: ignore[attr-defined]
        for i in range(12_000):  # past the in-process store's 10,000 entries
            text = f"{{ dataVersion }} # {i}"
            store.register(sha256_hex(text), text)
        r = persisted_get(client, "Family", {"id": "mistral-small"})
        assert r.json()["data"]["family"]["slug"] == "mistral-small"  # type: ignore[attr-defined]


def test_dev_mode_serves_the_explorer_beside_graphiql(kg) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(Settings(today=TODAY, imports=False, production=False), kg=kg)) as dev:
        shell = dev.get("/")
        assert shell.status_code == 200 and "/explorer/assets/app-" in shell.text
        assert "graphiql" in dev.get("/graphql", headers={"accept": "text/html"}).text.lower()
        r = persisted_get(dev, "Search", {"text": "mistral small"})
        assert any(h["slug"] == "mistral-small-2402" for h in r.json()["data"]["search"])  # type: ignore[attr-defined]
