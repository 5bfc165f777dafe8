"""The SPARQL that lineage, reach and alternatives push down to the store (over the index graph of
``graph.store.dataset``; run with the union of the named graphs as the default graph).

* lineage: property paths from the model over the kinds asked for (``(^mas:up_K/mas:down_K | ...)*``), then
  every edge that leaves a node of that closure (the closure as a DISTINCT sub-select first: joined to the edges
  inside one pattern, Oxigraph's plan is ~500x slower); the version chain likewise over NEXT_VERSION in both directions.
  The hop limit and the ordering are then applied to those few edges (``graph.store.backend``).
* reach: a model's routes, their providers and the routers that list a route or proxy its provider.
* alternatives: candidates scored in the store (weighted Jaccard from shared features and ``mas:weight``), ranked
  by score, context, ``mas:tiePrice`` and slug, one page at a time.

>>> "mas:up_NEXT_VERSION" in lineage_query("m", "DESCENDANTS", frozenset({"NEXT_VERSION"}))
True
"""

from __future__ import annotations

from collections.abc import Iterable

from modelatlas.graph.store.dataset import EDGE_KINDS, PREFIXES
from modelatlas.graph.vocab import ID_BASE

__all__ = ["alternatives_query", "lineage_query", "reach_query"]


def _iri(segment: str, slug: str) -> str:
    if any(c in slug for c in '<>"{}|^`\\ '):
        raise ValueError(f"not a slug: {slug!r}")
    return f"<{ID_BASE}{segment}/{slug}>"


def _edges(kinds: Iterable[str], near: str, far: str) -> str:
    """The edges of each kind with ``?n`` at their ``near`` end (up / down) and ``?t`` at the other."""
    def one(kind: str) -> str:
        details = _edge_details() if kind == "ALIAS" else ""  # an alias change carries its dates and name
        return f'{{ ?e mas:{near}_{kind} ?n ; mas:{far}_{kind} ?t . BIND("{kind}" AS ?k) {details} }}'

    return " UNION ".join(one(k) for k in sorted(kinds))


def _edge_details() -> str:
    return ("OPTIONAL { ?e mas:aliasName ?alias ; mas:order ?order } "
            "OPTIONAL { ?e mas:validFrom ?from } OPTIONAL { ?e mas:validTo ?to }")


def lineage_query(model_slug: str, direction: str, kinds: frozenset[str], chain: bool = True,
                  closure: bool = True) -> str:
    """Edges ``?n -> ?t`` (DESCENDANTS part "D": ``?n`` is the ancestor end; ANCESTORS part "A": ``?n`` is the
    descendant end) of every node reachable from the model (only the model itself without ``closure``), plus with
    ``chain`` the NEXT_VERSION edges of its version line (part "C").
    Columns: part, n, e (the link or alias edge), k (kind), t, alias, order, from, to."""
    root = _iri("model", model_slug)
    wanted = [k for k in EDGE_KINDS if k in kinds]
    parts = []
    for part, near, far, asked in (("D", "up", "down", ("DESCENDANTS", "BOTH")), ("A", "down", "up", ("ANCESTORS", "BOTH"))):
        if not wanted or direction not in asked:
            continue
        path = "|".join(f"(^mas:{near}_{k}/mas:{far}_{k})" for k in wanted)
        start = f"{{ SELECT DISTINCT ?n WHERE {{ {root} ({path})* ?n }} }}" if closure else f"VALUES ?n {{ {root} }}"
        parts.append(f'{{ {start} {{ {_edges(wanted, near, far)} }} BIND("{part}" AS ?part) }}')
    if chain:
        path = "(^mas:up_NEXT_VERSION/mas:down_NEXT_VERSION)|(^mas:down_NEXT_VERSION/mas:up_NEXT_VERSION)"
        parts.append(f'{{ {{ SELECT DISTINCT ?n WHERE {{ {root} ({path})* ?n }} }} '
                     f'{{ {_edges(["NEXT_VERSION"], "up", "down")} }} BIND("C" AS ?part) }}')
    if not parts:
        return f"{PREFIXES}SELECT * WHERE {{ FILTER(false) }}"
    body = " UNION ".join(parts)
    return f"{PREFIXES}SELECT ?part ?n ?e ?k ?t ?alias ?order ?from ?to WHERE {{ {body} }}"


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


