"""The GraphQL schema (strawberry). ``schema`` is the public object; ``engine.Engine`` runs it with its limits."""

from modelatlas.schema.build import schema

__all__ = ["schema"]
