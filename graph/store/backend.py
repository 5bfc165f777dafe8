"""What the GraphQL resolvers ask of the graph's structure (lineage, reach, alternatives), answered in memory
or by the store.

:class:`InMemory` is the graph's own algorithms (``graph.algorithms``, ``KnowledgeGraph.reaches``).
:class:`SparqlStore` pushes the walks and the ranking down to a SPARQL 1.1 store (``graph.store.queries``) and
turns the answers into the same records, with the same order: the records themselves (models, links, routers)
still come from the snapshot loaded at start. A differential test keeps the two equal on the shipped data.

>>> from modelatlas.graph import load_graph
>>> backend = InMemory(load_graph(imports=False, cache=False))
>>> [m.slug for m in backend.version_chain("mistral-small-2402")][:2]
['mistral-small-2402', 'mistral-small-2409']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from functools import partial
from typing import Protocol

import networkx as nx
import orjson

from modelatlas.graph.algorithms import alternatives as alt, lineage as lin
from modelatlas.graph.algorithms.filters import NO_CONSTRAINTS, Constraints
from modelatlas.graph.errors import NotFoundError
from modelatlas.graph.kinds import LinkKind, ReachEvidence
from modelatlas.graph.knowledge import KnowledgeGraph, Reach
from modelatlas.graph.records import LineageLink, Model, Provider, Router
from modelatlas.graph.similarity import Signatures, TieKey, tie_key
from modelatlas.graph.store.client import Row, SparqlClient, StoreError, value
from modelatlas.graph.store.dataset import data_version
from modelatlas.graph.store.index import slot_iri
from modelatlas.graph.store.queries import (
    closure_query,
    edges_query,
    lineage_query,
    members_query,
    reach_query,
    signature_query,
    signatures_query,
)

__all__ = ["Backend", "InMemory", "SparqlStore", "StoreBackends", "StoreSignatures", "walk"]


class Backend(Protocol):
    """Lineage, reach and alternatives of one snapshot."""

    kg: KnowledgeGraph

    def lineage(self, model_slug: str, direction: str = "BOTH", kinds: frozenset[str] | None = None,
                max_depth: int | None = None) -> lin.Lineage: ...

    def edges_from(self, model_slug: str) -> list[lin.Edge]: ...

    def edges_to(self, model_slug: str) -> list[lin.Edge]: ...

    def version_chain(self, model_slug: str) -> list[Model]: ...

    def reaches(self, model_slug: str) -> list[Reach]: ...

    def routers_reaching(self, model_slug: str) -> list[tuple[Router, Provider]]: ...

    def alternatives(self, model_slug: str, criteria: Constraints = NO_CONSTRAINTS, *, today: date, first: int = 10,
                     include_same_family: bool = False) -> list[alt.Alternative]: ...


class InMemory:
    """The snapshot's own indexes and algorithms."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg

    def lineage(self, model_slug: str, direction: str = "BOTH", kinds: frozenset[str] | None = None,
                max_depth: int | None = None) -> lin.Lineage:
        return lin.lineage(self.kg, model_slug, direction, kinds, max_depth)

    def edges_from(self, model_slug: str) -> list[lin.Edge]:
        return lin.edges_from(self.kg, model_slug)

    def edges_to(self, model_slug: str) -> list[lin.Edge]:
        return lin.edges_to(self.kg, model_slug)

    def version_chain(self, model_slug: str) -> list[Model]:
        return lin.version_chain(self.kg, model_slug)

    def reaches(self, model_slug: str) -> list[Reach]:
        return self.kg.reaches(model_slug)

    def routers_reaching(self, model_slug: str) -> list[tuple[Router, Provider]]:
        return self.kg.routers_reaching(model_slug)

    def alternatives(self, model_slug: str, criteria: Constraints = NO_CONSTRAINTS, *, today: date, first: int = 10,
                     include_same_family: bool = False) -> list[alt.Alternative]:
        return alt.alternatives(self.kg, model_slug, criteria, today=today, first=first,
                                include_same_family=include_same_family)


