"""Migration paths from a model to its successors, with per-step checks.

Destinations, when no target is given: the maker's recommended replacement valid today, and the newest live
successors along next-version (and positioned-successor) links. When none is reachable under the constraints,
the best live alternatives (``graph.algorithms.alternatives``) are offered as one-step ALTERNATIVE paths.

Paths walk lineage edges (next version, recommended replacement valid today, positioned successor) whose every
step target satisfies the constraints. The score of a path, higher is better:
  base  1.0 recommended replacement valid today | 0.8 successor by lineage | 0.5 × similarity for an alternative
  minus 0.05 per step beyond the first, 0.05 per capability lost, 0.1 if commercial use or open weights is lost.
Ties go to fewer steps, then the target's slug.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Final

import networkx as nx

from modelatlas.graph.algorithms.alternatives import alternatives
from modelatlas.graph.algorithms.compare import Checks, migration_checks
from modelatlas.graph.algorithms.filters import NO_CONSTRAINTS, Constraints, satisfies
from modelatlas.graph.algorithms.lineage import MAX_DEPTH
from modelatlas.graph.errors import NotFoundError
from modelatlas.graph.kinds import LinkKind, Status
from modelatlas.graph.knowledge import KnowledgeGraph, effective_status
from modelatlas.graph.records import Model

__all__ = ["MigrationPath", "MigrationStep", "current_replacement", "migration_paths"]

STEP_KINDS: Final = (LinkKind.NEXT_VERSION, LinkKind.RECOMMENDED_REPLACEMENT, LinkKind.POSITIONED_SUCCESSOR)
ALTERNATIVE: Final = "ALTERNATIVE"  # the kind of a one-step path to a model outside the lineage


@dataclass(frozen=True)
class MigrationStep:
    source: Model
    target: Model
    kind: str
    checks: Checks


@dataclass(frozen=True)
class MigrationPath:
    score: float
    target: Model
    steps: tuple[MigrationStep, ...]


def current_replacement(kg: KnowledgeGraph, model_slug: str, today: date) -> Model | None:
    """The maker's recommended replacement valid on ``today`` (not provider-scoped), or None.

    A replacement that is itself retired on ``today`` is never the answer: its own current replacement is followed
    instead (2409 -> 2506, retired -> 2603), and with none, there is no answer.
    """
    seen = {model_slug}
    slug: str | None = model_slug
    while slug is not None:
        links = [l for l in kg.index.links_from.get(slug, ())
                 if l.kind == LinkKind.RECOMMENDED_REPLACEMENT and l.scope is None and l.valid_on(today)
                 and l.target in kg.models and l.target not in seen]
        if not links:
            return None
        links.sort(key=lambda l: (l.valid_from or date.min, l.provenance.unconfirmed is False, l.slug), reverse=True)
        target = kg.models[links[0].target]
        if effective_status(target, today) != Status.RETIRED:
            return target
        seen.add(target.slug)
        slug = target.slug
    return None


def _step_graph(kg: KnowledgeGraph, start: str, c: Constraints, today: date) -> nx.DiGraph[str]:
    """Lineage steps reachable from ``start`` whose targets satisfy the constraints (liveness aside)."""
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_node(start)
    todo, seen = [start], {start}
    while todo:
        slug = todo.pop()
        for link in kg.index.links_from.get(slug, ()):
            if link.kind not in STEP_KINDS or link.target not in kg.models or link.target == start:
                continue
            if link.kind == LinkKind.RECOMMENDED_REPLACEMENT and (not link.valid_on(today) or link.scope is not None):
                continue
            if not satisfies(kg, kg.models[link.target], c, today, check_live=False):
                continue
            if not g.has_edge(slug, link.target) or link.kind == LinkKind.RECOMMENDED_REPLACEMENT:
                g.add_edge(slug, link.target, kind=link.kind)
            if link.target not in seen:
                seen.add(link.target)
                todo.append(link.target)
    return g


def _score(base: float, steps: list[MigrationStep]) -> float:
    score = base - 0.05 * (len(steps) - 1)
    for step in steps:
        score -= 0.05 * len(step.checks.capabilities_lost)
        if step.checks.loses_commercial_use or step.checks.loses_open_weights:
            score -= 0.1
    return round(score, 6)


def migration_paths(
    kg: KnowledgeGraph,
    from_slug: str,
    to_slug: str | None = None,
    constraints: Constraints = NO_CONSTRAINTS,
    *,
    today: date,
    first: int = 5,
) -> list[MigrationPath]:
    """Ranked migration paths from ``from_slug`` (to ``to_slug`` when given); an empty list when none fits.

    Raises NotFoundError for an unknown model.
    """
    if from_slug not in kg.models:
        raise NotFoundError("model", from_slug)
    if to_slug is not None and to_slug not in kg.models:
        raise NotFoundError("model", to_slug)
    source = kg.models[from_slug]
    max_steps = min(constraints.max_steps or MAX_DEPTH, MAX_DEPTH)
    steps_graph = _step_graph(kg, from_slug, constraints, today)
    replacement = current_replacement(kg, from_slug, today)

    if to_slug is not None:
        destinations = {to_slug: 1.0 if replacement and replacement.slug == to_slug else 0.8}
    else:
        destinations = {}
        reachable = nx.descendants(steps_graph, from_slug)
        if replacement and replacement.slug in reachable:
            destinations[replacement.slug] = 1.0
        live = [kg.models[s] for s in reachable if effective_status(kg.models[s], today) == Status.ACTIVE]
        newest = sorted(live, key=lambda m: (m.release_date or date.min, m.slug), reverse=True)
        for model in newest:
            destinations.setdefault(model.slug, 0.8)

    paths: list[MigrationPath] = []
    for target_slug, base in destinations.items():
        target = kg.models[target_slug]
        if not satisfies(kg, target, constraints, today, check_live=to_slug is None):
            continue
        if target_slug not in steps_graph or not nx.has_path(steps_graph, from_slug, target_slug):
            if to_slug is not None:  # a target outside the lineage: one direct step
                steps = [MigrationStep(source, target, ALTERNATIVE, migration_checks(kg, source, target, today))]
                paths.append(MigrationPath(_score(0.5, steps), target, tuple(steps)))
            continue
        for nodes in _shortest_paths(steps_graph, from_slug, target_slug, max_steps):
            steps = [
                MigrationStep(kg.models[a], kg.models[b], steps_graph.edges[a, b]["kind"],
                              migration_checks(kg, kg.models[a], kg.models[b], today))
                for a, b in pairwise(nodes)
            ]
            paths.append(MigrationPath(_score(base, steps), target, tuple(steps)))

    if not paths and to_slug is None:
        for alt in alternatives(kg, from_slug, constraints, today=today, first=first, include_same_family=True):
            steps = [MigrationStep(source, alt.model, ALTERNATIVE, migration_checks(kg, source, alt.model, today))]
            paths.append(MigrationPath(_score(0.5 * alt.score, steps), alt.model, tuple(steps)))

    paths.sort(key=lambda p: (-p.score, len(p.steps), p.target.slug, tuple(s.target.slug for s in p.steps)))
    return paths[:first]


def _shortest_paths(g: nx.DiGraph[str], a: str, b: str, max_steps: int) -> list[list[str]]:
    """The first shortest path from ``a`` to ``b`` (a path must exist), unless it is longer than ``max_steps``."""
    nodes = next(nx.all_shortest_paths(g, a, b))
    return [nodes] if len(nodes) - 1 <= max_steps else []
