"""Top matches by weighted Jaccard similarity without scoring every model: signatures, bitmasks, a size bound.

Models with the same capabilities, suited-for use cases and modalities (their *signature*) score the same
against any query, so each signature is scored once; at 100k synthetic models there are ~10x fewer signatures
than models. A signature's features are three bitmasks, so a score is a few ``&`` and ``bit_count``.
Signatures are grouped by their total feature weight ``w``; since ``score <= min(wq, w) / max(wq, w)``
(the size bound of similarity joins), groups are scored best bound first and the walk stops as soon as the
caller has enough results whose score beats every bound left. Within a score, models come by larger context,
then lower blended price of their cheapest route, then slug: the order ``alternatives`` promises.

>>> from modelatlas.graph.records import Model
>>> models = {s: Model(s, s, "o", "active", capabilities=c) for s, c in (("a", ("x", "y")), ("b", ("x",)), ("c", ("x", "y")))}
>>> index = SimilarityIndex.build(models, lambda slug: None)
>>> [(slug, score) for score, slug in index.matches(models["a"])]
[('a', 1.0), ('c', 1.0), ('b', 0.5)]
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, TypeAlias

from modelatlas.graph.records import Model

__all__ = ["WEIGHTS", "Features", "Signatures", "SimilarityIndex", "TieKey", "features", "similarity", "tie_key"]

WEIGHTS: Final[Mapping[str, float]] = MappingProxyType({"capability": 1.0, "use_case": 2.0, "modality": 0.5})
_EPSILON = 1e-6  # scores are rounded to 6 places: a bound must beat a score by more than that to be passed

Features: TypeAlias = dict[str, frozenset[str]]  # feature kind (a key of WEIGHTS) -> values
_Masks: TypeAlias = tuple[int, int, int]  # (capability, use case, modality) bitmasks


def features(model: Model) -> Features:
    """The model's features by kind: capabilities, suited-for use cases, input and output modalities.

    >>> features(Model("m", "M", "o", "active", input_modalities=("text",)))["modality"]
    frozenset({'in:text'})
    """
    return {
        "capability": frozenset(model.capabilities),
        "use_case": frozenset(model.suited_for),
        "modality": model.modalities,
    }


def similarity(a: Model, b: Model) -> float:
    """Weighted Jaccard of two models' features, in [0, 1], rounded to 6 places (0.0 when both have none).

    The definition ``SimilarityIndex.matches`` reproduces without scoring every model.

    >>> m = Model("a", "A", "o", "active", capabilities=("x", "y"))
    >>> similarity(m, Model("b", "B", "o", "active", capabilities=("x",)))
    0.5
    """
    fa, fb = features(a), features(b)
    num = sum(w * len(fa[k] & fb[k]) for k, w in WEIGHTS.items())
    den = sum(w * len(fa[k] | fb[k]) for k, w in WEIGHTS.items())
    return round(num / den, 6) if den else 0.0


TieKey: TypeAlias = tuple[int, float, str]  # (-context, cheapest blended price (inf: none), slug)
MemberKey: TypeAlias = Callable[[int, int], TieKey]  # (signature, position >= 1) -> that member's tie key


@dataclass(frozen=True)
class Signatures:
    """The signature table: each signature's masks, total weight, size and first member (its *head*), grouped by
    weight. Members beyond the head are the caller's (in memory: tuples; in a store: pages read on demand).

    >>> table, members = Signatures.group({"a": {"capability": frozenset({"x"})}, "b": {}}, {"a": (0, 1.0, "a"), "b": (0, 1.0, "b")})
    >>> table.weights, members
    ((1.0, 0.0), [('a',), ('b',)])
    """

    bits: Mapping[str, int]  # feature ("capability:x", "use_case:y", "modality:in:text") -> bit
    masks: tuple[_Masks, ...]  # signature -> its masks
    weights: tuple[float, ...]  # signature -> total weight
    sizes: tuple[int, ...]  # signature -> its number of members
    heads: tuple[TieKey, ...]  # signature -> the tie key of its first member
    by_weight: tuple[tuple[float, tuple[int, ...]], ...]  # (total weight, signatures)

    @classmethod
    def group(cls, feats: Mapping[str, Features], tie_keys: Mapping[str, TieKey]) -> tuple[Signatures, list[tuple[str, ...]]]:
        """The table of the models' features (slug -> features), and each signature's members in tie-break
        order. Signatures are numbered by their first slug, so the same models give the same numbers."""
        groups: dict[tuple[frozenset[str], ...], list[str]] = {}
        for slug, found in feats.items():
            groups.setdefault(tuple(found.get(k, frozenset()) for k in WEIGHTS), []).append(slug)
        ordered = sorted(groups, key=lambda k: min(groups[k]))
        members = [tuple(sorted(groups[key], key=tie_keys.__getitem__)) for key in ordered]
        rows = [([f"{kind}:{v}" for kind, values in zip(WEIGHTS, key) for v in sorted(values)], len(m), tie_keys[m[0]])
                for key, m in zip(ordered, members)]
        return cls.from_rows(rows), members

    @classmethod
    def from_rows(cls, rows: list[tuple[list[str], int, TieKey]]) -> Signatures:
        """The table of signatures given as (features "kind:value", size, head tie key), numbered in order."""
        bits: dict[str, int] = {}
        for found, _, _ in rows:
            for feature in sorted(found):
                bits.setdefault(feature, 1 << len(bits))
        masks: list[_Masks] = []
        weights: list[float] = []
        by_weight: dict[float, list[int]] = {}
        for sid, (found, _, _) in enumerate(rows):
            parts = [[f for f in found if f.startswith(kind + ":")] for kind in WEIGHTS]
            cap, use, mod = (sum(bits[f] for f in part) for part in parts)
            masks.append((cap, use, mod))
            weight = sum(w * len(part) for w, part in zip(WEIGHTS.values(), parts))
            weights.append(weight)
            by_weight.setdefault(weight, []).append(sid)
        return cls(bits, tuple(masks), tuple(weights), tuple(size for _, size, _ in rows),
                   tuple(head for _, _, head in rows), tuple((w, tuple(sids)) for w, sids in sorted(by_weight.items())))

    def feature_names(self, sid: int, by_bit: Mapping[int, str] | None = None) -> list[str]:
        """The features of signature ``sid``, sorted (``by_bit``: the inverse of ``bits``, when asked for many).

        >>> table, _ = Signatures.group({"a": {"capability": frozenset({"y", "x"})}}, {"a": (0, 1.0, "a")})
        >>> table.feature_names(0)
        ['capability:x', 'capability:y']
        """
        by_bit = by_bit if by_bit is not None else {bit: feature for feature, bit in self.bits.items()}
        found = []
        for mask in self.masks[sid]:
            while mask:
                low = mask & -mask
                found.append(by_bit[low])
                mask ^= low
        return sorted(found)

    def query(self, feats: Features) -> tuple[_Masks, float]:
        """The masks and total weight of a query's features (features no model has add weight, not bits)."""
        qc, qu, qm = (sum(self.bits.get(f"{kind}:{v}", 0) for v in feats.get(kind, ())) for kind in WEIGHTS)
        return (qc, qu, qm), sum(w * len(feats.get(k, ())) for k, w in WEIGHTS.items())

    def matches(self, query: tuple[_Masks, float], member: MemberKey,
                must_have: frozenset[str] = frozenset()) -> Iterator[tuple[float, str]]:
        """(score, slug) of the candidates with a positive score, best first (ties: context, price, slug).

        ``query`` is :meth:`query`'s answer; ``member(sid, pos)`` the tie key of a signature's member at
        ``pos`` >= 1, asked for only when the walk reaches it. Candidates share a capability or a use case with
        the query; with ``must_have``, they are instead the models that have every capability in it."""
        (qc, qu, qm), wq = query
        need = 0
        for cap in must_have:
            bit = self.bits.get(f"capability:{cap}")
            if bit is None:
                return
            need |= bit
        if not need and not (qc or qu):
            return
        wc, wu, wm = WEIGHTS.values()
        bounded = sorted(self.by_weight, key=lambda g: -_bound(wq, g[0]))
        bounds = [_bound(wq, w) for w, _ in bounded] + [-1.0]
        heap: list[tuple[float, TieKey, int, int]] = []  # (-score, tie key, signature, position in its members)
        masks, heads, sizes = self.masks, self.heads, self.sizes
        for i, (_, sids) in enumerate(bounded):
            if bounds[i] <= 0.0 and not heap:
                return
            for sid in sids:
                cc, cu, cm = masks[sid]
                if need:
                    if cc & need != need:
                        continue
                elif not (cc & qc or cu & qu):
                    continue
                ic, iu, im = (qc & cc).bit_count(), (qu & cu).bit_count(), (qm & cm).bit_count()
                num = wc * ic + wu * iu + wm * im
                den = wc * ((qc | cc).bit_count()) + wu * ((qu | cu).bit_count()) + wm * ((qm | cm).bit_count())
                score = round(num / den, 6) if den else 0.0
                if score > 0:
                    heapq.heappush(heap, (-score, heads[sid], sid, 0))
            following = bounds[i + 1]
            while heap and -heap[0][0] > following + _EPSILON:
                neg, key, sid, pos = heapq.heappop(heap)
                yield -neg, key[2]
                if pos + 1 < sizes[sid]:
                    heapq.heappush(heap, (neg, member(sid, pos + 1), sid, pos + 1))


