"""Assemble the strawberry Schema: the types and the root Query. Limits are the engine's (``schema.engine``).

>>> "type Model implements Node {" in schema.as_str()
True
"""

from __future__ import annotations

import strawberry

from modelatlas.schema.query import Query
from modelatlas.schema.types import (
    Capability,
    Family,
    License,
    Model,
    Offering,
    Organization,
    Provider,
    Router,
    Source,
    UseCase,
)

__all__ = ["schema"]

TYPES = [Model, Family, Organization, Provider, Offering, Router, License, Capability, UseCase, Source]

#: The one schema: ``schema.graphql`` is exported from it and ``Engine`` executes its graphql-core form.
schema = strawberry.Schema(query=Query, types=TYPES)
