"""Small typed readers over an rdflib graph: one value, many values, slugs of linked nodes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from modelatlas.graph.vocab import DCTERMS, MA, RDFS

__all__ = ["slug_of", "one", "many", "one_slug", "slugs", "as_date", "as_decimal", "as_int", "as_bool", "as_str"]


def slug_of(node: Node) -> str:
    """The slug of an instance IRI: its last path segment.

    >>> slug_of(URIRef("https://modelatlas.dev/id/model/mistral-small-2402"))
    'mistral-small-2402'
    """
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def one(graph: Graph, subject: Node, prop: URIRef) -> Node | None:
    """The first object of (subject, prop), in a stable order, or None."""
    values = sorted(graph.objects(subject, prop), key=str)
    return values[0] if values else None


def many(graph: Graph, subject: Node, prop: URIRef) -> list[Node]:
    return sorted(graph.objects(subject, prop), key=str)


def one_slug(graph: Graph, subject: Node, prop: URIRef) -> str | None:
    node = one(graph, subject, prop)
    return slug_of(node) if node is not None else None


def slugs(graph: Graph, subject: Node, prop: URIRef) -> tuple[str, ...]:
    return tuple(slug_of(n) for n in many(graph, subject, prop))


def _py(node: Node | None) -> Any:
    return node.toPython() if isinstance(node, Literal) else node


def as_date(node: Node | None) -> date | None:
    value = _py(node)
    return value if isinstance(value, date) else None


def as_decimal(node: Node | None) -> Decimal | None:
    value = _py(node)
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value)) if isinstance(value, (int, float, Decimal)) else None


def as_int(node: Node | None) -> int | None:
    value = _py(node)
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def as_bool(node: Node | None) -> bool | None:
    value = _py(node)
    return value if isinstance(value, bool) else None


def as_str(node: Node | None) -> str | None:
    return None if node is None else str(node)


def comment_of(graph: Graph, subject: Node) -> str | None:
    texts = [str(c) for c in many(graph, subject, RDFS.comment)]
    return " ".join(texts) if texts else None


def provenance_args(graph: Graph, subject: Node) -> dict[str, Any]:
    """Keyword arguments for records.Provenance from the node's source triples."""
    return {
        "sources": slugs(graph, subject, DCTERMS.source),
        "citations": tuple(str(c) for c in many(graph, subject, MA.citation)),
        "checked_on": as_date(one(graph, subject, MA.checkedOn)),
        "as_of": as_date(one(graph, subject, MA.asOf)),
        "unconfirmed": bool(as_bool(one(graph, subject, MA.unconfirmed))),
        "comment": comment_of(graph, subject),
    }
