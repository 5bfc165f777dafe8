"""GraphQL errors a frontend can act on: ``extensions.code`` NOT_FOUND or BAD_USER_INPUT."""

from __future__ import annotations

from graphql import GraphQLError

__all__ = ["not_found", "bad_input"]


def not_found(kind: str, ident: str) -> GraphQLError:
    return GraphQLError(f"No {kind} with id {ident!r}.", extensions={"code": "NOT_FOUND", "id": ident})


def bad_input(message: str, argument: str | None = None) -> GraphQLError:
    ext = {"code": "BAD_USER_INPUT"}
    if argument:
        ext["argument"] = argument
    return GraphQLError(message, extensions=ext)
