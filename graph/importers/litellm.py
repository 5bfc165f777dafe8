"""Read LiteLLM's model map (``model_prices_and_context_window``) from the copy shipped in ``data/catalogs/``.

We never install or run the ``litellm`` package: its map is one JSON file, committed here gzipped
(``data/catalogs/README.md`` says where it came from and how to refresh it). One row per chat, completion or responses
entry (embedding, image, audio, rerank ... entries are not routes to a language model): prices (USD per token in the
file, per 1M tokens here), cache read / write prices, batch / priority / flex and context tiers, context and output
limits, modalities, capability flags, and the route's lifecycle: shutdown date ("deprecation_date": when the route stops serving) and its source, successor, alias.

A key is ``<provider>/<route>`` or a bare route; the route id drops the prefix only when it is the entry's
``litellm_provider`` (``mistral/mistral-small-latest`` -> ``mistral-small-latest``; ``vertex_ai/claude-3-5-haiku``
of ``vertex_ai-anthropic_models`` stays as it is). An alias entry (``{"alias_of": key}``) is its target's entry under
its own key. Successor and alias targets are given as route ids when they are keys of the map.

>>> snap = read_litellm()
>>> snap.source, snap.version, snap.as_of.isoformat(), len(snap.rows) > 3000
('litellm', '1.110.2', '2026-11-20', True)
>>> row = next(r for r in snap.rows if r.provider_id == "mistral" and r.route_id == "mistral-small-latest")
>>> row.input_price, row.context_window, row.capabilities
(Decimal('0.15'), 262144, ('function-calling', 'structured-outputs', 'reasoning'))
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from modelatlas.graph.errors import DataError
from modelatlas.graph.importers.rows import (
    CatalogRow,
    CatalogSnapshot,
    Rejection,
    decimal_or_none,
    read_json_file,
)
from modelatlas.graph.kinds import TierKind
from modelatlas.graph.records import PriceTier

__all__ = ["PACKAGE_VERSION", "RELEASE_DATES", "SOURCE", "data_path", "package_version", "read_litellm"]

SOURCE = "litellm"
PACKAGE = "litellm"
#: The litellm release whose map ships in ``data/catalogs/`` (part of the compiled-cache key).
PACKAGE_VERSION = "1.110.2"
#: Build date of each release's wheel (its CycloneDX SBOM ``metadata.timestamp``): the as-of date of its map.
RELEASE_DATES = {"1.110.2": date(2026, 11, 20)}

MODES = frozenset({"chat", "completion", "responses"})
_FLAGS = {"supports_function_calling": "function-calling", "supports_response_schema": "structured-outputs",
          "supports_reasoning": "reasoning", "supports_pdf_input": "attachments"}
_INPUTS = {"supports_vision": "image", "supports_audio_input": "audio", "supports_video_input": "video",
           "supports_pdf_input": "pdf"}
_MODALITIES = ("text", "image", "audio", "video", "pdf")
_TIERS = {TierKind.BATCH: "batches", TierKind.PRIORITY: "priority", TierKind.FLEX: "flex"}  # field name suffixes
_CONTEXT_TIER = re.compile(r"input_cost_per_token_above_(\d+)k_tokens")
_FILE_VERSION = re.compile(r"litellm-(\d+(?:\.\d+)+)\.json(?:\.gz)?")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def package_version() -> str:
    return PACKAGE_VERSION


def data_path() -> Path:
    """The shipped map, ``data/catalogs/litellm-<PACKAGE_VERSION>.json.gz``."""
    return Path(str(resources.files("modelatlas.data") / "catalogs" / f"litellm-{PACKAGE_VERSION}.json.gz"))


def read_litellm(path: Path | None = None, *, version: str | None = None, as_of: date | None = None) -> CatalogSnapshot:
    """The rows of the shipped map, or of ``path`` (a newer map, ``.json`` or ``.json.gz``).

    ``version`` defaults to the one in a ``litellm-<version>.json[.gz]`` file name, else ``file <name>``; ``as_of``
    to that release's date in :data:`RELEASE_DATES`, else the file's modification date. Raises DataError naming the
    file (and the key) when the file is not a map of entries; a bad value is a Rejection, its row kept without it.
    """
    path = path or data_path()
    doc = read_json_file(path, "the LiteLLM model map", "model entries")
    for key, entry in doc.items():
        if not isinstance(entry, dict):
            raise DataError(f"{path}: entry {key!r} is not an object")
    match = _FILE_VERSION.fullmatch(path.name)
    version = version or (match.group(1) if match else f"file {path.name}")
    as_of = as_of or RELEASE_DATES.get(version) or date.fromtimestamp(path.stat().st_mtime)
    return _snapshot(doc, version, as_of)


def _snapshot(doc: dict[str, dict[str, Any]], version: str, as_of: date) -> CatalogSnapshot:
    rejected: list[Rejection] = []
    read: list[tuple[str, CatalogRow]] = []
    for key in sorted(doc):
        entry = _resolved(doc, key, rejected)
        if entry is not None and entry.get("mode") in MODES and isinstance(entry.get("litellm_provider"), str):
            read.append((key, _Entry(doc, key, entry, rejected).row()))
    read.sort(key=lambda kr: kr[0] == kr[1].route_id)  # stable: ``deepseek/deepseek-chat`` before ``deepseek-chat``
    rows: list[CatalogRow] = []
    kept: dict[tuple[str, str], str] = {}
    for key, row in read:
        place = (row.provider_id, row.route_id)
        if place in kept:
            rejected.append(Rejection(SOURCE, key, "row", None, f"the same route as {kept[place]!r}, read from there",
                                      benign=True))
            continue
        kept[place] = key
        rows.append(row)
    providers = {r.provider_id: r.provider_name for r in rows}
    return CatalogSnapshot(SOURCE, PACKAGE, version, as_of, tuple(rows), providers, {}, tuple(rejected))


def _resolved(doc: dict[str, dict[str, Any]], key: str, rejected: list[Rejection]) -> dict[str, Any] | None:
    """The entry of ``key``; an alias entry is its target's entry under its own fields."""
    entry = doc[key]
    target = entry.get("alias_of")
    if target is None:
        return entry
    if not isinstance(target, str) or target not in doc or "alias_of" in doc[target]:
        rejected.append(Rejection(SOURCE, key, "alias_of", target, "not the key of a model entry"))
        return None
    return {**doc[target], **entry}


