"""How true the served graph is: identity against a labelled gold set, duplicates, majority disagreement, reach.

The gold set (``data/gold/identity.tsv``) labels imported rows ``(provider, route id)`` with the model they
really serve: ``curated:<slug>``, ``model:<identity>`` (a stable name of our own for a model the curated data
lacks) or ``none`` (not one model). Identity is scored as entity resolution is: B-cubed precision and recall
(Bagga & Baldwin 1998) of the graph's placement of those rows against the labels, so importer-made node names
do not matter, only which rows share a node.

>>> gold = [GoldRow("p", "a", "model:x", "tune"), GoldRow("p", "b", "model:x", "tune"), GoldRow("q", "c", "model:y", "tune")]
>>> score = identity_score(gold, {("p", "a"): "n1", ("p", "b"): "n1", ("q", "c"): "n1"})
>>> round(score.precision, 3), score.recall
(0.556, 1.0)
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from modelatlas.graph.errors import DataError
from modelatlas.graph.importers.fold import base_route_id
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import Model
from modelatlas.graph.resolve.spellings import duplicate_pairs, moving_aliases

__all__ = [
    "Coverage", "Disagreement", "Evaluation", "GoldRow", "IdentityScore", "coverage", "evaluate", "gold_file",
    "gold_files", "identity_score", "placements", "read_gold",
]

GOLD_COLUMNS = ("provider", "route_id", "label", "split", "note")
SPLITS = ("tune", "holdout", "fresh")  # fresh: labelled after the rules were written, never used to tune them
#: Model facts whose current value is compared with the majority of independent claims.
MAJORITY_FIELDS = ("releaseDate", "openWeights")


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One labelled row: the provider's route id and the model it truly serves."""

    provider: str
    route_id: str
    label: str  # curated:<slug> | model:<identity> | none
    split: str  # tune | holdout
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.provider, self.route_id.lower())

    @property
    def curated(self) -> str | None:
        """The curated slug the label names, else None."""
        return self.label.removeprefix("curated:") if self.label.startswith("curated:") else None


def gold_file(data_dir: Path) -> Path:
    return data_dir / "gold" / "identity.tsv"


def gold_files(data_dir: Path) -> list[Path]:
    """Every gold set of the data directory: ``identity.tsv`` and, where present, ``identity-fresh.tsv``."""
    return [p for p in (data_dir / "gold" / "identity.tsv", data_dir / "gold" / "identity-fresh.tsv") if p.exists()]


def read_gold(path: Path) -> list[GoldRow]:
    """The gold rows of a TSV with the columns ``provider route_id label split note``; errors name file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read the gold set ({exc.strerror})") from exc
    reader = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None or tuple(header[: len(GOLD_COLUMNS)]) != GOLD_COLUMNS:
        raise DataError(f"{path}:1: the header must be {' '.join(GOLD_COLUMNS)} (tab-separated)")
    rows: list[GoldRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in enumerate(reader, start=2):
        if not cells or not "".join(cells).strip():
            continue
        if len(cells) < 4:
            raise DataError(f"{path}:{line}: expected {len(GOLD_COLUMNS)} tab-separated columns, found {len(cells)}")
        row = GoldRow(cells[0].strip(), cells[1].strip(), cells[2].strip(), cells[3].strip(),
                      cells[4].strip() if len(cells) > 4 else "")
        if not row.provider or not row.route_id:
            raise DataError(f"{path}:{line}: provider and route_id must not be empty")
        if not (row.label == "none" or row.label.startswith(("curated:", "model:"))) or row.label.endswith(":"):
            raise DataError(f"{path}:{line}: label {row.label!r} must be curated:<slug>, model:<identity> or none")
        if row.split not in SPLITS:
            raise DataError(f"{path}:{line}: split {row.split!r} must be one of {', '.join(SPLITS)}")
        if row.key in seen:
            raise DataError(f"{path}:{line}: {row.provider} {row.route_id} is labelled twice (first on line {seen[row.key]})")
        seen[row.key] = line
        rows.append(row)
    return rows


def placements(kg: KnowledgeGraph) -> dict[tuple[str, str], str]:
    """``(provider, lowercased route id) -> model slug`` for every route of the graph (a folded tier id such as
    ``m:batch`` is looked up as its base route ``m``)."""
    placed: dict[tuple[str, str], str] = {}
    for offering in kg.offerings.values():
        placed[(offering.provider, offering.route_id.lower())] = offering.model
    return placed


@dataclass(frozen=True, slots=True)
class IdentityScore:
    """B-cubed precision and recall over gold rows, and the rows on a wrong curated model."""

    rows: int
    precision: float
    recall: float
    missing: int = 0  # gold rows with no route in the graph (each counted as a node of its own)
    wrong_curated: tuple[tuple[str, str, str, str], ...] = ()  # (provider, route id, placed on, label)


def identity_score(gold: Sequence[GoldRow], placed: Mapping[tuple[str, str], str],
                   curated: frozenset[str] = frozenset()) -> IdentityScore:
    """B-cubed scores of ``placed`` against the gold labels (``none`` rows are each a class of their own);
    rows placed on one of the ``curated`` slugs that their label does not name are listed as wrong."""
    if not gold:
        return IdentityScore(0, 1.0, 1.0)
    node_of: dict[tuple[str, str], str] = {}
    missing = 0
    for row in gold:
        base = base_route_id(row.route_id)
        node = placed.get(row.key) or (placed.get((row.provider, base.lower())) if base else None)
        if node is None:
            missing += 1
            node = f"\0missing:{row.provider}/{row.route_id}"
        node_of[row.key] = node
    label_of = {row.key: (row.label if row.label != "none" else f"\0none:{row.provider}/{row.route_id}") for row in gold}
    by_node: dict[str, Counter[str]] = defaultdict(Counter)
    by_label: Counter[str] = Counter()
    pair: Counter[tuple[str, str]] = Counter()
    for key, node in node_of.items():
        by_node[node][label_of[key]] += 1
        by_label[label_of[key]] += 1
        pair[(node, label_of[key])] += 1
    precision = recall = 0.0
    for key, node in node_of.items():
        shared = pair[(node, label_of[key])]
        precision += shared / sum(by_node[node].values())
        recall += shared / by_label[label_of[key]]
    wrong = tuple(
        (row.provider, row.route_id, placed[row.key], row.label)
        for row in gold
        if row.key in placed and placed[row.key] in curated and row.curated != placed[row.key]
    )
    return IdentityScore(len(gold), precision / len(gold), recall / len(gold), missing, wrong)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A fact whose current value is not the value most independent sources give."""

    model: str
    field: str
    current: object
    majority: object
    votes: str  # e.g. "2025-01-20 x11, 2025-05-28 x1"