def _slug(iri: str | None) -> str:
    return (iri or "").rstrip("/").rsplit("/", 1)[-1]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def walk(client: SparqlClient, model_slug: str, direction: str, kinds: frozenset[str], *, chain: bool = True,
         closure: bool = True) -> dict[str, list[Row]]:
    """The lineage rows of the store by part (see ``graph.store.queries``): the closure, then the edges at its
    nodes (two round trips); without ``closure``, the edges at the model's own node (one)."""
    if closure:
        nodes: dict[str, list[str]] = defaultdict(list)
        for row in client.select(closure_query(model_slug, direction, kinds, chain)):
            nodes[value(row, "part") or ""].append(_slug(value(row, "n")))
        query = edges_query(nodes, kinds)
    else:
        query = lineage_query(model_slug, direction, kinds, chain)
    parts: dict[str, list[Row]] = defaultdict(list)
    for row in client.select(query):
        parts[value(row, "part") or ""].append(row)
    return parts


class StoreSignatures:
    """The store's signature table (``graph.store.index``), read once, and its members read page by page: the
    candidates of ``graph.similarity.Signatures.matches``, the walk the in-memory graph does.

    Pages of a signature's members are lookups of known slot IRIs; they start at 8 and grow 4x per signature, so
    the first results cost one or two round trips per signature reached."""

    def __init__(self, client: SparqlClient, *, first_page: int = 8, max_page: int = 2048) -> None:
        if first_page < 1 or max_page < first_page:
            raise ValueError(f"pages of members: need 1 <= first_page <= max_page, not {first_page} / {max_page}")
        self.client, self.first_page, self.max_page = client, first_page, max_page
        found: dict[int, tuple[list[str], int, TieKey]] = {}
        for row in client.select(signatures_query()):
            try:
                features, size, context, price, head = orjson.loads(value(row, "row") or "null")
                found[int(_slug(value(row, "s")))] = (features, size, tie_key(head, context, price))
            except (TypeError, ValueError) as exc:
                raise StoreError(f"the store at {client.base} has a bad signature row {value(row, 's')}: {exc}; "
                                 "load it again") from exc
        if sorted(found) != list(range(len(found))):
            raise StoreError(f"the store at {client.base} holds an incomplete signature table: load it again")
        self.table = Signatures.from_rows([found[sid] for sid in range(len(found))])

    def matches(self, model_slug: str, must_have: frozenset[str] = frozenset()) -> Iterator[tuple[float, str]]:
        """(score, slug) of the candidates for replacing the model, best first; none for a model the store lacks."""
        rows = self.client.select(signature_query(model_slug))
        if not rows:
            return iter(())
        sid = int(_slug(value(rows[0], "s")))
        pages: dict[int, dict[int, TieKey]] = defaultdict(dict)
        sizes: dict[int, int] = defaultdict(lambda: self.first_page)

        def member(sig: int, pos: int) -> TieKey:
            held = pages[sig]
            if pos not in held:
                count = min(sizes[sig], self.table.sizes[sig] - pos)
                sizes[sig] = min(sizes[sig] * 4, self.max_page)
                slots = [slot_iri(sig, place) for place in range(pos, pos + count)]
                for row in self.client.select(members_query(slots)):
                    held[int(_slug(value(row, "slot")))] = _tie_key(row)
                if pos not in held:
                    raise StoreError(f"the store at {self.client.base} lacks member {pos} of signature {sig}")
            return held.pop(pos)

        table = self.table
        return table.matches((table.masks[sid], table.weights[sid]), member, must_have)


def _edges_at(adjacency: dict[str, list[lin.Edge]], slug: str) -> list[lin.Edge]:
    return adjacency.get(slug, [])


def _tie_key(row: Row) -> TieKey:
    return tie_key(_slug(value(row, "m")), int(value(row, "ctx") or 0), float(value(row, "price") or "INF"))


