"""Resolve a provider's model id to one canonical model, and say which rule matched.

Rules, tried in order (the first that gives exactly one model wins; a rule that finds two models stops the search):

1. ``not-a-model``: routers' meta ids (``openrouter/auto``) are never models.
2. ``curated-id``: the normalized id equals a curated model's slug, API id, Hugging Face repo, name
   (``Mistral Small 3.1 (v25.03)`` -> ``mistral-small-3.1-2503``) or curated route id.
3. ``alias-table``: a hand-pinned alias in ``data/identity.toml``.
4. ``alias-binding``: a curated moving alias (``mistral-small-latest``, or a row named "... (latest)"),
   resolved on the row's as-of date.
5. ``maker-family-version-date``: the id without its size, or without its version when it carries a date
   (``mistral-small-3.2-24b-2506`` -> ``mistral-small-2506``), against curated ids with the same relaxation;
   the dropped parts must not contradict the model (another date, another version, a size that is not its parameters).
6. ``canonical``: no curated model, but the maker is known (a known owner segment, vendor prefix, first word, the
   provider being the maker's API, else an unknown owner segment taken as a Hugging Face-style organization):
   the row goes to the importer's node for that maker and normalized id, shared by every provider's row of it.
7. ``unresolved``: no maker, or an id that names several models (a family without a version, an unbound alias).

>>> from modelatlas.graph import load_graph
>>> r = Resolver.from_graph(load_graph(imports=False, cache=False))
>>> r.resolve("@cf/mistralai/mistral-small-3.1-24b-instruct").model
'mistral-small-2503'
>>> r.resolve("mistral-small").status
<ResolutionStatus.UNRESOLVED: 'unresolved'>
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from modelatlas.graph.kinds import ResolutionStatus
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.resolve.normalize import (
    ParsedId,
    TokenKind,
    parse_id,
    parse_name,
    slugify,
    token_kind,
)
from modelatlas.graph.resolve.spellings import group_key
from modelatlas.graph.resolve.tables import IdentityTables

__all__ = ["Resolution", "Resolver"]

# The old names of the statuses, still imported by graph.importers.merge: new code uses ResolutionStatus.
CURATED, CANONICAL, UNRESOLVED = ResolutionStatus.CURATED, ResolutionStatus.CANONICAL, ResolutionStatus.UNRESOLVED


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where one id goes: a curated model, an importer-made canonical node, or an unresolved node."""

    raw: str
    status: ResolutionStatus
    model: str | None  # curated slug; None for canonical / unresolved (the importer names those nodes)
    rule: str
    detail: str
    maker: str | None
    key: str  # the normalized id

    @property
    def resolved(self) -> bool:
        return self.status != ResolutionStatus.UNRESOLVED


class _One(NamedTuple):
    """An index names exactly one consistent model: its slug, and how the id was indexed for it."""

    slug: str
    how: str


class _Many(NamedTuple):
    """An index names several consistent models: the id is ambiguous."""

    slugs: list[str]


def _relaxed(parsed: ParsedId) -> list[tuple[str, tuple[str, ...]]]:
    """Relaxed forms of an id: (what was dropped, tokens), strictest first."""
    tokens = parsed.tokens
    has_date = any(token_kind(t) == "date" for t in tokens)
    forms = [("size", tuple(t for t in tokens if token_kind(t) != "size"))]
    if "latest" in tokens or any(token_kind(t) == "revision" for t in tokens):  # claude-3.5-haiku-latest, -001
        forms.insert(0, ("moving or revision suffix", tuple(t for t in tokens if t != "latest" and token_kind(t) != "revision")))
    if has_date:
        forms.append(("version", tuple(t for t in tokens if token_kind(t) != "version")))
        forms.append(("size and version", tuple(t for t in tokens if token_kind(t) not in ("size", "version"))))
    return [(what, form) for what, form in forms if form != tokens and form]


