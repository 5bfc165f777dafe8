"""Inferred succession: next-version edges proposed from naming and release dates, marked with the rule.

A model's line is its maker plus the words of its normalized id, without version, date and size
(``qwen-2.5-72b`` and ``qwen-3-72b`` share the line ``alibaba-qwen: qwen`` at size 72b). Within a line and size,
models are ordered by version, then id date; each one gets a ``NEXT_VERSION`` edge to the next one when:

* the id has one version number (one or two digits per part) and at most one date, so the order is clear;
* both positions hold exactly one model (no guessing between duplicates);
* release dates, where both are known, do not run backwards;
* neither end already has a curated next-version edge in that direction (curated edges always win), and the
  edge closes no cycle.

Inferred links carry ``inferred_by`` (the rule and the evidence); GraphQL shows ``inferred`` / ``inferredBy``.

>>> from modelatlas.graph.records import Model
>>> from modelatlas.graph.knowledge import KnowledgeGraph
>>> kg = KnowledgeGraph.from_records(version="t", models=[
...     Model("qwen-2.5-72b", "Qwen2.5 72B", "alibaba-qwen", "active", resolution="canonical"),
...     Model("qwen-3-72b", "Qwen3 72B", "alibaba-qwen", "active", resolution="canonical")])
>>> kg2, n = with_inferred_succession(kg)
>>> n, kg2.links[0].source, kg2.links[0].target, kg2.links[0].inferred_by.split(":")[0]
(1, 'qwen-2.5-72b', 'qwen-3-72b', 'same-line-next-version')
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import TypeAlias

import networkx as nx

from modelatlas.graph.kinds import LinkKind, ResolutionStatus
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import LineageLink, Model, Provenance
from modelatlas.graph.resolve.normalize import parse_id, token_kind

__all__ = ["RULE", "Line", "Position", "line_of", "with_inferred_succession"]

RULE = "same-line-next-version"

Line: TypeAlias = tuple[str, tuple[str, ...], tuple[str, ...]]  # (maker, words, sizes)
Position: TypeAlias = tuple[tuple[int, ...], str]  # (version numbers, date or "")


def line_of(model: Model) -> tuple[Line, Position] | None:
    """((maker, words, sizes), (version numbers, date)) of a model, or None when nothing orders it.

    >>> line_of(Model("qwen2.5-72b-instruct", "Qwen2.5 72B", "alibaba-qwen", "active"))
    (('alibaba-qwen', ('qwen',), ('72b',)), ((2, 5), ''))
    """
    tokens = parse_id(model.slug).tokens
    versions = [t for t in tokens if token_kind(t) == "version"]
    dates = [t for t in tokens if token_kind(t) == "date"]
    if not versions and not dates:
        return None
    if len(versions) > 1 or len(dates) > 1:  # "shisa-v2.1-llama-3.3": which number is the version?
        return None
    parts = versions[0].lstrip("v").split(".") if versions else []
    if any(len(p) > 2 or (len(p) > 1 and p.startswith("0")) for p in parts):  # 0613, 07-09: dates, not versions
        return None
    numbers = tuple(int(p) for p in parts)
    words = tuple(t for t in tokens if token_kind(t) == "word")
    sizes = tuple(t for t in tokens if token_kind(t) == "size")
    if not words:
        return None
    return (model.maker, words, sizes), (numbers, dates[-1] if dates else "")


def with_inferred_succession(kg: KnowledgeGraph) -> tuple[KnowledgeGraph, int]:
    """The graph with inferred next-version links added (curated links untouched), and how many were added."""
    lines: dict[Line, dict[Position, list[Model]]] = defaultdict(lambda: defaultdict(list))
    for model in kg.models.values():
        if model.resolution == ResolutionStatus.UNRESOLVED:
            continue
        found = line_of(model)
        if found:
            lines[found[0]][found[1]].append(model)
    curated_next = [l for l in kg.links if l.kind == LinkKind.NEXT_VERSION]
    has_next = {l.source for l in curated_next}
    has_prev = {l.target for l in curated_next}
    order: nx.DiGraph[str] = nx.DiGraph((l.source, l.target) for l in curated_next)
    inferred: list[LineageLink] = []
    for line, positions in sorted(lines.items(), key=lambda kv: str(kv[0])):
        ranked = sorted(positions.items())
        for (pos_a, at_a), (pos_b, at_b) in pairwise(ranked):
            if len(at_a) != 1 or len(at_b) != 1:
                continue
            a, b = at_a[0], at_b[0]
            if a.slug in has_next or b.slug in has_prev:
                continue
            if a.release_date and b.release_date and b.release_date < a.release_date:
                continue
            if b.slug in order and a.slug in order and nx.has_path(order, b.slug, a.slug):
                continue
            order.add_edge(a.slug, b.slug)
            evidence = f"{_show(pos_a)} -> {_show(pos_b)} in line {line[0]}: {'-'.join(line[1])}" + (
                f" {'-'.join(line[2])}" if line[2] else "")
            inferred.append(LineageLink(
                slug=f"{a.slug}--next--{b.slug}--inferred", source=a.slug, target=b.slug, kind=LinkKind.NEXT_VERSION,
                on_date=b.release_date, inferred_by=f"{RULE}: {evidence}",
                provenance=Provenance(comment="inferred from naming and release dates, not from a source"),
            ))
    if not inferred:
        return kg, 0
    return _with_links(kg, inferred), len(inferred)


def _show(position: Position) -> str:
    numbers, day = position
    text = ".".join(map(str, numbers))
    return f"{text} ({day})" if day and text else text or day


def _with_links(kg: KnowledgeGraph, links: list[LineageLink]) -> KnowledgeGraph:
    return KnowledgeGraph.from_records(
        version=kg.version, models=kg.models.values(), families=kg.families.values(),
        organizations=kg.organizations.values(), providers=kg.providers.values(), offerings=kg.offerings.values(),
        routers=kg.routers.values(), licenses=kg.licenses.values(), capabilities=kg.capabilities.values(),
        use_cases=kg.use_cases.values(), sources=kg.sources.values(), aliases=kg.aliases.values(),
        bindings=kg.bindings, links=(*kg.links, *links), claims=kg.claims,
    )
