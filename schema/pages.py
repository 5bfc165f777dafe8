"""Relay connections and the one check of a page-size argument (``first``).

>>> page_size(None, default=20, low=0, high=100), page_size(5, default=20, low=0, high=100)
(20, 5)
>>> page_size(101, default=20, low=0, high=100)
Traceback (most recent call last):
...
graphql.error.graphql_error.GraphQLError: first must be between 0 and 100, got 101.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

import strawberry

from modelatlas.schema.context import Info
from modelatlas.schema.errors import bad_input
from modelatlas.schema.ids import decode_cursor, encode_cursor

__all__ = ["Connection", "Edge", "PageInfo", "page_size"]

T = TypeVar("T")

DEFAULT_PAGE = 20


def page_size(first: int | None, *, default: int, low: int, high: int) -> int:
    """``first``, or ``default`` when it is not given; BAD_USER_INPUT unless ``low <= first <= high``."""
    if first is None:
        return default
    if not low <= first <= high:
        raise bad_input(f"first must be between {low} and {high}, got {first}.", "first")
    return first


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


def _nodes(root: Connection[T]) -> list[T]:
    return [e.node for e in root.edges]


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int
    nodes: list[T] = strawberry.field(resolver=_nodes, description="The nodes of the page, without cursors.")
    unknown_license_count: int | None = strawberry.field(default=None, description=(
        "With a license condition (osiApproved, commercialUse): the models left out only because their license is "
        "unknown (unknown is neither yes nor no); null without one."))

    @staticmethod
    def page(info: Info, items: Sequence[T], list_name: str, first: int | None,
             after: str | None) -> Connection[T]:
        """One page of ``items`` (already ordered); ``first`` up to the context's cap, ``after`` a cursor of this list."""
        cap = info.context.max_page_size
        first = page_size(first, default=min(DEFAULT_PAGE, cap), low=0, high=cap)
        start = 0
        if after is not None:
            offset = decode_cursor(after, list_name)
            if offset is None:
                raise bad_input(f"after is not a cursor of this list: {after!r}.", "after")
            start = offset + 1
        page = items[start:start + first]
        edges = [Edge(cursor=encode_cursor(list_name, start + i), node=item) for i, item in enumerate(page)]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=start + len(page) < len(items), has_previous_page=start > 0,
                start_cursor=edges[0].cursor if edges else None, end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=len(items),
        )