def _total_size(token: str) -> Decimal | None:
    """Billions of parameters a size token states: ``24b`` -> 24, ``8x22b`` -> 176; None for ``a3b`` or ``500m``.

    >>> _total_size("8x22b"), _total_size("24b"), _total_size("a3b")
    (Decimal('176'), Decimal('24'), None)
    """
    if not token.endswith("b") or token.startswith(("a", "e")):
        return None
    if "x" in token:
        experts, size = token[:-1].split("x", 1)
        return Decimal(experts) * Decimal(size)
    return Decimal(token[:-1])


ADDED_V = "version written without its v"  # the one reading that adds a token: a curated spelling's


def version_readings(parsed: ParsedId) -> list[tuple[str, ParsedId]]:
    """Other readings of the id's version, with why: its one two-digit version read as ``X.Y`` (``qwen-25-72b`` ->
    ``qwen-2.5-72b``), a version written with a ``v`` read without it (``llama-v3.1-8b`` -> ``llama-3.1-8b``, as
    Fireworks writes Meta's and Qwen's versions), or a first version without its ``v`` read with it (``deepseek-3.2``
    -> ``deepseek-v3.2``). Used only where the reading names a model that exists.

    >>> [(why, p.key) for why, p in version_readings(parse_id("qwen-25-vl-72b"))]
    [('version without its dot', 'qwen-2.5-vl-72b')]
    >>> [(why, p.key) for why, p in version_readings(parse_id("accounts/fireworks/models/llama-v3p1-8b-instruct"))]
    [('version written with a v', 'llama-3.1-8b')]
    >>> [(why, p.key) for why, p in version_readings(parse_id("deepseek-3.2"))]
    [('version written without its v', 'deepseek-v3.2')]
    """
    readings = []
    versions = [i for i, t in enumerate(parsed.tokens) if token_kind(t) == "version" and len(t) == 2 and t.isdigit()
                and t[0] != "0"]
    if len(versions) == 1:
        i = versions[0]
        token = parsed.tokens[i]
        readings.append(("version without its dot",
                         replace(parsed, tokens=(*parsed.tokens[:i], f"{token[0]}.{token[1]}", *parsed.tokens[i + 1:]))))
    if any(token_kind(t) == "version" and t.startswith("v") for t in parsed.tokens[1:]):
        tokens = tuple(t[1:] if i and token_kind(t) == "version" and t.startswith("v") else t
                       for i, t in enumerate(parsed.tokens))
        readings.append(("version written with a v", replace(parsed, tokens=tokens)))
    elif not readings and len(parsed.tokens) > 1 and token_kind(parsed.tokens[1]) == "version" \
            and token_kind(parsed.tokens[0]) == "word":
        tokens = (parsed.tokens[0], "v" + parsed.tokens[1], *parsed.tokens[2:])  # deepseek-3.2 -> deepseek-v3.2
        readings.append((ADDED_V, replace(parsed, tokens=tokens)))
    return readings


