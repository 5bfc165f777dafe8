"""License rules: the curated license of every model whose own data gives none, and the rule that decided it.

Rules live in ``data/license-rules.ttl`` (``ma:LicenseRule``, checked by ``shapes.ttl``). A rule names a license
and the conditions a model must meet, every given one at once:

* ``ma:appliesToModel``: this very model (an override: it wins over every other rule);
* ``ma:appliesToMaker``: the model's maker slug, e.g. ``"meta"``;
* ``ma:appliesToFamily``: the model's family (a curated ``ma:ModelFamily``);
* ``ma:idPattern``: a regular expression that must match the start of the model's slug or of one of its API ids
  (case-insensitive), e.g. ``"llama-?v?3(\\.|p)3"``;
* ``ma:whenOpenWeights``: ``true``, the catalogs say the weights are published; ``false``, they do not say so
  (false or unknown).

Of the rules that match, an override wins; otherwise the highest ``ma:rulePriority``. Two matching rules of equal
priority that name different licenses leave the license unknown (a conflict, listed by :func:`decide`): a rule set
never picks by file order. A model that already has a license (curated, or from a catalog) keeps it.

Each decision is kept as a claim on the model (``ma:license``, with the rule's source and citation, and the rule's
IRI in its comment), so an answer can say why the license is what it is. When a rule's only condition on the
weights met an unknown value (``whenOpenWeights false`` on a model no catalog says anything about), or the rule
itself is unconfirmed, the claim is marked unconfirmed.

>>> rule = LicenseRule("meta-llama-3-3", "llama-3.3-community", maker="meta", pattern="llama-?v?3(\\\\.|p)3", priority=20)
>>> rule.matches(Model("llama-3.3-70b-anthrobomination", "X", "meta", "active"))
True
>>> rule.matches(Model("llama-3.1-8b", "X", "meta", "active"))
False
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from modelatlas.graph.errors import DataError
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.load import Paths, data_files
from modelatlas.graph.records import Claim, Model, Provenance
from modelatlas.graph.vocab import DCTERMS, MA, RDFS

__all__ = ["RULES_FILE", "Decision", "LicenseRule", "decide", "read_rules", "rules_files", "with_license_rules"]

RULES_FILE = "license-rules.ttl"
RULE_BASE = "https://modelatlas.dev/id/license-rule/"


@dataclass(frozen=True)
class LicenseRule:
    """One rule: a license for the models that meet every given condition (see the module docstring)."""

    slug: str
    license: str
    maker: str | None = None
    family: str | None = None
    pattern: str | None = None
    model: str | None = None  # an override for this one model slug
    when_open_weights: bool | None = None
    priority: int = 0
    provenance: Provenance = field(default_factory=Provenance)

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        return re.compile(self.pattern, re.IGNORECASE) if self.pattern else None

    def matches(self, model: Model) -> bool:
        """True when ``model`` meets every condition of the rule."""
        if self.model is not None and model.slug != self.model:
            return False
        if self.maker is not None and model.maker != self.maker:
            return False
        if self.family is not None and model.family != self.family:
            return False
        if self.when_open_weights is True and model.open_weights is not True:
            return False
        if self.when_open_weights is False and model.open_weights is True:
            return False
        regex = self.regex
        return regex is None or any(regex.match(ident) for ident in (model.slug, *model.api_ids))

    @property
    def override(self) -> bool:
        return self.model is not None


@dataclass(frozen=True)
class Decision:
    """What the rules say for one model: the winning rule, or the tied rules of a conflict."""

    model: str
    rule: LicenseRule | None
    tied: tuple[LicenseRule, ...] = ()

    @property
    def license(self) -> str | None:
        return self.rule.license if self.rule else None


def decide(model: Model, rules: Sequence[LicenseRule]) -> Decision | None:
    """The decision for ``model``: None when no rule matches.

    >>> a = LicenseRule("a", "mit", maker="m", priority=1)
    >>> b = LicenseRule("b", "apache-2.0", maker="m", pattern="x-", priority=5)
    >>> c = LicenseRule("c", "proprietary-api", model="x-2")
    >>> [decide(Model(s, s, "m", "active"), [a, b, c]).license for s in ("y", "x-1", "x-2")]
    ['mit', 'apache-2.0', 'proprietary-api']
    >>> d = decide(Model("x-1", "x", "m", "active"), [b, LicenseRule("e", "mit", pattern="x", priority=5)])
    >>> d.license, [r.slug for r in d.tied]
    (None, ['b', 'e'])
    """
    matching = [r for r in rules if r.matches(model)]
    if not matching:
        return None
    overrides = [r for r in matching if r.override]
    pool = overrides or matching
    top = max(r.priority for r in pool)
    best = sorted((r for r in pool if r.priority == top), key=lambda r: r.slug)
    if len({r.license for r in best}) > 1:
        return Decision(model.slug, None, tuple(best))
    return Decision(model.slug, best[0])


# -------------------------------------------------------------------- reading the rules
def rules_files(paths: Paths = None) -> list[Path]:
    """The ``license-rules.ttl`` files among the data files of ``paths`` (default: the shipped data)."""
    return [p for p in data_files(paths) if p.name == RULES_FILE]


def _slug(node: Node, base: str) -> str:
    text = str(node)
    return text[len(base):] if text.startswith(base) else text.rsplit("/", 1)[-1]


def read_rules(paths: Paths = None) -> list[LicenseRule]:
    """Every license rule of the data files (they were validated with the rest of the data when it loaded).

    Raises DataError for a rule whose pattern is not a regular expression, naming the rule.
    """
    from modelatlas.graph.table import read_table

    files = rules_files(paths)
    if not files:
        return []
    table = read_table(files).dataset
    rules = []
    for node in sorted(table.instances.get(MA.LicenseRule, ()), key=str):
        props = table.props[node]

        def one(pred: URIRef, props: dict[Node, list[Node]] = props) -> Node | None:
            values = props.get(table.interned(pred), ())
            return min(values, key=str) if values else None

        def text(pred: URIRef) -> str | None:
            value = one(pred)
            return str(value) if value is not None else None

        lic, model, family = one(MA.license), one(MA.appliesToModel), one(MA.appliesToFamily)
        weights, priority, unconfirmed = one(MA.whenOpenWeights), one(MA.rulePriority), one(MA.unconfirmed)
        slug = _slug(node, RULE_BASE)
        pattern = text(MA.idPattern)
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise DataError(f"{RULES_FILE}: license rule {slug}: ma:idPattern {pattern!r} is not a regular "
                                f"expression ({exc})") from exc
        if all(x is None for x in (pattern, model, family, one(MA.appliesToMaker))):
            raise DataError(f"{RULES_FILE}: license rule {slug} has no condition (ma:appliesToModel, ma:appliesToMaker, "
                            "ma:appliesToFamily or ma:idPattern): it would decide every model")
        sources = tuple(sorted(_slug(s, "https://modelatlas.dev/id/source/")
                               for s in props.get(table.interned(DCTERMS.source), ())))
        citations = tuple(sorted(str(c) for c in props.get(table.interned(MA.citation), ())))
        comments = [str(c) for c in props.get(table.interned(RDFS.comment), ())]
        rules.append(LicenseRule(
            slug=slug, license=_slug(lic, "https://modelatlas.dev/id/license/") if lic is not None else "",
            maker=text(MA.appliesToMaker), pattern=pattern,
            family=_slug(family, "https://modelatlas.dev/id/family/") if family is not None else None,
            model=_slug(model, "https://modelatlas.dev/id/model/") if model is not None else None,
            when_open_weights=bool(weights.toPython()) if isinstance(weights, Literal) else None,
            priority=int(priority.toPython()) if isinstance(priority, Literal) else 0,
            provenance=Provenance(sources, citations,
                                  unconfirmed=bool(isinstance(unconfirmed, Literal) and unconfirmed.toPython()),
                                  comment="; ".join(sorted(comments)) or None),
        ))
    return rules


# -------------------------------------------------------------------- applying them
def with_license_rules(kg: KnowledgeGraph, rules: Iterable[LicenseRule]) -> tuple[KnowledgeGraph, list[Decision]]:
    """The graph with every license-less model given its rules' license, and every decision made (conflicts too).

    A rule naming a license the graph does not define is skipped (the shapes reject it in the shipped data).
    """
    rules = [r for r in rules if r.license in kg.licenses]
    decisions: list[Decision] = []
    models: dict[str, Model] = dict(kg.models)
    claims: list[Claim] = []
    for model in kg.models.values():
        if model.license:
            continue
        decision = decide(model, rules)
        if decision is None:
            continue
        decisions.append(decision)
        rule = decision.rule
        if rule is None:
            continue
        guessed = rule.when_open_weights is False and model.open_weights is None
        why = (f"license rule {rule.slug}: "
               + ", ".join(part for part in (
                   f"model {rule.model}" if rule.model else "",
                   f"maker {rule.maker}" if rule.maker else "",
                   f"family {rule.family}" if rule.family else "",
                   f"id matches {rule.pattern!r}" if rule.pattern else "",
                   ("weights published" if rule.when_open_weights else "no catalog says the weights are published")
                   if rule.when_open_weights is not None else "",
               ) if part)
               + (f" (priority {rule.priority})" if not rule.override else " (override)"))
        if guessed:
            why += "; the catalogs do not say whether the weights are published"
        if rule.provenance.comment:
            why += f"; {rule.provenance.comment}"
        models[model.slug] = replace(model, license=rule.license)
        claims.append(Claim(
            slug=f"{model.slug}--license--rule-{rule.slug}", subject=f"model:{model.slug}", property="license",
            value=f"license:{rule.license}",
            provenance=replace(rule.provenance, unconfirmed=rule.provenance.unconfirmed or guessed, comment=why),
        ))
    if not claims:
        return kg, decisions
    return rebuilt(kg, models=models.values(), claims=(*kg.claims, *claims)), decisions


def rebuilt(kg: KnowledgeGraph, **parts: object) -> KnowledgeGraph:
    """``kg`` with some of its parts replaced (models, links, claims, ...), indexes rebuilt."""
    current: dict[str, object] = {
        "models": kg.models.values(), "families": kg.families.values(), "organizations": kg.organizations.values(),
        "providers": kg.providers.values(), "offerings": kg.offerings.values(), "routers": kg.routers.values(),
        "licenses": kg.licenses.values(), "capabilities": kg.capabilities.values(),
        "use_cases": kg.use_cases.values(), "sources": kg.sources.values(), "aliases": kg.aliases.values(),
        "bindings": kg.bindings, "links": kg.links, "claims": kg.claims,
    }
    current.update(parts)
    new = KnowledgeGraph.from_records(version=kg.version, **current)  # type: ignore[arg-type]
    return dataclasses.replace(new, changes=kg.changes) if kg.changes else new  # from_records has no change feed