@dataclass(frozen=True)
class SimilarityIndex:
    """The signature table of a snapshot's models, with every signature's members in memory."""

    table: Signatures
    members: tuple[tuple[str, ...], ...]  # signature -> model slugs in tie-break order
    tie_keys: Mapping[str, TieKey]  # model slug -> its tie-break key

    @classmethod
    def build(cls, models: Mapping[str, Model], cheapest_price: Callable[[str], float | None]) -> SimilarityIndex:
        tie_keys = {slug: tie_key(slug, m.context_window, cheapest_price(slug)) for slug, m in models.items()}
        table, members = Signatures.group({slug: features(m) for slug, m in models.items()}, tie_keys)
        return cls(table, tuple(members), tie_keys)

    def matches(self, model: Model, must_have: frozenset[str] = frozenset()) -> Iterator[tuple[float, str]]:
        """(score, slug) of the candidates, best first, as :meth:`Signatures.matches`; ``model`` itself is among
        them when it qualifies. Scores equal ``similarity(model, candidate)``."""
        members, keys = self.members, self.tie_keys
        return self.table.matches(self.table.query(features(model)), lambda sid, pos: keys[members[sid][pos]],
                                  must_have)


def tie_key(slug: str, context_window: int | None, price: float | None) -> TieKey:
    """A model's place among candidates of one score: larger context, then lower price (``price``: the blended
    price of its cheapest route, None without one), then slug.

    >>> tie_key("m", 128000, None)
    (-128000, inf, 'm')
    """
    return -(context_window or 0), price if price is not None else float("inf"), slug


def _bound(wq: float, w: float) -> float:
    """The best score a signature of total weight ``w`` can reach against one of weight ``wq``."""
    if wq <= 0 or w <= 0:
        return 0.0
    return min(wq, w) / max(wq, w)