class Resolver:
    """An index of the curated models' identifiers plus the identity tables; see the module docstring."""

    def __init__(self, kg: KnowledgeGraph, tables: IdentityTables) -> None:
        self.kg = kg
        self.tables = tables
        self.exact: dict[str, dict[str, str]] = defaultdict(dict)  # key -> {model slug: how it was indexed}
        self.relaxed: dict[str, dict[str, str]] = defaultdict(dict)
        self.tokens_of: dict[str, set[str]] = defaultdict(set)
        self.routes: dict[tuple[str, str], _One] = {}  # (provider, route key) -> the model
        for model in kg.models.values():
            ids = [(model.slug, "slug"), *((a, "API id") for a in model.api_ids), *((h, "Hugging Face repo") for h in model.hf_repos)]
            for o in kg.index.offerings_by_model.get(model.slug, ()):  # a route id names a model on its provider only
                self.routes[(o.provider, parse_id(o.route_id).key)] = _One(model.slug, f"curated route {o.route_id} of {o.provider}")
            parsed = [(parse_id(i), f"{how} {i}") for i, how in ids] + [(parse_name(model.name), f"name {model.name!r}")]
            for p, how in parsed:
                self.exact[p.key].setdefault(model.slug, how)
                self.tokens_of[model.slug].update(p.tokens)
                for what, form in _relaxed(p) + ([("date", tuple(t for t in p.tokens if token_kind(t) != "date"))] if p.date else []):
                    self.relaxed["-".join(form)].setdefault(model.slug, f"{how} without its {what}")
        self.unordered: dict[str, dict[str, str]] = defaultdict(dict)  # group_key -> {model slug: how}
        for index in (self.exact, self.relaxed):
            for indexed_key, found in index.items():
                for slug, how in found.items():
                    self.unordered[group_key(indexed_key)].setdefault(slug, how)
        # alias name as a row spells it, normalized (claude-3-5-sonnet-latest -> claude-3.5-sonnet-latest) -> its name
        # (not when normalizing drops the word latest: ministral-8b-latest is no spelling of every ministral-8b row)
        self.aliases = {parse_id(a.name).key: a.name.lower() for a in kg.aliases.values()
                        if "latest" not in a.name.lower() or "latest" in parse_id(a.name).key}
        self.aliases.update({a.name.lower(): a.name.lower() for a in kg.aliases.values()})

    @classmethod
    def from_graph(cls, kg: KnowledgeGraph, tables: IdentityTables | None = None) -> Resolver:
        return cls(kg, tables or IdentityTables.load())

    # ------------------------------------------------------------------ rules
    def resolve(self, raw: str, *, provider: str | None = None, name: str | None = None,
                as_of: date | None = None) -> Resolution:
        """Resolve one id as seen on ``provider`` (a provider slug) under display ``name`` on ``as_of``."""
        refused: dict[str, str] = {}  # candidates matched only by dropping a part that disagrees -> which part
        parsed = self._without_maker_word(parse_id(self._without_route_prefix(raw, provider)))
        maker = self._maker(parsed, provider)
        if maker is None and name and "(" in name:  # GitLab "duo-chat-opus-4-5" named "Agentic Chat (Claude Opus 4.5)"
            inner = parse_name(name[name.index("(") + 1:].rstrip(")"))
            if self._maker(inner, None):
                parsed, maker = inner, self._maker(inner, None)
        parsed = self._with_sold_variants(parsed, maker)
        key = parsed.key

        def done(status: ResolutionStatus, model: str | None, rule: str, detail: str) -> Resolution:
            found_maker = self.kg.models[model].maker if model else maker
            return Resolution(raw, status, model, rule, detail, found_maker, key)

        bare = raw.strip().lower()
        if not key or bare in self.tables.not_models or key in self.tables.not_models:
            return done(ResolutionStatus.UNRESOLVED, None, "not-a-model", f"{raw!r} is a router's meta id, not a model")
        route = self.routes.get((provider, key)) if provider is not None else None
        if route is not None:
            return done(ResolutionStatus.CURATED, route.slug, "curated-id", f"{key!r} = {route.how}")
        hit = self._unique(self.exact.get(key, {}), parsed, refused)
        if isinstance(hit, _Many):
            return done(ResolutionStatus.UNRESOLVED, None, "ambiguous", f"{key!r} names {', '.join(hit.slugs)}")
        if hit is not None:
            return done(ResolutionStatus.CURATED, hit.slug, "curated-id", f"{key!r} = {hit.how}")
        for form_key in (key, *("-".join(form) for _, form in _relaxed(parsed))):
            if self.tables.aliases.get(form_key) in self.kg.models:
                return done(ResolutionStatus.CURATED, self.tables.aliases[form_key], "alias-table", f"{form_key!r} pinned in data/identity.toml")
        alias = self._alias_name(parsed, name)
        if alias:
            return self._by_alias(raw, alias, as_of, maker, key)
        contradicted: set[str] = set()
        hit = self._unique(self.relaxed.get(key, {}), parsed, refused, contradicted)
        if isinstance(hit, _One) and self._name_disagrees(hit.slug, name):
            contradicted.add(hit.slug)
            hit = None
        if isinstance(hit, _One):
            return done(ResolutionStatus.CURATED, hit.slug, "maker-family-version-date", f"{key!r} = {hit.how}")
        for dropped, form in _relaxed(parsed):
            form_key = "-".join(form)
            for index in (self.exact, self.relaxed):
                hit = self._unique(index.get(form_key, {}), parsed, refused, contradicted)
                if isinstance(hit, _One) and self._name_disagrees(hit.slug, name):
                    contradicted.add(hit.slug)
                    continue
                if isinstance(hit, _One):
                    return done(ResolutionStatus.CURATED, hit.slug, "maker-family-version-date",
                                f"{key!r} without its {dropped} = {form_key!r} = {hit.how}")
        for why, reading in version_readings(parsed):  # "mistral-small-31", "llama-v3.1-8b"
            for form in (reading.tokens, *(f for _, f in _relaxed(reading))):
                for index in (self.exact, self.relaxed):
                    hit = self._unique(index.get("-".join(form), {}), reading, refused)
                    if isinstance(hit, _One):
                        return done(ResolutionStatus.CURATED, hit.slug, "maker-family-version-date",
                                    f"{key!r} read as {'-'.join(form)!r} ({why}) = {hit.how}")
        unordered = self._unique(self.unordered.get(group_key(key), {}), parsed, refused)
        if isinstance(unordered, _One) and not contradicted:
            return done(ResolutionStatus.CURATED, unordered.slug, "word-order",
                        f"{key!r} = {unordered.how} (same words in another order)")
        if contradicted:
            return done(ResolutionStatus.UNRESOLVED, None, "contradiction",
                        f"{key!r} matches {', '.join(sorted(contradicted))} only by dropping a date, version or size that disagrees")
        family = self.relaxed.get(key, {})
        if len(family) > 1:
            return done(ResolutionStatus.UNRESOLVED, None, "ambiguous",
                        f"{key!r} names a family, not a version: {', '.join(sorted(family))}")
        if maker is None:
            return done(ResolutionStatus.UNRESOLVED, None, "unknown-maker", f"no owner, vendor prefix, id prefix or maker API names the maker of {raw!r}")
        refusal = "; ".join(f"not {slug}: its {why} disagrees" for slug, why in sorted(refused.items()))
        return done(ResolutionStatus.CANONICAL, None, "canonical",
                    f"maker {maker} + normalized id {key!r}" + (f" ({refusal})" if refusal else ""))

    def _unique(self, found: dict[str, str], parsed: ParsedId, refused: dict[str, str],
                contradicted: set[str] | None = None) -> _One | _Many | None:
        """The one consistent model of ``found`` (slug -> how it was indexed), all of them when several, else None.

        Every model ``parsed`` contradicts goes into ``refused`` (slug -> what disagrees, for the explanation); those
        it contradicts by date or version also into ``contradicted`` (they make the id unresolved).
        """
        verdicts = {slug: self._contradiction(slug, parsed) for slug in found}
        consistent = {slug: how for slug, how in found.items() if verdicts[slug] is None}
        refused.update({slug: why for slug, why in verdicts.items() if why is not None})
        if contradicted is not None:
            contradicted.update(slug for slug, why in verdicts.items() if why in ("date", "version"))
        if len(consistent) == 1:
            return _One(*next(iter(consistent.items())))
        if len(consistent) > 1:
            return _Many(sorted(consistent))
        return None

    def _contradiction(self, slug: str, parsed: ParsedId) -> TokenKind | None:
        """What of the id contradicts the model: "date", "version", "size" (another model), or None."""
        known = self.tokens_of[slug]
        kinds: tuple[TokenKind, ...] = ("date", "version")
        for kind in kinds:
            theirs = {t for t in known if token_kind(t) == kind}
            ours = set(parsed.of_kind(kind))
            if theirs and ours and not ours <= theirs:
                return kind
        params = self.kg.models[slug].parameters
        known_sizes = {t for t in known if token_kind(t) == "size"}
        for size in parsed.of_kind("size"):
            if size in known_sizes:
                continue
            total = _total_size(size)
            if total is not None and params is not None:
                # a mixture of experts (8x22b) counts its experts' sum loosely: shared layers make it smaller
                tolerance = Decimal("0.35") if "x" in size else Decimal("0.15")
                if abs(total - params) > params * tolerance:
                    return "size"
            elif known_sizes:
                return "size"  # a size (or active-parameter count, a3b) the model's own ids never state
        return None

    def _name_disagrees(self, slug: str, name: str | None) -> bool:
        """The row's display name states a version the model's own ids and name do not: an undated
        ``devstral-small`` named "Devstral Small 1.1" is not Devstral Small 1.0 (v25.05)."""
        if not name:
            return False
        versions = set(parse_name(name).of_kind("version"))
        known = {t for t in self.tokens_of[slug] if token_kind(t) == "version"}
        return bool(versions and known and not versions <= known)

    def _alias_name(self, parsed: ParsedId, name: str | None) -> str | None:
        key = parsed.key
        if name and "(latest)" in name.lower() and f"{key}-latest" in self.aliases:
            return self.aliases[f"{key}-latest"]
        return self.aliases.get(key)

    def _by_alias(self, raw: str, alias: str, as_of: date | None, maker: str | None, key: str) -> Resolution:
        from modelatlas.graph.algorithms.aliases import resolve_alias
        from modelatlas.graph.errors import NotFoundError

        day = as_of or date.today()
        try:
            target = resolve_alias(self.kg, alias, day).slug
        except NotFoundError:
            return Resolution(raw, ResolutionStatus.UNRESOLVED, None, "alias-unbound",
                              f"moving alias {alias!r} has no curated target on {day.isoformat()}", maker, key)
        return Resolution(raw, ResolutionStatus.CURATED, target, "alias-binding",
                          f"moving alias {alias!r} pointed to {target} on {day.isoformat()}", self.kg.models[target].maker, key)

    def _without_route_prefix(self, raw: str, provider: str | None) -> str:
        """``databricks-claude-sonnet-4`` on Databricks -> ``claude-sonnet-4`` (``[route_prefixes]`` in identity.toml)."""
        bare = raw.strip()
        for prefix in self.tables.route_prefixes.get(provider or "", ()):
            if bare.lower().startswith(prefix) and len(bare) > len(prefix):
                return bare[len(prefix):]
        return bare

    def _with_sold_variants(self, parsed: ParsedId, maker: str | None) -> ParsedId:
        """Put back the variant words a maker sells as models of their own (``[sold_variants]``: OpenAI's
        ``gpt-3.5-turbo-instruct`` is not ``gpt-3.5-turbo``); for other makers ``instruct`` is the served default."""
        words = self.tables.sold_variants.get(maker or "", ())
        raw_words = set(re.split(r"[^a-z0-9.]+", parsed.raw.lower()))
        missing = [w for w in words if w in raw_words and w not in parsed.tokens]
        return replace(parsed, tokens=(*parsed.tokens, *missing)) if missing else parsed

    def _without_maker_word(self, parsed: ParsedId) -> ParsedId:
        """``openai-gpt-oss-120b`` -> ``gpt-oss-120b`` (owner ``openai``) when the rest names the same maker."""
        tokens = parsed.tokens
        if len(tokens) > 1:
            maker = self.tables.maker_of_owner(tokens[0])
            if maker and self.tables.maker_of_word(tokens[1], tokens[2] if len(tokens) > 2 else None) == maker:
                return replace(parsed, owners=(*parsed.owners, tokens[0]), tokens=tokens[1:])
        return parsed

    def _maker(self, parsed: ParsedId, provider: str | None) -> str | None:
        for owner in parsed.owners:
            maker = self.tables.maker_of_owner(owner)
            if maker:
                return maker
        if parsed.tokens:
            first = parsed.tokens[0]
            maker = self.tables.maker_of_word(first, parsed.tokens[1] if len(parsed.tokens) > 1 else None)
            if maker:
                return maker
        if provider and provider in self.tables.maker_apis:
            return self.tables.maker_apis[provider]
        for owner in parsed.owners:  # "aion-labs/aion-1.0": a Hugging Face-style organization is the maker
            if owner not in self.tables.not_owners and len(owner) > 2:
                return slugify(owner)
        return None