class SparqlStore:
    """Lineage, reach and alternatives computed by the store at ``client``; records from ``kg``."""

    def __init__(self, kg: KnowledgeGraph, client: SparqlClient, *, first_page: int = 8) -> None:
        self.kg = kg
        self.client = client
        self.first_page = first_page  # members of a signature asked for at first (then 4x as many)
        self._links: dict[str, LineageLink] | None = None
        self._signatures: StoreSignatures | None = None

    def warm(self) -> None:
        """Read what is read once per snapshot (the signature table)."""
        self._signatures = self._signatures or StoreSignatures(self.client, first_page=self.first_page)

    @property
    def signatures(self) -> StoreSignatures:
        """The store's signature table (read once per snapshot)."""
        if self._signatures is None:
            self.warm()
        assert self._signatures is not None
        return self._signatures

    @property
    def links(self) -> dict[str, LineageLink]:
        if self._links is None:
            self._links = {link.slug: link for link in self.kg.links}
        return self._links

    def _model(self, model_slug: str) -> Model:
        model = self.kg.models.get(model_slug)
        if model is None:
            raise NotFoundError("model", model_slug)
        return model

    # ------------------------------------------------------------------ lineage
    def _edge(self, row: Row) -> tuple[lin.Edge, tuple[str, int]] | None:
        """The edge of one row, with its place among equal keys (the last alias change wins, as in memory)."""
        kind, node = value(row, "k") or "", value(row, "e") or ""
        if kind == lin.ALIAS:
            name = value(row, "alias") or ""
            alias_slug = node.rstrip("/").rsplit("/", 2)[-2]
            up_down = (value(row, "n"), value(row, "t")) if value(row, "part") != "A" else (value(row, "t"), value(row, "n"))
            edge = lin.Edge(_slug(up_down[0]), _slug(up_down[1]), lin.ALIAS, _day(value(row, "from")),
                            _day(value(row, "to")), None, name)
            return edge, (alias_slug, int(value(row, "order") or 0))
        link = self.links.get(_slug(node))
        if link is None:
            return None
        return lin._oriented(link), ("", 0)

    def _walk_rows(self, model_slug: str, direction: str, kinds: frozenset[str], chain: bool,
                   closure: bool = True) -> dict[str, list[Row]]:
        return walk(self.client, model_slug, direction, kinds, chain=chain, closure=closure)

    def _adjacency(self, rows: list[Row], outgoing: bool) -> dict[str, list[lin.Edge]]:
        """Node -> its edges in the walk's direction, links by slug first, then alias changes in history order;
        of alias edges with one key, only the last (memory keeps the last one written)."""
        best: dict[tuple[str, str, str, str], tuple[tuple[int, str, int], lin.Edge]] = {}
        for row in rows:
            found = self._edge(row)
            if found is None:
                continue
            edge, (alias_slug, order) = found
            rank = (1 if edge.kind == lin.ALIAS else 0, alias_slug, order)
            held = best.get(edge.key)
            if held is None or held[0] < rank:
                best[edge.key] = (rank, edge)
        out: dict[str, list[lin.Edge]] = defaultdict(list)
        for _, edge in sorted(best.values(), key=lambda item: (item[0], item[1].key)):
            out[edge.source if outgoing else edge.target].append(edge)
        return out

    def lineage(self, model_slug: str, direction: str = "BOTH", kinds: frozenset[str] | None = None,
                max_depth: int | None = None) -> lin.Lineage:
        """As ``graph.algorithms.lineage.lineage``, the walks done by the store."""
        depth = lin.checked_depth(self.kg, model_slug, direction, max_depth)
        parts = self._walk_rows(model_slug, direction, frozenset(kinds) if kinds else lin.ALL_KINDS, chain=True)
        walks: list[tuple[lin.Neighbours, bool]] = []
        for part, outgoing, asked in (("D", True, ("DESCENDANTS", "BOTH")), ("A", False, ("ANCESTORS", "BOTH"))):
            if direction in asked:
                adjacency = self._adjacency(parts.get(part, []), outgoing)
                walks.append((partial(_edges_at, adjacency), outgoing))
        return lin.bounded_walk(self.kg, model_slug, depth, walks, self._chain(model_slug, parts.get("C", [])))

    def _chain(self, model_slug: str, rows: list[Row]) -> list[Model]:
        """The version line from the NEXT_VERSION edges of its component (as ``version_chain`` orders it)."""
        kg = self.kg
        neighbours: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in rows:
            link = self.links.get(_slug(value(row, "e")))
            if link is None or link.kind != LinkKind.NEXT_VERSION:
                continue
            neighbours[link.source].append((link.source, link.target))
            neighbours[link.target].append((link.source, link.target))
        line: nx.DiGraph[str] = nx.DiGraph()
        line.add_node(model_slug)
        todo, seen = [model_slug], {model_slug}
        while todo:
            slug = todo.pop()
            for source, target in neighbours.get(slug, ()):
                if source not in kg.models or target not in kg.models:
                    continue
                line.add_edge(source, target)
                for other in (source, target):
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
        try:
            order = list(nx.lexicographical_topological_sort(line, key=lambda s: lin._release_key(kg, s)))
        except nx.NetworkXUnfeasible:
            order = sorted(seen, key=lambda s: lin._release_key(kg, s))
        return [kg.models[s] for s in order]

    def version_chain(self, model_slug: str) -> list[Model]:
        self._model(model_slug)
        return self._chain(model_slug, self._walk_rows(model_slug, "BOTH", frozenset(), chain=True).get("C", []))

    def _one_step(self, model_slug: str, outgoing: bool) -> list[lin.Edge]:
        self._model(model_slug)
        direction = "DESCENDANTS" if outgoing else "ANCESTORS"
        rows = self._walk_rows(model_slug, direction, lin.ALL_KINDS, chain=False, closure=False)
        ranked: list[tuple[tuple[int, str, int], lin.Edge]] = []
        for row in rows.get("D" if outgoing else "A", []):
            found = self._edge(row)
            if found is not None:
                edge, (alias_slug, order) = found
                link_rank = (1 if edge.kind == LinkKind.DERIVED_FROM else 0, edge.link.slug if edge.link else "", 0)
                ranked.append(((2, alias_slug, order) if edge.link is None else link_rank, edge))
        return [edge for _, edge in sorted(ranked, key=lambda item: item[0])]

    def edges_from(self, model_slug: str) -> list[lin.Edge]:
        """As ``graph.algorithms.lineage.edges_from``: the edges leaving the model, from the store."""
        return self._one_step(model_slug, outgoing=True)

    def edges_to(self, model_slug: str) -> list[lin.Edge]:
        """As ``graph.algorithms.lineage.edges_to``: the edges arriving at the model, from the store."""
        return self._one_step(model_slug, outgoing=False)

    # ------------------------------------------------------------------ reach
    def reaches(self, model_slug: str) -> list[Reach]:
        """As ``KnowledgeGraph.reaches``: per (router, provider), the first evidence by route slug, listed first."""
        kg = self.kg
        if model_slug not in kg.models:
            return []
        rows = []
        for row in self.client.select(reach_query(model_slug)):
            o, r, p = (_slug(value(row, n)) for n in ("o", "r", "p"))
            if o in kg.offerings and r in kg.routers and p in kg.providers:
                rows.append((o, 0 if value(row, "ev") == "listed" else 1, r, p))
        found: dict[tuple[str, str], Reach] = {}
        for offering_slug, rank, router_slug, provider_slug in sorted(set(rows)):
            key = (router_slug, provider_slug)
            if key in found:
                continue
            router, via, route = kg.routers[router_slug], kg.providers[provider_slug], kg.offerings[offering_slug]
            if rank == 0:
                found[key] = Reach(router, via, ReachEvidence.LISTED, route.route_id, route.provenance.as_of)
            else:
                found[key] = Reach(router, via, ReachEvidence.VIA_PROVIDER, None, router.provenance.checked_on)
        return [found[k] for k in sorted(found)]

    def routers_reaching(self, model_slug: str) -> list[tuple[Router, Provider]]:
        return [(r.router, r.via) for r in self.reaches(model_slug)]

    # ------------------------------------------------------------------ alternatives
    def alternatives(self, model_slug: str, criteria: Constraints = NO_CONSTRAINTS, *, today: date, first: int = 10,
                     include_same_family: bool = False) -> list[alt.Alternative]:
        """As ``graph.algorithms.alternatives.alternatives``, the candidates ranked from the store's signatures."""
        self._model(model_slug)
        return alt.alternatives(self.kg, model_slug, criteria, today=today, first=first,
                                include_same_family=include_same_family,
                                matches=self.signatures.matches(model_slug, criteria.keep_capabilities))


class StoreBackends:
    """One :class:`SparqlStore` per snapshot, for the store at ``url``; each checks, once, that the store holds that
    snapshot's data version (``modelatlas store load`` writes it), so no answer mixes two versions.

    >>> StoreBackends("http://127.0.0.1:1").client.base
    'http://127.0.0.1:1'
    """

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        self.client = SparqlClient(url, timeout=timeout)
        self._current: SparqlStore | None = None

    def __call__(self, kg: KnowledgeGraph) -> SparqlStore:
        """The backend of ``kg``; StoreError when the store is unreachable or holds another data version."""
        current = self._current
        if current is not None and current.kg is kg:
            return current
        held = data_version(self.client)
        if held != kg.version:
            raise StoreError(f"the SPARQL store at {self.client.base} holds data version {held or 'none'}, the "
                             f"service {kg.version}: load it with `modelatlas store load --endpoint {self.client.base}`")
        store = SparqlStore(kg, self.client)
        store.warm()  # the signature table is read now (start, reload), not within a question's deadline
        self._current = store
        return store
