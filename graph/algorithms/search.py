"""Search models, families, providers and routers by id, API id, alias or name.

Score: 1.0 exact id or alias, 0.9 exact name, 0.8 id or name prefix, 0.6 substring of an id, 0.5 of a name;
ties by kind (Model, Family, Provider, Router) then slug. A linear scan (substring matches need every id):
fine for thousands of models; an n-gram index is the next step for 100k.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.knowledge import KnowledgeGraph

__all__ = ["Hit", "search"]

KIND_ORDER = {"Model": 0, "Family": 1, "Provider": 2, "Router": 3}


@dataclass(frozen=True)
class Hit:
    kind: str
    record: object
    matched: str
    score: float


def _score(query: str, ids: list[str], name: str) -> tuple[float, str]:
    best = (0.0, "")
    for ident in ids:
        low = ident.lower()
        score = 1.0 if low == query else 0.8 if low.startswith(query) else 0.6 if query in low else 0.0
        best = max(best, (score, ident))
    low = name.lower()
    score = 0.9 if low == query else 0.8 if low.startswith(query) else 0.5 if query in low else 0.0
    return max(best, (score, name))


def search(kg: KnowledgeGraph, text: str, first: int = 10) -> list[Hit]:
    """Best matches for ``text`` (case-insensitive), at most ``first``."""
    query = text.strip().lower()
    hits = []
    aliases_of = kg.index.aliases_by_target
    for model in kg.models.values():
        ids = [model.slug, *model.api_ids, *model.hf_repos, *(kg.aliases[a].name for a in aliases_of.get(model.slug, ()))]
        ids += [o.route_id for o in kg.index.offerings_by_model.get(model.slug, ())]
        score, matched = _score(query, ids, model.name)
        if score:
            hits.append(Hit("Model", model, matched, score))
    for kind, mapping in (("Family", kg.families), ("Provider", kg.providers), ("Router", kg.routers)):
        for record in mapping.values():
            score, matched = _score(query, [record.slug], record.name)
            if score:
                hits.append(Hit(kind, record, matched, score))
    hits.sort(key=lambda h: (-h.score, KIND_ORDER[h.kind], h.record.slug))
    return hits[:first]
