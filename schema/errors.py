"""GraphQL errors a frontend can act on: ``extensions.code`` NOT_FOUND or BAD_USER_INPUT."""

from __future__ import annotations

from graphql import GraphQLError

__all__ = ["bad_input", "not_found", "shorten"]


ECHO_LIMIT = 100  # characters of a client's input repeated in an error: a 60 KB id must not make a 60 KB answer


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, saying so.

    >>> shorten("x" * 120, 10)
    'xxxxxxxxxx… (120 characters)'
    """
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def not_found(kind: str, ident: str) -> GraphQLError:
    short = shorten(ident)
    return GraphQLError(f"No {kind} with id {short!r}.", extensions={"code": "NOT_FOUND", "id": short})


def bad_input(message: str, argument: str | None = None) -> GraphQLError:
    ext = {"code": "BAD_USER_INPUT"}
    if argument:
        ext["argument"] = argument
    return GraphQLError(message, extensions=ext)
