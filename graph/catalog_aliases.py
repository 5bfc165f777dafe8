"""Moving aliases the catalogs state or imply, as dated alias bindings beside the curated ones.

Two sources, both observations on the catalog's as-of date (``observedOn``; the effective start is the target's
release date, see ``graph.algorithms.aliases``):

* ``litellm-alias-of``: a LiteLLM entry ``{"alias_of": key}`` (``claude-opus-latest`` -> ``claude-opus-5-5``) binds
  the alias to the model the target key's route was placed on. Targets no rule could place are ignored; when the
  providers still disagree, the maker's own API decides, else the alias is left out (a disagreement).
* ``same-release-and-price``: an undated model that two or more dated models of its maker extend (a moving alias,
  ``graph.resolve.spellings.moving_aliases``) binds to the dated model its rows match: the same release date where
  both are known, else the same cheapest price; of several, the newest. These are unconfirmed.

A curated alias of the same name wins: its bindings come from makers' docs. The imported rows of an alias id stay on
their own node (the resolver placed them before); the binding says what that id pointed to.

>>> from modelatlas.graph.records import Model
>>> kg = KnowledgeGraph.from_records(version="t", models=[
...     Model("x", "X", "m", "active", release_date=date(2025, 1, 1), resolution="canonical"),
...     Model("x-2501", "X", "m", "active", release_date=date(2025, 1, 1), resolution="canonical"),
...     Model("x-2406", "X", "m", "active", release_date=date(2024, 6, 1), resolution="canonical")])
>>> [(b.alias, b.target) for b in implied_bindings(kg)[1]]
[('x', 'x-2501')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from modelatlas.graph.importers.rows import CatalogSnapshot
from modelatlas.graph.kinds import ResolutionStatus
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import Alias, AliasBinding, Provenance
from modelatlas.graph.resolve.normalize import slugify
from modelatlas.graph.resolve.spellings import moving_aliases
from modelatlas.graph.resolve.tables import IdentityTables

__all__ = ["alias_of_bindings", "catalog_aliases", "implied_bindings", "with_catalog_aliases"]

LITELLM_RULE = "litellm-alias-of"
IMPLIED_RULE = "same-release-and-price"


def _alias_name(route_id: str) -> str:
    return route_id.rsplit("/", 1)[-1].strip().lower()


def alias_of_bindings(kg: KnowledgeGraph, snapshots: Sequence[CatalogSnapshot], tables: IdentityTables,
                      ) -> tuple[list[Alias], list[AliasBinding], list[str]]:
    """Aliases and bindings from LiteLLM's ``alias_of`` entries, and the aliases left out (providers disagree)."""
    model_of = {(o.provider, o.route_id.lower()): o.model for o in kg.offerings.values()}
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # alias -> target -> citations
    by_maker_api: dict[str, set[str]] = defaultdict(set)
    as_of: dict[str, date] = {}
    for snap in snapshots:
        for row in snap.rows:
            if not row.alias_of:
                continue
            provider = tables.provider_slug(snap.source, row.provider_id)
            target = model_of.get((provider, row.alias_of.lower()))
            if target is None or target not in kg.models or kg.models[target].resolution == ResolutionStatus.UNRESOLVED:
                continue
            name = _alias_name(row.route_id)
            if provider in tables.maker_apis:
                by_maker_api[name].add(target)
            seen[name][target].append(f"{snap.source}:{row.provider_id}/{row.route_id} alias_of {row.alias_of}")
            as_of[name] = max(as_of.get(name, snap.as_of), snap.as_of)
    aliases: list[Alias] = []
    bindings: list[AliasBinding] = []
    disagree: list[str] = []
    for name, targets in sorted(seen.items()):
        if len(targets) > 1 and len(by_maker_api[name]) == 1:
            targets = {t: c for t, c in targets.items() if t in by_maker_api[name]}
        if len(targets) > 1:
            disagree.append(f"{name}: {', '.join(sorted(targets))}")
            continue
        target, citations = next(iter(targets.items()))
        slug = slugify(name)
        aliases.append(Alias(slug, name, kg.models[target].maker))
        bindings.append(AliasBinding(
            f"{slug}--alias--{target}--{LITELLM_RULE}", slug, target, observed_on=as_of[name],
            provenance=Provenance(("litellm-import",), tuple(sorted(citations)), as_of=as_of[name],
                                  comment=f"{LITELLM_RULE}: LiteLLM names {name} an alias of the route placed on {target}")))
    return aliases, bindings, disagree