def _route_id(key: str, provider_id: str) -> str:
    """``mistral/mistral-small-latest`` of ``mistral`` -> ``mistral-small-latest``; any other key as it is."""
    prefix = f"{provider_id}/"
    return key.removeprefix(prefix) if len(key) > len(prefix) else key


class _Entry:
    """One entry read into a row; each unreadable value becomes a Rejection naming the key and the field."""

    def __init__(self, doc: dict[str, dict[str, Any]], key: str, entry: dict[str, Any], rejected: list[Rejection]):
        self.doc, self.key, self.entry, self.rejected = doc, key, entry, rejected

    def _reject(self, field: str, reason: str) -> None:
        self.rejected.append(Rejection(SOURCE, self.key, field, self.entry[field], reason))

    def price(self, field: str) -> Decimal | None:
        """USD per token in the file; USD per 1M tokens in the row."""
        value = self.entry.get(field)
        if value is None:
            return None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            self._reject(field, "not a number")
            return None
        scaled = round(float(value) * 1_000_000, 12)
        return decimal_or_none(int(scaled) if scaled.is_integer() else scaled)

    def tokens(self, field: str) -> int | None:
        """A token limit; 0 means "not known"."""
        value = self.entry.get(field)
        if value is None or value == 0:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self._reject(field, "not a positive whole number")
            return None
        return value

    def day(self, field: str) -> date | None:
        value = self.entry.get(field)
        if value is None:
            return None
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self._reject(field, "not a YYYY-MM-DD date")
        return None

    def text(self, field: str) -> str | None:
        value = self.entry.get(field)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self._reject(field, "not a text")
            return None
        return value.strip()

    def target(self, field: str) -> str | None:
        """A successor or alias key, as a route id when the map has it."""
        key = self.text(field)
        provider_id = self.doc.get(key, {}).get("litellm_provider") if key else None
        return _route_id(key, provider_id) if key and isinstance(provider_id, str) else key

    def tiers(self) -> tuple[PriceTier, ...]:
        """Batch, priority and flex prices, then context tiers (``input_cost_per_token_above_200k_tokens``)."""
        tiers = [PriceTier(kind, None, self.price(f"input_cost_per_token_{suffix}"),
                           self.price(f"output_cost_per_token_{suffix}"), self.price(f"cache_read_input_token_cost_{suffix}"))
                 for kind, suffix in _TIERS.items()]
        sizes = sorted(int(m.group(1)) for field in self.entry if (m := _CONTEXT_TIER.fullmatch(field)))
        tiers += [PriceTier(TierKind.CONTEXT, size * 1000, self.price(f"input_cost_per_token_above_{size}k_tokens"),
                            self.price(f"output_cost_per_token_above_{size}k_tokens"),
                            self.price(f"cache_read_input_token_cost_above_{size}k_tokens"))
                  for size in sizes]
        return tuple(t for t in tiers if t.input_price is not None or t.output_price is not None)

    def modalities(self, field: str, flags: dict[str, str]) -> tuple[str, ...]:
        """The listed modalities (default text) and those the flags add, in a fixed order; others ("code") dropped."""
        listed = self.entry.get(field)
        named = set(listed) if isinstance(listed, list) else {"text"}
        named |= {modality for flag, modality in flags.items() if self.entry.get(flag) is True}
        return tuple(m for m in _MODALITIES if m in named)

    def row(self) -> CatalogRow:
        provider_id: str = self.entry["litellm_provider"]
        tiers = self.tiers()
        batch = next((t for t in tiers if t.kind == TierKind.BATCH), None)
        return CatalogRow(
            source=SOURCE, provider_id=provider_id, provider_name=provider_id, route_id=_route_id(self.key, provider_id),
            input_price=self.price("input_cost_per_token"), output_price=self.price("output_cost_per_token"),
            cached_input_price=self.price("cache_read_input_token_cost"),
            cache_write_price=self.price("cache_creation_input_token_cost"),
            batch_input_price=batch.input_price if batch else None, batch_output_price=batch.output_price if batch else None,
            price_tiers=tiers,
            context_window=self.tokens("max_input_tokens"), max_output_tokens=self.tokens("max_output_tokens"),
            input_modalities=self.modalities("supported_modalities", _INPUTS),
            output_modalities=self.modalities("supported_output_modalities", {}),
            capabilities=tuple(cap for flag, cap in _FLAGS.items() if self.entry.get(flag) is True),
            retirement_date=self.day("deprecation_date"), retirement_source=self.text("deprecation_source"),
            successor_id=self.target("successor_model"), alias_of=self.target("alias_of"),
        )
