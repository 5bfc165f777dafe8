"""The explorer, the reference web app, at ``/``: its shell, its hashed assets and its persisted-query manifest.

The app is built from ``web/`` (``npm ci && npm run build``) into ``static/explorer/``, which is committed: the
service never needs node. Every query the app sends is a document of ``manifest.json`` (operation name → sha256
and text); :func:`mount_explorer` checks each against the schema and adds it to the endpoint's trusted
documents (beside the persisted-query store, never evicted), so the app sends hashes alone, as GET (ETag and 304
work, CDNs can cache). With
``MODELATLAS_TRUSTED_DOCUMENTS=true`` these trusted documents are the only ones the service executes.

>>> manifest = load_manifest()
>>> len(manifest["ModelPage"].sha256), manifest["ModelPage"].query.startswith("query ModelPage(")
(64, True)
>>> asset_path("app-ABC123.js") is None, asset_path("../settings.py") is None
(True, True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from modelatlas.api.http.endpoint import GraphQLEndpoint
from modelatlas.api.http.persisted import sha256_hex
from modelatlas.schema.engine import Engine

__all__ = ["EXPLORER_DIR", "Document", "asset_path", "load_manifest", "mount_explorer"]

EXPLORER_DIR = Path(__file__).parent / "static" / "explorer"
MANIFEST = EXPLORER_DIR / "manifest.json"
ASSET_NAME = re.compile(r"^[a-z]+-[A-Z0-9]{8}\.(js|css)$")  # esbuild's [name]-[hash]: never a path
IMMUTABLE = "public, max-age=31536000, immutable"  # the name changes with the content
SHELL_HEADERS = {
    "Cache-Control": "no-cache",  # the shell names the current assets: always revalidated
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@dataclass(frozen=True)
class Document:
    """One operation of the manifest."""

    name: str
    sha256: str
    query: str


def load_manifest(path: Path = MANIFEST) -> dict[str, Document]:
    """The manifest's documents by operation name; a hash that does not match its text is a ValueError."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        operations = raw["operations"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not an explorer manifest ({exc}); rebuild it with 'npm run build' in web/") from None
    documents: dict[str, Document] = {}
    for name, entry in operations.items():
        query, sha = entry.get("query"), entry.get("sha256")
        if not isinstance(query, str) or not isinstance(sha, str) or sha256_hex(query) != sha:
            raise ValueError(f"{path}: operation {name!r}: sha256 does not match its query text")
        documents[name] = Document(name, sha, query)
    return documents


def asset_path(name: str, directory: Path = EXPLORER_DIR / "assets") -> Path | None:
    """The file of a built asset by its hashed name, or None (unknown, or not an asset name at all)."""
    if not ASSET_NAME.match(name):
        return None
    path = directory / name
    return path if path.is_file() else None


def mount_explorer(app: FastAPI, endpoint: GraphQLEndpoint) -> None:
    """Trust the manifest's documents (each must validate against the schema) and serve the app at ``/``."""
    documents = load_manifest()
    settings = endpoint.settings  # checked by an engine of their own, under the same limits: the endpoint's caches
    checker = Engine(production=settings.production, max_depth=settings.max_depth,  # start empty
                     max_aliases=settings.max_aliases, max_tokens=settings.max_tokens)
    for doc in documents.values():
        errors = checker.prepare(doc.query).errors
        if errors:
            raise ValueError(f"{MANIFEST}: operation {doc.name!r} does not validate: {errors[0].message}")
        endpoint.trusted.add(doc.sha256, doc.query)
    shell = (EXPLORER_DIR / "index.html").read_bytes()

    async def index(request: Request) -> Response:
        return Response(shell, media_type="text/html; charset=utf-8", headers=SHELL_HEADERS)

    async def asset(request: Request) -> Response:
        path = asset_path(request.path_params["name"])
        if path is None:
            return Response("Not found.\n", status_code=404, media_type="text/plain")
        headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff"}
        packed = path.with_name(path.name + ".gz")
        if "gzip" in request.headers.get("accept-encoding", "") and packed.is_file():
            headers["Content-Encoding"] = "gzip"
            return FileResponse(packed, media_type=MEDIA_TYPES[path.suffix], headers=headers)
        return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=headers)

    async def manifest(request: Request) -> Response:
        return Response(MANIFEST.read_bytes(), media_type="application/json", headers={"Cache-Control": "no-cache"})

    app.add_route("/", index, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_route("/explorer/assets/{name}", asset, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_route("/explorer/manifest.json", manifest, methods=["GET", "HEAD"], include_in_schema=False)
