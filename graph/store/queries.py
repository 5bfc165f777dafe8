"""The SPARQL that lineage, reach and alternatives push down to the store (over the index graph of
``graph.store.dataset``; run with the union of the named graphs as the default graph).

* lineage: two round trips. Property paths from the model over the kinds asked for
  (``(^mas:up_K/mas:down_K | ...)*``) give the closure; then every edge at a node of it (the nodes inlined:
  joined to the path in one query, Oxigraph's plan scans every edge); the version chain likewise over NEXT_VERSION in both directions.
  The hop limit and the ordering are then applied to those few edges (``graph.store.backend``).
* reach: a model's routes, their providers and the routers that list a route or proxy its provider.
* alternatives: the signature table (``graph.similarity``: one row per distinct feature set, read once per
  snapshot), the query model's signature, and pages of a signature's members in tie-break order (slots of known
  IRIs, so a page is a lookup, never a scan or a sort); ``graph.similarity.Signatures.matches`` walks them, the
  same walk as in memory.

>>> "((^mas:up_NEXT_VERSION/mas:down_NEXT_VERSION))*" in closure_query("m", "DESCENDANTS", frozenset({"NEXT_VERSION"}))
True
"""

from __future__ import annotations

from modelatlas.graph.store.dataset import EDGE_KINDS, PREFIXES
from modelatlas.graph.store.index import INDEX_GRAPH
from modelatlas.graph.vocab import ID_BASE

__all__ = ["closure_query", "edges_query", "lineage_query", "members_query", "reach_query", "signature_query",
           "signatures_query"]


def _iri(segment: str, slug: str) -> str:
    if any(c in slug for c in '<>"{}|^`\\ '):
        raise ValueError(f"not a slug: {slug!r}")
    return f"<{ID_BASE}{segment}/{slug}>"


def _edge(kind: str, near: str, far: str) -> str:
    """The edges of ``kind`` with ``?n`` at their ``near`` end (up / down) and ``?t`` at the other."""
    details = _edge_details() if kind == "ALIAS" else ""  # an alias change carries its dates and name
    return f'?e mas:{near}_{kind} ?n ; mas:{far}_{kind} ?t . BIND("{kind}" AS ?k) {details}'


def _edge_details() -> str:
    # required triples (an open date is ""): an OPTIONAL here makes Oxigraph scan every alias edge
    return "?e mas:aliasName ?alias ; mas:order ?order ; mas:validFrom ?from ; mas:validTo ?to ."


_PARTS = (("D", "up", "down", ("DESCENDANTS", "BOTH")), ("A", "down", "up", ("ANCESTORS", "BOTH")))
_CHAIN = "(^mas:up_NEXT_VERSION/mas:down_NEXT_VERSION)|(^mas:down_NEXT_VERSION/mas:up_NEXT_VERSION)"


def closure_query(model_slug: str, direction: str, kinds: frozenset[str], chain: bool = True) -> str:
    """The nodes ``?n`` reachable from the model over the kinds asked for: part "D" towards descendants, "A"
    towards ancestors (by ``direction``), and with ``chain`` "C", its NEXT_VERSION line in both directions.
    Each closure is a DISTINCT sub-select of one property path."""
    root = _iri("model", model_slug)
    wanted = [k for k in EDGE_KINDS if k in kinds]
    parts = []
    for part, near, far, asked in _PARTS:
        if wanted and direction in asked:
            path = "|".join(f"(^mas:{near}_{k}/mas:{far}_{k})" for k in wanted)
            parts.append(f'{{ {{ SELECT DISTINCT ?n WHERE {{ {root} ({path})* ?n }} }} BIND("{part}" AS ?part) }}')
    if chain:
        parts.append(f'{{ {{ SELECT DISTINCT ?n WHERE {{ {root} ({_CHAIN})* ?n }} }} BIND("C" AS ?part) }}')
    if not parts:
        return f"{PREFIXES}SELECT ?part ?n WHERE {{ FILTER(false) }}"
    return f"{PREFIXES}SELECT ?part ?n WHERE {{ {' UNION '.join(parts)} }}"


