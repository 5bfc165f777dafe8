"""Lineage: succession and derivation around a model, as nodes and typed edges a frontend can draw.

Edges are oriented from older to newer (ancestor -> descendant): a next version, a recommended replacement,
a positioned successor, the next target of a moving alias, and a model derived from a base
(stored as derived -> base, walked here as base -> derived).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Final, TypeAlias

import networkx as nx

from modelatlas.graph.algorithms.aliases import alias_history
from modelatlas.graph.errors import NotFoundError
from modelatlas.graph.kinds import LinkKind
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import LineageLink, Model

__all__ = ["ALIAS", "ALL_KINDS", "MAX_DEPTH", "Edge", "Lineage", "Neighbours", "bounded_walk", "checked_depth", "edges_from",
           "edges_to", "lineage", "version_chain"]

ALIAS: Final = "ALIAS"  # the edge kind between consecutive targets of a moving alias (not a stored link kind)
ALL_KINDS: Final[frozenset[str]] = frozenset({*LinkKind, ALIAS})
MAX_DEPTH: Final = 25

_EdgeKey: TypeAlias = tuple[str, str, str, str]  # (source, target, kind, link slug or alias name)


@dataclass(frozen=True, slots=True)
class Edge:
    """One lineage edge, ancestor -> descendant."""

    source: str
    target: str
    kind: str
    valid_from: date | None = None
    valid_to: date | None = None
    link: LineageLink | None = None
    via_alias: str | None = None

    @property
    def key(self) -> _EdgeKey:
        return (self.source, self.target, self.kind, self.link.slug if self.link else (self.via_alias or ""))




@dataclass(frozen=True)
class Lineage:
    root: Model
    chain: tuple[Model, ...]
    nodes: tuple[Model, ...]
    edges: tuple[Edge, ...]


def _oriented(link: LineageLink) -> Edge:
    if link.kind == LinkKind.DERIVED_FROM:
        return Edge(link.target, link.source, link.kind, link.valid_from, link.valid_to, link)
    start = link.valid_from or link.on_date
    return Edge(link.source, link.target, link.kind, start, link.valid_to, link)


def _alias_edges(kg: KnowledgeGraph, model_slug: str) -> list[Edge]:
    """Edges between consecutive targets of every alias that ever pointed at the model."""
    edges: list[Edge] = []
    for alias_slug in kg.index.aliases_by_target.get(model_slug, ()):  # not a scan of every alias
        history = alias_history(kg, alias_slug)
        for (prev, _, _), (nxt, start, end) in pairwise(history):
            if model_slug in (prev.target, nxt.target) and prev.target != nxt.target:
                edges.append(Edge(prev.target, nxt.target, ALIAS, start, end, None, kg.aliases[alias_slug].name))
    return edges


def edges_from(kg: KnowledgeGraph, model_slug: str, kinds: frozenset[str] = ALL_KINDS) -> list[Edge]:
    """Edges leaving the model towards its descendants."""
    out = [_oriented(l) for l in kg.index.links_from.get(model_slug, ()) if l.kind != LinkKind.DERIVED_FROM]
    out += [_oriented(l) for l in kg.index.links_to.get(model_slug, ()) if l.kind == LinkKind.DERIVED_FROM]
    if ALIAS in kinds:
        out += [e for e in _alias_edges(kg, model_slug) if e.source == model_slug]
    return [e for e in out if e.kind in kinds]


def edges_to(kg: KnowledgeGraph, model_slug: str, kinds: frozenset[str] = ALL_KINDS) -> list[Edge]:
    """Edges arriving at the model from its ancestors."""
    out = [_oriented(l) for l in kg.index.links_to.get(model_slug, ()) if l.kind != LinkKind.DERIVED_FROM]
    out += [_oriented(l) for l in kg.index.links_from.get(model_slug, ()) if l.kind == LinkKind.DERIVED_FROM]
    if ALIAS in kinds:
        out += [e for e in _alias_edges(kg, model_slug) if e.target == model_slug]
    return [e for e in out if e.kind in kinds]


def _release_key(kg: KnowledgeGraph, slug: str) -> tuple[date, str]:
    model = kg.models[slug]
    return (model.release_date or date.max, slug)


def version_chain(kg: KnowledgeGraph, model_slug: str) -> list[Model]:
    """The model's next-version line in link order (each version before its next), release date then slug among
    versions the links do not order; so an undated version still comes where its links put it.

    >>> from modelatlas.graph import load_graph
    >>> [m.slug.removeprefix("mistral-small-") for m in version_chain(load_graph(imports=False, cache=False), "mistral-small-2503")]
    ['2402', '2409', '2501', '2503', '2506', '2603']
    """
    if model_slug not in kg.models:
        raise NotFoundError("model", model_slug)
    line: nx.DiGraph[str] = nx.DiGraph()
    line.add_node(model_slug)
    todo, seen = deque([model_slug]), {model_slug}
    while todo:
        slug = todo.popleft()
        for link in kg.index.links_from.get(slug, ()) + kg.index.links_to.get(slug, ()):
            if link.kind != LinkKind.NEXT_VERSION or link.source not in kg.models or link.target not in kg.models:
                continue
            line.add_edge(link.source, link.target)
            for other in (link.source, link.target):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
    try:  # next-version links are acyclic (validated; inference never closes a cycle)
        order = list(nx.lexicographical_topological_sort(line, key=lambda s: _release_key(kg, s)))
    except nx.NetworkXUnfeasible:
        order = sorted(seen, key=lambda s: _release_key(kg, s))
    return [kg.models[s] for s in order]


def checked_depth(kg: KnowledgeGraph, model_slug: str, direction: str, max_depth: int | None) -> int:
    """The hop limit of a lineage question (``max_depth``, default and at most 25) once the question is checked:
    NotFoundError for an unknown model, ValueError for a bad direction or depth."""
    if model_slug not in kg.models:
        raise NotFoundError("model", model_slug)
    if direction not in ("ANCESTORS", "DESCENDANTS", "BOTH"):
        raise ValueError(f"direction must be ANCESTORS, DESCENDANTS or BOTH, not {direction!r}")
    depth = MAX_DEPTH if max_depth is None else max_depth
    if not 0 <= depth <= MAX_DEPTH:
        raise ValueError(f"maxDepth must be between 0 and {MAX_DEPTH}, not {depth}")
    return depth


Neighbours: TypeAlias = Callable[[str], Iterable[Edge]]  # a model's edges in one direction of a walk


def bounded_walk(kg: KnowledgeGraph, model_slug: str, depth: int, walks: Iterable[tuple[Neighbours, bool]],
                 chain: Iterable[Model]) -> Lineage:
    """The lineage reached from the model in at most ``depth`` hops of each walk ``(neighbours, outgoing)``
    (outgoing: towards descendants), edges to models outside the graph left out; ``chain`` its version line.
    One walk for the in-memory graph and the SPARQL store, which differ only in where the edges come from."""
    found_edges: dict[_EdgeKey, Edge] = {}
    nodes = {model_slug}
    for neighbours, outgoing in walks:
        frontier, seen = [model_slug], {model_slug}
        for _ in range(depth):
            following: list[str] = []
            for slug in frontier:
                for edge in neighbours(slug):
                    if edge.source not in kg.models or edge.target not in kg.models:
                        continue
                    found_edges[edge.key] = edge
                    other = edge.target if outgoing else edge.source
                    if other not in seen:
                        seen.add(other)
                        following.append(other)
            nodes |= seen
            frontier = following
            if not frontier:
                break
    ordered = sorted(nodes, key=lambda s: _release_key(kg, s))
    edges = sorted(found_edges.values(), key=lambda e: (_release_key(kg, e.source), _release_key(kg, e.target), e.key))
    return Lineage(root=kg.models[model_slug], chain=tuple(chain), nodes=tuple(kg.models[s] for s in ordered),
                   edges=tuple(edges))


def lineage(
    kg: KnowledgeGraph,
    model_slug: str,
    direction: str = "BOTH",
    kinds: frozenset[str] | None = None,
    max_depth: int | None = None,
) -> Lineage:
    """Nodes and edges reachable from the model within ``max_depth`` hops (at most 25), in the given direction.

    ``direction`` is ANCESTORS, DESCENDANTS or BOTH; ``kinds`` limits the edge kinds (default: all).
    Raises NotFoundError for an unknown model and ValueError for a bad direction or depth.
    """
    depth = checked_depth(kg, model_slug, direction, max_depth)
    wanted = frozenset(kinds) if kinds else ALL_KINDS

    def walk() -> Lineage:
        walks: list[tuple[Neighbours, bool]] = []
        if direction in ("DESCENDANTS", "BOTH"):
            walks.append((lambda slug: edges_from(kg, slug, wanted), True))
        if direction in ("ANCESTORS", "BOTH"):
            walks.append((lambda slug: edges_to(kg, slug, wanted), False))
        return bounded_walk(kg, model_slug, depth, walks, version_chain(kg, model_slug))

    return kg.remembered("lineage", (model_slug, direction, wanted, depth), walk)  # the snapshot's: it never changes
