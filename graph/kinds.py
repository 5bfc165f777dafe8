"""The closed vocabularies of the records: statuses and kinds, as StrEnums (each member equals its stored string).

>>> Status("retired") is Status.RETIRED, Status.RETIRED == "retired"
(True, True)
>>> [k.value for k in LinkKind][:2]
['NEXT_VERSION', 'RECOMMENDED_REPLACEMENT']
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["LinkKind", "Origin", "ReachEvidence", "ResolutionStatus", "RouterKind", "SourceKind", "Status", "TierKind"]


class Status(StrEnum):
    """A model's or route's lifecycle status as its source states it (``ma:status``)."""

    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"
    PREVIEW = "preview"


class LinkKind(StrEnum):
    """The kind of a qualified lineage link ``source -> target``."""

    NEXT_VERSION = "NEXT_VERSION"
    RECOMMENDED_REPLACEMENT = "RECOMMENDED_REPLACEMENT"
    DERIVED_FROM = "DERIVED_FROM"
    POSITIONED_SUCCESSOR = "POSITIONED_SUCCESSOR"


class Origin(StrEnum):
    """Where a record's facts come from, in precedence order (curated first)."""

    CURATED = "curated"
    MAKER_API = "maker_api"
    CATALOG = "catalog"


class SourceKind(StrEnum):
    """Who publishes a source."""

    MAKER = "maker"
    CATALOG = "catalog"
    THIRD_PARTY = "third_party"


class RouterKind(StrEnum):
    """A router picks a model per request; a gateway proxies provider APIs."""

    ROUTER = "router"
    GATEWAY = "gateway"


class TierKind(StrEnum):
    """What a price tier depends on (catalogs also name service tiers of their own: "fast", "default")."""

    CONTEXT = "context"
    BATCH = "batch"
    PRIORITY = "priority"
    FLEX = "flex"
    TIME_OF_DAY = "time-of-day"


class ResolutionStatus(StrEnum):
    """Where the identity resolver put a catalog id."""

    CURATED = "curated"
    CANONICAL = "canonical"
    UNRESOLVED = "unresolved"


class ReachEvidence(StrEnum):
    """Why a router is said to reach a model: its own model list names a route of it, or it forwards to a provider
    that serves it (a gateway configured with that provider's API)."""

    LISTED = "listed"
    VIA_PROVIDER = "via_provider"
