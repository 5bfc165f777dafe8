"""The store's index graph, derived from the records' N-Quads in one streaming pass, outside the store.

The pushed-down queries (``graph.store.queries``) walk what this writes into ``INDEX_GRAPH``:

* ``mas:up_<KIND>`` / ``mas:down_<KIND>`` on each lineage link: its ancestor and descendant end (a DERIVED_FROM
  link is stored derived -> base and walked base -> derived), one predicate pair per kind, so a property path can
  follow the kinds asked for; a link without a kind of the vocabulary is a NEXT_VERSION, as ``graph.mapping``
  reads it;
* ALIAS edges between consecutive targets of a moving alias, from its bindings' history (``alias_history``, the
  one rule): each change of target is a node ``<id/edge/<alias>/<i>>`` with its ends, dates ("" for an open end),
  the alias name and its place ``mas:order``;
* the signature table of ``graph.similarity`` (models with the same capabilities, use cases and modalities):
  ``<sig/K>`` with ``mas:feature "capability:x"``, ``mas:weight``, ``mas:size`` and ``mas:head`` (its first member),
  and all of that again as one JSON literal ``mas:row`` ``[features, size, context, price, head slug]``: the service
  reads the table once per snapshot, and one pattern is one index scan (the star join over the separate triples
  took 14 s at 1M models, 23k signatures, in Oxigraph 0.5);
  its members in tie-break order as slots ``<sig/K/R>`` (``mas:member``, ``mas:ctx``, ``mas:price``), so a page
  of members is a lookup of known IRIs; and ``mas:sig`` on each model;
* ``mas:dataVersion`` of the data, when given.

Only the triples these need are parsed (a byte test on each line's predicate), so 52M quads are read in about a
minute and never held. The same function serves ``store load`` and ``bench-scale``: nothing is derived by SPARQL
UPDATE, which at 1M models ran for over 25 minutes without finishing.

>>> from modelatlas.graph import load_graph
>>> from modelatlas.graph.store.dataset import nquads
>>> builder = IndexBuilder()
>>> for block in nquads(load_graph(imports=False, cache=False)):
...     builder.feed(block)
>>> text = b"".join(builder.nquads("v1"))
>>> b"mistral-small-2402> <https://modelatlas.dev/ns/store#sig>" in text, b"#down_NEXT_VERSION>" in text
(True, True)
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeAlias

import orjson
import pyoxigraph as ox

from modelatlas.graph.kinds import LinkKind, Status
from modelatlas.graph.knowledge import KnowledgeGraph, price_ladder
from modelatlas.graph.records import Alias, AliasBinding, Model, Offering
from modelatlas.graph.similarity import Features, Signatures, tie_key
from modelatlas.graph.store.client import StoreError
from modelatlas.graph.vocab import ID_BASE, MA, SDO

__all__ = ["INDEX_GRAPH", "MAS", "SIG_BASE", "IndexBuilder", "index_of_files", "sig_iri", "slot_iri"]

MAS = "https://modelatlas.dev/ns/store#"  # the store's index vocabulary (never in data/)
INDEX_GRAPH = "https://modelatlas.dev/graph/store-index"
SIG_BASE = "https://modelatlas.dev/ns/store/sig/"  # <sig/K> a signature, <sig/K/R> its member at place R

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_TYPES = {str(MA.Model): "model", str(MA.LineageLink): "link", str(MA.Offering): "offering",
          str(MA.AliasBinding): "binding"}
_LINK_KINDS = {str(MA.NextVersion): LinkKind.NEXT_VERSION, str(MA.RecommendedReplacement): LinkKind.RECOMMENDED_REPLACEMENT,
               str(MA.DerivedFrom): LinkKind.DERIVED_FROM, str(MA.PositionedSuccessor): LinkKind.POSITIONED_SUCCESSOR}
_FEATURES = {str(MA.capability): ("capability", ""), str(MA.suitedFor): ("use_case", ""),
             str(MA.inputModality): ("modality", "in:"), str(MA.outputModality): ("modality", "out:")}
_FIELDS = {str(p): p.rsplit("#", 1)[-1] for p in (
    MA["from"], MA.to, MA.linkKind, MA.contextWindow, MA.model, MA.inputPrice, MA.outputPrice, MA.alias, MA.target,
    MA.validFrom, MA.validTo, MA.observedOn, MA.releaseDate)}
_ALIAS_NAME = str(SDO.name)  # read on alias subjects only
_WANTED = {f"<{p}>".encode() for p in (_RDF_TYPE, *_FEATURES, *_FIELDS, _ALIAS_NAME)}
_ALIAS_SUBJECT = f"<{ID_BASE}alias/".encode()
_XSD = "http://www.w3.org/2001/XMLSchema#"
_Quad: TypeAlias = Callable[[str, str, ox.NamedNode | ox.Literal], ox.Quad]


def sig_iri(sid: int) -> str:
    """The IRI of signature ``sid``.

    >>> sig_iri(3)
    'https://modelatlas.dev/ns/store/sig/3'
    """
    return f"{SIG_BASE}{sid}"


def slot_iri(sid: int, place: int) -> str:
    """The member of signature ``sid`` at ``place`` in tie-break order."""
    return f"{SIG_BASE}{sid}/{place}"


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


class IndexBuilder:
    """Feed it N-Quads (:meth:`feed`, any block boundaries at line ends), then write the index (:meth:`nquads`)."""

    def __init__(self) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)  # role (model, link, ...) -> subjects
        self.fields: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # field -> s -> values
        self.features: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # s -> kind -> values
        self.alias_names: dict[str, str] = {}
        self.lines = 0

    def feed(self, block: bytes) -> None:
        """Keep what the index needs of a block of whole N-Quads lines."""
        kept = []
        for line in block.splitlines(keepends=True):
            parts = line.split(b" ", 2)
            if len(parts) == 3 and parts[1] in _WANTED:
                if parts[1] == b"<https://schema.org/name>" and not parts[0].startswith(_ALIAS_SUBJECT):
                    continue
                kept.append(line)
        if kept:
            try:
                self._keep(ox.parse(b"".join(kept), format=ox.RdfFormat.N_QUADS))
            except SyntaxError as exc:
                raise StoreError(f"N-Quads for the index, in the block after line {self.lines:,}: {exc}") from exc
        self.lines += block.count(b"\n")

    def tee(self, blocks: Iterable[bytes]) -> Iterator[bytes]:
        """The blocks, each fed to the builder on its way (an upload or a file that also builds the index)."""
        for block in blocks:
            self.feed(block)
            yield block

    def _keep(self, quads: Iterable[ox.Quad]) -> None:
        intern = sys.intern
        for quad in quads:
            subject, obj = quad.subject, quad.object
            if isinstance(subject, ox.Triple) or isinstance(obj, ox.Triple):
                continue  # RDF-star: nothing the index reads
            s, p, o = subject.value, quad.predicate.value, obj.value
            if p == _RDF_TYPE:
                role = _TYPES.get(o)
                if role is not None:
                    self.types[role].add(s)
            elif p in _FEATURES:
                kind, prefix = _FEATURES[p]
                self.features[s][kind].add(intern(prefix + (o if prefix else _slug(o))))
            elif p == _ALIAS_NAME:
                self.alias_names[s] = o
            else:
                self.fields[_FIELDS[p]][s].append(o)

    def _one(self, field: str, subject: str) -> str | None:
        found = self.fields[field].get(subject)
        return min(found) if found else None

    # ------------------------------------------------------------------ the index
    def nquads(self, version: str | None = None, *, batch: int = 50000) -> Iterator[bytes]:
        """The index graph as N-Quads blocks (deterministic: the same data gives the same bytes)."""
        quads: list[ox.Quad] = []
        for quad in self._quads(version):
            quads.append(quad)
            if len(quads) >= batch:
                yield ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
                quads = []
        if quads:
            yield ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""

    def _quads(self, version: str | None) -> Iterator[ox.Quad]:
        index = ox.NamedNode(INDEX_GRAPH)

        def quad(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
            return ox.Quad(ox.NamedNode(s), ox.NamedNode(MAS + p), o, index)

        yield from self._link_quads(quad)
        yield from self._alias_quads(quad)
        yield from self._signature_quads(quad)
        if version is not None:
            yield quad(INDEX_GRAPH, "dataVersion", ox.Literal(version))

    def _link_quads(self, quad: _Quad) -> Iterator[ox.Quad]:
        for link in sorted(self.types["link"]):
            kinds = {_LINK_KINDS[k] for k in self.fields["linkKind"].get(link, ()) if k in _LINK_KINDS}
            for kind in sorted(kinds or {LinkKind.NEXT_VERSION}):
                for f in sorted(self.fields["from"].get(link, ())):
                    for t in sorted(self.fields["to"].get(link, ())):
                        up, down = (t, f) if kind == LinkKind.DERIVED_FROM else (f, t)
                        yield quad(link, f"up_{kind.value}", ox.NamedNode(up))
                        yield quad(link, f"down_{kind.value}", ox.NamedNode(down))

    def _alias_quads(self, quad: _Quad) -> Iterator[ox.Quad]:
        from modelatlas.graph.algorithms.aliases import alias_history

        aliases: dict[str, Alias] = {}
        bindings: list[AliasBinding] = []
        releases: dict[str, date | None] = {}
        for b in sorted(self.types["binding"]):
            alias_iri, target_iri = self._one("alias", b), self._one("target", b)
            if alias_iri is None or target_iri is None:
                continue
            a, target = _slug(alias_iri), _slug(target_iri)
            aliases.setdefault(a, Alias(a, self.alias_names.get(alias_iri) or a))
            bindings.append(AliasBinding(_slug(b), a, target, _day(self._one("validFrom", b)),
                                         _day(self._one("validTo", b)), _day(self._one("observedOn", b))))
            releases.setdefault(target, _day(self._one("releaseDate", target_iri)))
        if not aliases:
            return
        models = [Model(s, s, "", Status.ACTIVE, release_date=r) for s, r in releases.items()]
        mini = KnowledgeGraph.from_records(version="aliases", models=models, aliases=aliases.values(), bindings=bindings)
        for alias in sorted(aliases):
            history = alias_history(mini, alias)
            for i in range(1, len(history)):
                (prev, _, _), (nxt, start, end) = history[i - 1], history[i]
                if prev.target == nxt.target:
                    continue
                node = f"{ID_BASE}edge/{alias}/{i}"
                yield quad(node, "up_ALIAS", ox.NamedNode(f"{ID_BASE}model/{prev.target}"))
                yield quad(node, "down_ALIAS", ox.NamedNode(f"{ID_BASE}model/{nxt.target}"))
                yield quad(node, "aliasName", ox.Literal(aliases[alias].name))
                yield quad(node, "order", ox.Literal(str(i), datatype=ox.NamedNode(_XSD + "integer")))
                for pred, day in (("validFrom", start), ("validTo", end)):  # always there: "" for an open end
                    yield quad(node, pred, ox.Literal("") if day is None else
                               ox.Literal(day.isoformat(), datatype=ox.NamedNode(_XSD + "date")))

    def _tie_prices(self) -> dict[str, float | None]:
        """Each model's tie price: the blended price of the first route of its price ladder (``price_ladder``)."""
        routes: dict[str, list[Offering]] = defaultdict(list)
        for o in self.types["offering"]:
            model = self._one("model", o)
            if model is not None:
                routes[model].append(Offering(_slug(o), _slug(model), "", _slug(o),
                                              input_price=_decimal(self._one("inputPrice", o)),
                                              output_price=_decimal(self._one("outputPrice", o))))
        return {m: price_ladder(offers)[0].blended_price() for m, offers in routes.items()}

    def _signature_quads(self, quad: _Quad) -> Iterator[ox.Quad]:
        prices = self._tie_prices()
        models = {_slug(m): m for m in self.types["model"]}
        feats: dict[str, Features] = {}
        keys = {}
        for slug, iri in models.items():
            found = self.features.get(iri, {})
            feats[slug] = {kind: frozenset(values) for kind, values in found.items()}
            context = self._one("contextWindow", iri)
            keys[slug] = tie_key(slug, int(context) if context and context.lstrip("-").isdigit() else None,
                                 prices.get(iri))
        table, members = Signatures.group(feats, keys)
        double, integer = ox.NamedNode(_XSD + "double"), ox.NamedNode(_XSD + "integer")
        by_bit = {bit: feature for feature, bit in table.bits.items()}
        for sid, slugs in enumerate(members):
            sig = sig_iri(sid)
            features = table.feature_names(sid, by_bit)
            for feature in features:
                yield quad(sig, "feature", ox.Literal(feature))
            yield quad(sig, "weight", ox.Literal(repr(table.weights[sid]), datatype=double))
            yield quad(sig, "size", ox.Literal(str(len(slugs)), datatype=integer))
            yield quad(sig, "head", ox.NamedNode(slot_iri(sid, 0)))
            neg_ctx, price, head = keys[slugs[0]]  # the row the service reads: one literal, one scan for the table
            row = [features, len(slugs), -neg_ctx, None if price == float("inf") else price, head]
            yield quad(sig, "row", ox.Literal(orjson.dumps(row).decode()))
            for place, slug in enumerate(slugs):
                slot, (neg_ctx, price, _) = slot_iri(sid, place), keys[slug]
                yield quad(slot, "member", ox.NamedNode(models[slug]))
                yield quad(slot, "ctx", ox.Literal(str(-neg_ctx), datatype=integer))
                yield quad(slot, "price", ox.Literal("INF" if price == float("inf") else repr(price), datatype=double))
                yield quad(models[slug], "sig", ox.NamedNode(sig))


def index_of_files(paths: Iterable[Path], builder: IndexBuilder | None = None, *, block: int = 1 << 24) -> IndexBuilder:
    """Feed N-Quads files to a builder, in blocks of about ``block`` bytes cut at line ends."""
    builder = builder or IndexBuilder()
    for path in paths:
        with open(path, "rb") as source:
            rest = b""
            while chunk := source.read(block):
                chunk = rest + chunk
                cut = chunk.rfind(b"\n") + 1
                builder.feed(chunk[:cut])
                rest = chunk[cut:]
            if rest:
                builder.feed(rest + b"\n")
    return builder

