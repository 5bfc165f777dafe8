"""The GraphQL schema (strawberry). ``schema`` is the public object; ``build_schema`` adds limits."""

from modelatlas.schema.build import build_schema, schema

__all__ = ["build_schema", "schema"]