def edges_query(nodes: dict[str, list[str]], kinds: frozenset[str]) -> str:
    """The edges at the nodes of each part (``nodes``: part -> model slugs, as :func:`closure_query` found them):
    leaving a node for "D" and "C" (NEXT_VERSION only), arriving at it for "A". The nodes are inlined as VALUES:
    Oxigraph's plan for a join with the path itself scans every edge (~300x slower at 10k models).
    Columns: part, n, e (the link or alias edge), k (kind), t (the other end), alias, order, from, to."""
    wanted = [k for k in EDGE_KINDS if k in kinds]
    parts = []
    for part, near, far, _ in (*_PARTS, ("C", "up", "down", ())):
        slugs = nodes.get(part)
        use = ["NEXT_VERSION"] if part == "C" else wanted
        if not slugs or not use:
            continue
        values = f'VALUES ?n {{ {" ".join(_iri("model", s) for s in sorted(slugs))} }} BIND("{part}" AS ?part)'
        parts += [f"{{ {values} {_edge(kind, near, far)} }}" for kind in sorted(use)]  # VALUES in each branch: fast
    if not parts:
        return f"{PREFIXES}SELECT * WHERE {{ FILTER(false) }}"
    return f"{PREFIXES}SELECT ?part ?n ?e ?k ?t ?alias ?order ?from ?to WHERE {{ {' UNION '.join(parts)} }}"


def lineage_query(model_slug: str, direction: str, kinds: frozenset[str], chain: bool = True) -> str:
    """The edges of the model's own node only (the one step of ``successors`` / ``predecessors``), as
    :func:`edges_query` returns them."""
    parts = {p: [model_slug] for p, _, _, asked in _PARTS if direction in asked}
    if chain:
        parts["C"] = [model_slug]
    return edges_query(parts, kinds)


def reach_query(model_slug: str) -> str:
    """(offering, router, provider, evidence) of every way a router reaches the model: a router's own model list
    names the route (``reachesOffering``) or is the route's provider (``catalogProvider``; the last router by slug
    when two claim one list), or a gateway without a list of its own proxies the route's provider."""
    root = _iri("model", model_slug)
    return f"""{PREFIXES}SELECT ?o ?r ?p ?ev WHERE {{
  ?o ma:model {root} ; ma:provider ?p . ?p rdf:type ma:Provider .
  {{ ?r ma:reachesOffering ?o . BIND("listed" AS ?ev) }}
  UNION {{ ?r ma:catalogProvider ?p .
          FILTER NOT EXISTS {{ ?r2 ma:catalogProvider ?p ; rdf:type ma:Router . FILTER(STR(?r2) > STR(?r)) }}
          BIND("listed" AS ?ev) }}
  UNION {{ ?r ma:reachesProvider ?p ; ma:routerKind "gateway" . FILTER NOT EXISTS {{ ?r ma:catalogProvider ?any }}
          BIND("via_provider" AS ?ev) }}
  ?r rdf:type ma:Router .
}}"""


def signatures_query() -> str:
    """The signature table (``graph.store.index``): one row ``?s ?row`` per signature, ``?row`` its JSON
    ``[features, size, head context, head price (null: none), head slug]``."""
    return f"{PREFIXES}SELECT ?s ?row WHERE {{ GRAPH <{INDEX_GRAPH}> {{ ?s mas:row ?row }} }}"


def signature_query(model_slug: str) -> str:
    """The model's signature (``?s``), none when the store has no such model."""
    return f"{PREFIXES}SELECT ?s WHERE {{ GRAPH <{INDEX_GRAPH}> {{ {_iri('model', model_slug)} mas:sig ?s }} }}"


def members_query(slots: list[str]) -> str:
    """Members at the given slot IRIs (``slot_iri``): ``?slot``, ``?m``, ``?ctx``, ``?price``."""
    values = " ".join(f"<{slot}>" for slot in slots)
    return (f"{PREFIXES}SELECT ?slot ?m ?ctx ?price WHERE {{ VALUES ?slot {{ {values} }} "
            f"GRAPH <{INDEX_GRAPH}> {{ ?slot mas:member ?m ; mas:ctx ?ctx ; mas:price ?price }} }}")
