"""The bench's representative frontend queries: ``bench/queries/<name>.graphql`` with variables in ``<name>.json``.

>>> queries = load_queries(default_queries_dir())
>>> [q.name for q in queries][:2]
['model_page', 'model_list']
>>> queries[0].operation_name
'ModelPage'
>>> queries[0].apq_path().startswith("/graphql?operationName=ModelPage&variables=")
True
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

__all__ = ["ORDER", "BenchQuery", "default_queries_dir", "load_queries"]

#: Report order of the committed queries (others follow alphabetically).
ORDER = ("model_page", "model_list", "lineage", "migration_path", "alternatives")

_OPERATION = re.compile(r"^\s*query\s+([A-Za-z_]\w*)", re.MULTILINE)


@dataclass(frozen=True)
class BenchQuery:
    """One query as a frontend sends it: ``body`` is the POST JSON (query text, variables, operation name);
    ``apq_path`` is the same operation as an Apollo automatic persisted query over GET."""

    name: str
    document: str
    variables: dict[str, Any] = field(default_factory=dict)

    @property
    def operation_name(self) -> str | None:
        match = _OPERATION.search(self.document)
        return match.group(1) if match else None

    @property
    def body(self) -> bytes:
        payload = {"query": self.document, "variables": self.variables, "operationName": self.operation_name}
        return json.dumps(payload, separators=(",", ":")).encode()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.document.encode("utf-8")).hexdigest()

    def _extensions(self) -> dict[str, Any]:
        return {"persistedQuery": {"version": 1, "sha256Hash": self.sha256}}

    @property
    def apq_register_body(self) -> bytes:
        """The POST an Apollo client sends once to register the query text under its hash."""
        payload = {"query": self.document, "variables": self.variables, "operationName": self.operation_name,
                   "extensions": self._extensions()}
        return json.dumps(payload, separators=(",", ":")).encode()

    def apq_path(self) -> str:
        """The GET of an automatic persisted query: hash, variables and operation name in the URL, no query text."""
        params = {"operationName": self.operation_name or "", "variables": _compact(self.variables),
                  "extensions": _compact(self._extensions())}
        return "/graphql?" + urlencode(params, quote_via=quote)


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def default_queries_dir() -> Path:
    """The committed queries, ``bench/queries`` (shipped as package data)."""
    return Path(__file__).resolve().parent / "queries"


def load_queries(directory: Path, names: list[str] | None = None) -> list[BenchQuery]:
    """The queries under ``directory`` (only ``names`` if given), in report order."""
    found = {}
    for path in sorted(directory.glob("*.graphql")):
        variables_file = path.with_suffix(".json")
        variables = json.loads(variables_file.read_text(encoding="utf-8")) if variables_file.exists() else {}
        found[path.stem] = BenchQuery(path.stem, path.read_text(encoding="utf-8"), variables)
    if names:
        missing = sorted(set(names) - set(found))
        if missing:
            raise ValueError(f"no such bench query: {', '.join(missing)} (have: {', '.join(sorted(found))})")
        found = {n: q for n, q in found.items() if n in names}
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(found.values(), key=lambda q: (rank.get(q.name, len(ORDER)), q.name))
