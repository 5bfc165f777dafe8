"""Families that group lines: which family an imported model belongs to, and a family's versions and lineage.

The rule (``data/families.ttl``): a model of a family's maker whose slug matches one of the family's
``ma:modelPattern`` regular expressions (matched at the start of the slug) belongs to it; a line's match beats its
umbrella's (the deeper family wins), then the longer match, then the family slug. Curated models keep their
curated family; unresolved placeholders get none.

>>> from modelatlas.graph.records import Family
>>> rules = FamilyRules([Family("llama", "Llama", "meta", patterns=("llama",)),
...                      Family("llama-3.1", "Llama 3.1", "meta", parent="llama", patterns=(r"llama-3\\.1(-|$)",))])
>>> rules.family_of("llama-3.1-405b-instruct", "meta"), rules.family_of("llama-4-scout", "meta")
('llama-3.1', 'llama')
>>> rules.family_of("hermes-3-llama-3.1-70b", "nous"), rules.family_of("llama-4-scout", "nous") is None
(None, True)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from modelatlas.graph.algorithms.lineage import Edge, edges_from, edges_to
from modelatlas.graph.errors import DataError
from modelatlas.graph.kinds import ResolutionStatus
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.memo import per_snapshot
from modelatlas.graph.records import Family, Model

__all__ = ["FamilyLineage", "FamilyRules", "ambiguity", "family_lineage", "family_members", "family_named", "lines_of",
           "umbrella_path"]


def _depth(family: Family, families: Mapping[str, Family]) -> int:
    depth, seen, parent = 0, {family.slug}, family.parent
    while parent and parent in families and parent not in seen:
        seen.add(parent)
        depth, parent = depth + 1, families[parent].parent
    return depth


class FamilyRules:
    """The compiled ``ma:modelPattern`` rules of some families, by maker."""

    def __init__(self, families: Iterable[Family]) -> None:
        by_slug = {f.slug: f for f in families}
        self.rules: dict[str, list[tuple[int, re.Pattern[str], str]]] = defaultdict(list)
        for family in by_slug.values():
            for pattern in family.patterns:
                try:
                    compiled = re.compile(pattern, re.IGNORECASE)
                except re.error as exc:
                    raise DataError(f"family:{family.slug} ma:modelPattern {pattern!r}: not a regular expression "
                                    f"({exc})") from None
                self.rules[family.maker].append((_depth(family, by_slug), compiled, family.slug))

    def family_of(self, slug: str, maker: str) -> str | None:
        """The family a model of ``maker`` with ``slug`` belongs to by the rules, or None."""
        best: tuple[int, int, str] | None = None
        for depth, pattern, family in self.rules.get(maker, ()):
            found = pattern.match(slug)
            if found:
                key = (-depth, -found.end(), family)
                if best is None or key < best:
                    best = key
        return best[2] if best else None


def lines_of(kg: KnowledgeGraph, family_slug: str) -> list[Family]:
    """The families whose umbrella is ``family_slug`` (direct children), by name."""
    return sorted((f for f in kg.families.values() if f.parent == family_slug), key=lambda f: (f.name.lower(), f.slug))


def umbrella_path(kg: KnowledgeGraph, family_slug: str) -> list[Family]:
    """The family's umbrellas, nearest first."""
    path: list[Family] = []
    parent = kg.families[family_slug].parent
    while parent and parent in kg.families and all(f.slug != parent for f in path):
        path.append(kg.families[parent])
        parent = kg.families[parent].parent
    return path


def _subtree(kg: KnowledgeGraph, family_slug: str) -> list[str]:
    out, todo = [], [family_slug]
    while todo:
        slug = todo.pop()
        if slug in out:
            continue
        out.append(slug)
        todo += [f.slug for f in lines_of(kg, slug)]
    return out


def _release_key(model: Model) -> tuple[date, str]:
    return (model.release_date or date.max, model.slug)


def family_members(kg: KnowledgeGraph, family_slug: str) -> list[Model]:
    """Every model of the family and of its lines (and theirs), in release order (undated last)."""
    slugs = {s for f in _subtree(kg, family_slug) for s in kg.index.models_by_family.get(f, ())}
    return sorted((kg.models[s] for s in slugs), key=_release_key)


@dataclass(frozen=True)
class FamilyLineage:
    """The lineage edges that leave a family's members (to models inside or outside it), and their models."""

    nodes: tuple[Model, ...]
    edges: tuple[Edge, ...]


def family_lineage(kg: KnowledgeGraph, family_slug: str) -> FamilyLineage:
    """Succession and derivation among and from the family's members: every lineage edge with an end in the family.

    >>> from modelatlas.graph import load_graph
    >>> kg = load_graph(imports=False, cache=False)
    >>> [(e.source, e.target) for e in family_lineage(kg, "mistral-small").edges][:2]
    [('open-mixtral-8x7b', 'mistral-small-2603'), ('mistral-small-2402', 'mistral-small-2409')]
    """
    members = family_members(kg, family_slug)
    inside = {m.slug for m in members}
    edges: dict[tuple[str, str, str, str], Edge] = {}
    for model in members:  # leaving, and arriving (a base model of another family, a predecessor)
        for edge in (*edges_from(kg, model.slug), *edges_to(kg, model.slug)):
            if edge.source in kg.models and edge.target in kg.models:
                edges.setdefault(edge.key, edge)
    slugs = inside | {e.source for e in edges.values()} | {e.target for e in edges.values()}
    nodes = sorted((kg.models[s] for s in slugs), key=_release_key)
    ordered = sorted(edges.values(), key=lambda e: (_release_key(kg.models[e.source]), _release_key(kg.models[e.target]),
                                                    e.key))
    return FamilyLineage(tuple(nodes), tuple(ordered))


def family_named(kg: KnowledgeGraph, ident: str) -> str | None:
    """The family whose slug or name is ``ident`` (case-insensitive; spaces and hyphens alike), or None.

    >>> from modelatlas.graph import load_graph
    >>> kg = load_graph(imports=False, cache=False)
    >>> family_named(kg, "Mistral Small"), family_named(kg, "llama"), family_named(kg, "nope")
    ('mistral-small', 'llama', None)
    """
    names = per_snapshot(kg, "family-names", lambda: {
        **{_key(f.name): f.slug for f in kg.families.values()}, **{_key(f.slug): f.slug for f in kg.families.values()}})
    return names.get(_key(ident))


def _key(text: str) -> str:
    return "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


def ambiguity(kg: KnowledgeGraph, ident: str) -> tuple[str | None, list[str]]:
    """(family, candidate model slugs) when ``ident`` names a family or the start of several versions' slugs
    (``mistral-small`` -> ``mistral-small-2402`` ...), newest first; (None, []) when it names neither.
    Unresolved placeholders are never candidates."""
    family = family_named(kg, ident)
    if family is not None:
        members = [m for m in family_members(kg, family) if m.resolution != ResolutionStatus.UNRESOLVED]
        return family, [m.slug for m in sorted(members, key=_newest_first)]
    key = ident.strip().lower()
    if not key:
        return None, []
    prefixed = [m for m in kg.models.values() if m.resolution != ResolutionStatus.UNRESOLVED
                and any(m.slug.startswith(key + sep) for sep in "-.:@")]
    return None, [m.slug for m in sorted(prefixed, key=_newest_first)] if len(prefixed) > 1 else []


def _newest_first(model: Model) -> tuple[bool, int, str]:
    return (model.release_date is None, -(model.release_date.toordinal() if model.release_date else 0), model.slug)
