"""GraphQL errors a frontend can act on: ``extensions.code`` NOT_FOUND, AMBIGUOUS or BAD_USER_INPUT."""

from __future__ import annotations

from graphql import GraphQLError

__all__ = ["ambiguous", "bad_input", "not_found", "shorten"]


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


MAX_CANDIDATES = 50


def ambiguous(kind: str, ident: str, candidates: list[str], family: str | None = None) -> GraphQLError:
    """An id that names a family or several versions, not one: ``extensions.candidates`` lists the slugs to ask for.

    >>> ambiguous("model", "mistral-small", ["mistral-small-2402", "mistral-small-2409"], "mistral-small").extensions
    {'code': 'AMBIGUOUS', 'id': 'mistral-small', 'family': 'mistral-small', 'candidates': ['mistral-small-2402', 'mistral-small-2409']}
    """
    short = shorten(ident)
    shown = candidates[:MAX_CANDIDATES]
    what = f"the family {family!r}" if family else f"{len(candidates)} {kind}s"
    more = f" (the first {len(shown)} in extensions.candidates)" if len(candidates) > len(shown) else ""
    message = (f"{short!r} names {what}, not one {kind}: ask for one of the {len(candidates)} candidates{more}, "
               f"e.g. {', '.join(shown[:3])}.")
    extensions: dict[str, object] = {"code": "AMBIGUOUS", "id": short}
    if family:
        extensions["family"] = family
    extensions["candidates"] = shown
    return GraphQLError(message, extensions=extensions)


def bad_input(message: str, argument: str | None = None) -> GraphQLError:
    ext = {"code": "BAD_USER_INPUT"}
    if argument:
        ext["argument"] = argument
    return GraphQLError(message, extensions=ext)
