"""What every catalog importer produces: source-neutral rows (one provider x model route each) and a snapshot.

>>> row = CatalogRow("models-dev", "mistral", "Mistral", "mistral-small-2603", input_price=Decimal("0.15"))
>>> row.citation
'models-dev:mistral/mistral-small-2603'
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, overload

from modelatlas.graph.errors import DataError
from modelatlas.graph.records import PriceTier

__all__ = ["CatalogRow", "CatalogSnapshot", "PricePoint", "Rejection", "decimal_or_none", "read_json_file"]


@dataclass(frozen=True, slots=True)
class PricePoint:
    """The prices of a route from ``valid_from`` on (genai-prices' price history)."""

    valid_from: date | None
    input_price: Decimal | None = None
    output_price: Decimal | None = None
    cached_input_price: Decimal | None = None
    cache_write_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One provider's route to one model, as one catalog lists it. Prices in USD per 1M tokens."""

    source: str  # models-dev | genai-prices
    provider_id: str  # the catalog's own provider id
    provider_name: str
    route_id: str
    name: str | None = None
    other_ids: tuple[str, ...] = ()  # further ids the catalog matches to this row (genai-prices match rules)
    folded_ids: tuple[str, ...] = ()  # tier route ids folded into this row (``m:batch``; see graph.importers.fold)
    as_of: date | None = None  # the row's own date (models.dev last_updated); else the snapshot's
    input_price: Decimal | None = None
    output_price: Decimal | None = None
    cached_input_price: Decimal | None = None
    cache_write_price: Decimal | None = None
    batch_input_price: Decimal | None = None
    batch_output_price: Decimal | None = None
    price_tiers: tuple[PriceTier, ...] = ()
    history: tuple[PricePoint, ...] = ()
    context_window: int | None = None
    max_output_tokens: int | None = None
    release_date: date | None = None
    knowledge_cutoff: str | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()  # capability slugs: function-calling, structured-outputs, reasoning, attachments
    open_weights: bool | None = None
    deprecated: bool | None = None
    retirement_date: date | None = None  # this route's own shutdown date (LiteLLM's "deprecation_date": "removed")
    retirement_source: str | None = None  # where the provider announces it (LiteLLM's deprecation_source, a URL)
    successor_id: str | None = None  # the id the catalog names as this route's successor
    alias_of: str | None = None  # the id this route id is an alias of, per the catalog
    family_hint: str | None = None

    @property
    def citation(self) -> str:
        return f"{self.source}:{self.provider_id}/{self.route_id}"


@dataclass(frozen=True, slots=True)
class Rejection:
    """A value (or a whole row) not imported as truth, and why."""

    source: str
    where: str  # provider/route id
    field: str  # "row" for a whole row
    value: object
    reason: str
    benign: bool = False  # a condition the packaged data has too (a duplicate key read once), not a data error

    def __str__(self) -> str:
        return f"{self.source}:{self.where} {self.field}={self.value}: {self.reason}"


@dataclass(frozen=True)
class CatalogSnapshot:
    """One catalog package read: its rows, providers, version and as-of date, and the rows it could not read."""

    source: str
    package: str
    version: str
    as_of: date
    rows: tuple[CatalogRow, ...]
    providers: dict[str, str] = field(default_factory=dict)  # catalog provider id -> display name
    provider_urls: dict[str, str] = field(default_factory=dict)
    rejected: tuple[Rejection, ...] = ()


@overload
def read_json_file(path: Path, what: str, entries: str) -> dict[str, Any]: ...
@overload
def read_json_file(path: Path, what: str, entries: str, kind: type[list[Any]]) -> list[Any]: ...
def read_json_file(path: Path, what: str, entries: str, kind: type[Any] = dict) -> Any:
    """A catalog's JSON object (or with ``kind=list``, array) of ``entries`` from ``path`` (``.json`` or
    ``.json.gz``); DataError naming the file (and ``what`` it should hold) otherwise."""
    try:
        raw = path.read_bytes()
        doc = json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)
    except (OSError, ValueError, EOFError) as exc:
        raise DataError(f"{path}: cannot read {what}: {exc}") from exc
    if not isinstance(doc, kind):
        expected = "an array" if kind is list else "an object"
        raise DataError(f"{path}: expected {expected} of {entries}, got {type(doc).__name__}")
    return doc


def decimal_or_none(value: object) -> Decimal | None:
    """A price as Decimal, via its text form, with float noise from the source's own arithmetic rounded off (12 decimal
    places: prices are USD per 1M tokens); None for missing or non-numbers.

    >>> decimal_or_none(0.1), decimal_or_none(0.060000000000000005), decimal_or_none(None), decimal_or_none("x")
    (Decimal('0.1'), Decimal('0.06'), None, None)
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, float):
            value = round(value, 12)
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