def alternatives_query(model_slug: str, *, must_have: frozenset[str] = frozenset(), exclude_family: bool = True,
                       min_context: int | None = None, open_weights: bool = False,
                       licenses: frozenset[str] = frozenset(), limit: int = 50, offset: int = 0) -> str:
    """Candidates for replacing the model, best first: ``?c``, ``?num`` (weighted shared features), ``?den``
    (weighted union), ``?ctx``, ``?price``. The ranking is the one ``alternatives`` promises: score (rounded to 6
    places), larger context, lower tie price (none last), slug. Without ``must_have`` a candidate shares a
    capability or a use case; with it, it has every one of those capabilities. The model itself, unresolved
    routes and (``exclude_family``) its family are left out here; the other criteria are the caller's."""
    root = _iri("model", model_slug)
    filters = [f"FILTER(?c != {root})", 'FILTER NOT EXISTS { ?c ma:resolution "unresolved" }']
    if must_have:
        needs = " ".join(_iri("capability", c) for c in sorted(must_have))
        filters.append(f"FILTER NOT EXISTS {{ VALUES ?need {{ {needs} }} FILTER NOT EXISTS {{ ?c ma:capability ?need }} }}")
    if exclude_family:
        filters.append(f"FILTER NOT EXISTS {{ {root} ma:family ?fam . ?c ma:family ?fam }}")
    if min_context is not None:
        filters.append(f"FILTER(?ctx >= {int(min_context)})")
    if open_weights:
        filters.append("?c ma:openWeights true .")
    if licenses:
        values = " ".join(_iri("license", s) for s in sorted(licenses))
        filters.append(f"?c ma:license ?lic . VALUES ?lic {{ {values} }}")
    having = "" if must_have else "HAVING(SUM(?strong) > 0)"  # shares a capability or a use case
    return f"""{PREFIXES}SELECT ?c ?num ?den ?ctx ?price WHERE {{
  {{ SELECT ?c (SUM(?x) AS ?num) WHERE {{ SELECT DISTINCT ?c ?k ?f ?x ?strong WHERE {{
      {{ {root} ma:capability ?f . ?c ma:capability ?f . BIND("c" AS ?k) BIND(1.0 AS ?x) BIND(1 AS ?strong) }}
      UNION {{ {root} ma:suitedFor ?f . ?c ma:suitedFor ?f . BIND("u" AS ?k) BIND(2.0 AS ?x) BIND(1 AS ?strong) }}
      UNION {{ {root} ma:inputModality ?f . ?c ma:inputModality ?f . BIND("i" AS ?k) BIND(0.5 AS ?x) BIND(0 AS ?strong) }}
      UNION {{ {root} ma:outputModality ?f . ?c ma:outputModality ?f . BIND("o" AS ?k) BIND(0.5 AS ?x) BIND(0 AS ?strong) }}
  }} }} GROUP BY ?c {having} }}
  ?c mas:weight ?wc . OPTIONAL {{ {root} mas:weight ?wq0 }} BIND(COALESCE(?wq0, 0) AS ?wq)
  OPTIONAL {{ ?c ma:contextWindow ?ctx0 }} BIND(COALESCE(?ctx0, 0) AS ?ctx)
  OPTIONAL {{ ?c mas:tiePrice ?price }}
  BIND(?wq + ?wc - ?num AS ?den)
  BIND(ROUND(?num / ?den * 1000000) AS ?score)
  {" ".join(filters)}
}}
ORDER BY DESC(?score) DESC(?ctx) DESC(BOUND(?price)) ASC(?price) ASC(STR(?c))
LIMIT {int(limit)} OFFSET {int(offset)}"""