@dataclass(frozen=True)
class Evaluation:
    """Everything ``modelatlas eval`` prints."""

    identity: dict[str, IdentityScore]
    duplicate_pairs: list[tuple[str, str]]
    disagreements: dict[str, list[Disagreement]]
    compared: dict[str, int]
    unreached: list[str]
    batch_routes: list[str]
    aliases: list[str]
    models: int
    curated_models: int
    extra: dict[str, int] = field(default_factory=dict)
    coverage: Coverage | None = None


@dataclass(frozen=True)
class Coverage:
    """How many of the questions the facts can answer (issue 17's targets)."""

    top_makers: tuple[tuple[str, int, int, int], ...]  # (maker, models, license known, of which by an unconfirmed claim)
    moving_aliases: int
    alias_makers: tuple[str, ...]
    deprecated: int
    deprecated_linked: int
    deprecated_unlinked: tuple[str, ...]
    derived_from: int
    derived_inferred: int
    curated: int
    curated_with_capabilities: int

    @property
    def license_share(self) -> float:
        models = sum(m for _, m, _, _ in self.top_makers)
        return sum(k for _, _, k, _ in self.top_makers) / models if models else 1.0

    @property
    def linked_share(self) -> float:
        return self.deprecated_linked / self.deprecated if self.deprecated else 1.0


def _maker_deprecated(kg: KnowledgeGraph, model: Model, day: date) -> bool:
    """Deprecated or retired by its maker: curated so, or so on the maker's own API (a host's free tier ending, or a
    marketplace dropping a route, is not the maker deprecating the model)."""
    from modelatlas.graph.kinds import Status
    from modelatlas.graph.knowledge import route_status

    if model.resolution is None:
        return True
    for offering in kg.offerings_of(model.slug):
        provider = kg.providers.get(offering.provider)
        if provider is not None and provider.kind == "maker_api" and route_status(offering, model, provider, day) in (
                Status.DEPRECATED, Status.RETIRED):
            return True
    return False