def implied_bindings(kg: KnowledgeGraph) -> tuple[list[Alias], list[AliasBinding]]:
    """Bindings of undated moving-alias models to the one dated model with the same release date and price."""
    from modelatlas.graph.resolve.spellings import _spelling

    by_line: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for model in kg.models.values():
        words, sizes, _ = _spelling(model.slug)
        by_line[(model.maker, words, sizes)].append(model.slug)
    aliases: list[Alias] = []
    bindings: list[AliasBinding] = []
    aliased = set(moving_aliases(kg))
    for slug in sorted(aliased):
        undated = kg.models[slug]
        if undated.resolution is None:
            continue  # a curated model is one version by its curation, not an alias
        words, sizes, versions = _spelling(slug)
        price = _cheapest(kg, slug)
        if undated.release_date is None and price is None:
            continue
        dated = [s for s in by_line[(undated.maker, words, sizes)] if s != slug and s not in aliased
                 and _spelling(s)[2][: len(versions)] == versions and kg.models[s].resolution != ResolutionStatus.UNRESOLVED]
        same = [s for s in dated if undated.release_date and kg.models[s].release_date == undated.release_date]
        if not same and price is not None:
            same = [s for s in dated if _cheapest(kg, s) == price
                    and not (undated.release_date and kg.models[s].release_date
                             and kg.models[s].release_date != undated.release_date)]
        if not same:
            continue
        target = max(same, key=lambda s: (kg.models[s].release_date or date.min, s))
        seen = max((o.provenance.as_of for o in kg.offerings_of(slug) if o.provenance.as_of), default=None)
        aliases.append(Alias(slug, slug, undated.maker))
        bindings.append(AliasBinding(
            f"{slug}--alias--{target}--{IMPLIED_RULE}", slug, target, observed_on=seen,
            provenance=Provenance(("models-dev-import",), (f"rows of {slug} and {target}",), as_of=seen, unconfirmed=True,
                                  comment=f"{IMPLIED_RULE}: the undated id's rows state the "
                                          + ("release date" if undated.release_date and undated.release_date ==
                                             kg.models[target].release_date else "cheapest price")
                                          + f" of {target}")))
    return aliases, bindings


def _cheapest(kg: KnowledgeGraph, slug: str) -> tuple[object, object] | None:
    offer = next(iter(kg.offerings_of(slug)), None)
    return (offer.input_price, offer.output_price) if offer and offer.input_price is not None else None


def catalog_aliases(kg: KnowledgeGraph, snapshots: Sequence[CatalogSnapshot], tables: IdentityTables,
                    ) -> tuple[list[Alias], list[AliasBinding], list[str]]:
    """Every catalog alias not curated, with its bindings, and the LiteLLM aliases left out."""
    curated = {a.name.lower() for a in kg.aliases.values()}
    stated, stated_bindings, disagree = alias_of_bindings(kg, snapshots, tables)
    implied, implied_b = implied_bindings(kg)
    aliases: dict[str, Alias] = {}
    bindings: list[AliasBinding] = []
    for alias_list, binding_list in ((stated, stated_bindings), (implied, implied_b)):
        names = {a.slug: a for a in alias_list}
        for binding in binding_list:
            alias = names[binding.alias]
            if alias.name.lower() in curated or alias.slug in aliases:
                continue  # curated first, then LiteLLM's statement, then the implication
            aliases[alias.slug] = alias
            bindings.append(binding)
    return list(aliases.values()), bindings, disagree


def with_catalog_aliases(kg: KnowledgeGraph, snapshots: Sequence[CatalogSnapshot],
                         tables: IdentityTables | None = None) -> tuple[KnowledgeGraph, int]:
    """The graph with the catalogs' aliases added, and how many."""
    from modelatlas.graph.licensing import rebuilt

    aliases, bindings, _ = catalog_aliases(kg, snapshots, tables or IdentityTables.load())
    if not aliases:
        return kg, 0
    taken = set(kg.aliases)
    new: Iterable[Alias] = [a for a in aliases if a.slug not in taken]
    kept = {a.slug for a in new}
    return rebuilt(kg, aliases=(*kg.aliases.values(), *new),
                   bindings=(*kg.bindings, *(b for b in bindings if b.alias in kept))), len(kept)
