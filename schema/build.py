"""Assemble the strawberry Schema with its limits.

Validation rules (depth, aliases, directives) are classes built once and shared, so strawberry's validation cache
keeps working (a factory-built limiter makes a new rule class per request and defeats the cache).
"""

from __future__ import annotations

from functools import lru_cache

import strawberry
from graphql import GraphQLError, ValidationRule
from strawberry.extensions import AddValidationRules, DisableIntrospection, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.schema.config import StrawberryConfig

from modelatlas.schema.analysis import MigrationPath  # noqa: F401  (registered through Query)
from modelatlas.schema.query import Query
from modelatlas.schema.types import Capability, Family, License, Model, Offering, Organization, Provider, Router, Source, UseCase

__all__ = ["build_schema", "limit_rules", "schema"]

TYPES = [Model, Family, Organization, Provider, Offering, Router, License, Capability, UseCase, Source]


def max_directives_validator(limit: int) -> type[ValidationRule]:
    """A rule rejecting documents with more than ``limit`` directives."""

    class MaxDirectives(ValidationRule):
        def __init__(self, context) -> None:
            super().__init__(context)
            self.count = 0

        def enter_directive(self, node, *_args):
            self.count += 1
            if self.count == limit + 1:
                self.report_error(GraphQLError(f"More than {limit} directives in the document. Allowed: {limit}.", node))

    return MaxDirectives


class QuietSchema(strawberry.Schema):
    """Logs only unexpected errors; expected ones (NOT_FOUND, BAD_USER_INPUT, validation) go to the client alone."""

    def process_errors(self, errors, execution_context=None) -> None:
        unexpected = [e for e in errors if e.original_error is not None and not isinstance(e.original_error, GraphQLError)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


@lru_cache(maxsize=16)
def limit_rules(max_depth: int = 8, max_aliases: int = 15, max_directives: int = 10) -> tuple[type[ValidationRule], ...]:
    """The depth, alias and directive rules, built once per set of limits (so validation caches keep working)."""
    return (depth_validator(max_depth, None, None), aliases_validator(max_aliases), max_directives_validator(max_directives))


@lru_cache(maxsize=16)
def build_schema(max_depth: int = 8, max_aliases: int = 15, max_tokens: int = 1000, max_directives: int = 10,
                 production: bool = True) -> strawberry.Schema:
    """The schema with its limits; the same arguments give the same (cached) schema object."""
    rules = list(limit_rules(max_depth, max_aliases, max_directives))
    extensions = [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_tokens),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
    ]
    if production:
        extensions.insert(0, DisableIntrospection)
    return QuietSchema(
        query=Query, types=TYPES, extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
    )


#: The schema without production switches (introspection on): what ``schema.graphql`` is exported from.
schema = build_schema(production=False)