def coverage(kg: KnowledgeGraph, today: date | None = None, makers: int = 15) -> Coverage:
    """The coverage figures: licenses known for the models of the ``makers`` largest makers (the unknown maker
    apart), moving aliases with dated bindings and their makers, models their maker has deprecated or retired (curated
    so, or so on the maker's own API) with a replacement or next-version link, DERIVED_FROM edges, curated models with
    capabilities.

    >>> from modelatlas.graph import load_graph
    >>> c = coverage(load_graph(imports=False, cache=False))
    >>> c.curated == c.curated_with_capabilities + (c.curated - c.curated_with_capabilities), c.derived_from >= 3
    (True, True)
    """
    from modelatlas.graph.kinds import LinkKind, Status
    from modelatlas.graph.knowledge import effective_status

    day = today or date.today()
    by_maker: dict[str, list[str]] = defaultdict(list)
    for model in kg.models.values():
        if model.maker and model.maker != "unknown":
            by_maker[model.maker].append(model.slug)
    largest = sorted(by_maker.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:makers]
    unconfirmed = {c.subject.removeprefix("model:") for c in kg.claims
                   if c.property == "license" and c.provenance.unconfirmed}
    rows = tuple((maker, len(slugs), sum(1 for s in slugs if kg.models[s].license),
                  sum(1 for s in slugs if kg.models[s].license and s in unconfirmed)) for maker, slugs in largest)
    bound = {b.alias for b in kg.bindings}
    alias_makers = sorted({kg.models[b.target].maker for b in kg.bindings if b.target in kg.models})
    linked = {l.source for l in kg.links if l.kind in (LinkKind.RECOMMENDED_REPLACEMENT, LinkKind.NEXT_VERSION)}
    deprecated = sorted(m.slug for m in kg.models.values()
                        if effective_status(m, day) in (Status.DEPRECATED, Status.RETIRED) and _maker_deprecated(kg, m, day))
    derived = [l for l in kg.links if l.kind == LinkKind.DERIVED_FROM]
    curated = [m for m in kg.models.values() if m.resolution is None]
    return Coverage(
        top_makers=rows, moving_aliases=len(bound), alias_makers=tuple(alias_makers), deprecated=len(deprecated),
        deprecated_linked=sum(1 for s in deprecated if s in linked),
        deprecated_unlinked=tuple(s for s in deprecated if s not in linked),
        derived_from=len(derived), derived_inferred=sum(1 for l in derived if l.inferred_by),
        curated=len(curated), curated_with_capabilities=sum(1 for m in curated if m.capabilities),
    )


def _independent_votes(kg: KnowledgeGraph, subject: str, prop: str) -> Counter[object]:
    """One vote per independent source (catalog + provider of the row) for each value claimed."""
    voters: dict[str, object] = {}
    for claim in kg.index.claims_by_subject.get(subject, ()):
        if claim.property != prop or claim.rejected or claim.value is None:
            continue
        who = claim.provenance.citations[0].split("/", 1)[0] if claim.provenance.citations else claim.slug
        voters.setdefault(who, claim.value)
    return Counter(voters.values())


def majority_disagreements(kg: KnowledgeGraph, fields: Iterable[str] = MAJORITY_FIELDS) -> tuple[dict[str, list[Disagreement]], dict[str, int]]:
    """Imported models whose current value differs from a strict majority of at least 3 independent claims."""
    attr = {"releaseDate": "release_date", "openWeights": "open_weights"}
    out: dict[str, list[Disagreement]] = {f: [] for f in fields}
    compared: dict[str, int] = dict.fromkeys(fields, 0)
    for model in kg.models.values():
        if model.resolution is None:
            continue  # curated: its value is the curated one by rule
        for prop in fields:
            votes = _independent_votes(kg, f"model:{model.slug}", prop)
            if sum(votes.values()) < 3:
                continue
            compared[prop] += 1
            top, count = votes.most_common(1)[0]
            if count * 2 <= sum(votes.values()):
                continue  # no strict majority
            current = getattr(model, attr[prop])
            if current != top:
                text = ", ".join(f"{v} x{n}" for v, n in votes.most_common())
                out[prop].append(Disagreement(model.slug, prop, current, top, text))
    return out, compared


def evaluate(kg: KnowledgeGraph, gold: Sequence[GoldRow], today: date | None = None) -> Evaluation:
    """Score ``kg`` on ``gold`` (per split and overall) and measure duplicates, disagreement and reach."""
    curated = frozenset(slug for slug, m in kg.models.items() if m.resolution is None)
    placed = placements(kg)
    identity = {split: identity_score([g for g in gold if g.split == split], placed, curated)
                for split in SPLITS if any(g.split == split for g in gold)}
    identity["all"] = identity_score(gold, placed, curated)
    disagreements, compared = majority_disagreements(kg)
    unreached = sorted(slug for slug in kg.models if not kg.routers_reaching(slug))
    batch = sorted(o.slug for o in kg.offerings.values() if o.route_id.lower().endswith((":batch", "-batch")))
    return Evaluation(identity, duplicate_pairs(kg), disagreements, compared, unreached, batch, moving_aliases(kg),
                      len(kg.models), len(curated), coverage=coverage(kg, today))
