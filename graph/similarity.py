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

__all__ = ["WEIGHTS", "Features", "SimilarityIndex", "features", "similarity"]

WEIGHTS: Final[Mapping[str, float]] = MappingProxyType({"capability": 1.0, "use_case": 2.0, "modality": 0.5})
_EPSILON = 1e-6  # scores are rounded to 6 places: a bound must beat a score by more than that to be passed

Features: TypeAlias = dict[str, frozenset[str]]  # feature kind (a key of WEIGHTS) -> values
_TieKey: TypeAlias = tuple[int, float, str]  # (-context, cheapest blended price, slug)
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


@dataclass(frozen=True)
class SimilarityIndex:
    """Signatures of the models, as bitmasks, grouped by total weight; members best-first per signature."""

    bits: Mapping[str, int]  # feature ("capability:x", "use_case:y", "modality:in:text") -> bit
    masks: tuple[_Masks, ...]  # signature -> its masks
    weights: tuple[float, ...]  # signature -> total weight
    members: tuple[tuple[str, ...], ...]  # signature -> model slugs in tie-break order
    tie_keys: Mapping[str, _TieKey]  # model slug -> its tie-break key
    by_weight: tuple[tuple[float, tuple[int, ...]], ...]  # (total weight, signatures)
    signature_of: Mapping[str, int]

    @classmethod
    def build(cls, models: Mapping[str, Model], cheapest_price: Callable[[str], float | None]) -> SimilarityIndex:
        bits: dict[str, int] = {}
        groups: dict[tuple[frozenset[str], ...], list[str]] = {}
        for model in models.values():
            feats = features(model)
            key = tuple(feats[k] for k in WEIGHTS)
            groups.setdefault(key, []).append(model.slug)
            for kind, values in feats.items():
                for value in sorted(values):
                    bits.setdefault(f"{kind}:{value}", 1 << len(bits))
        tie_keys: dict[str, _TieKey] = {}
        for model in models.values():
            price = cheapest_price(model.slug)
            tie_keys[model.slug] = (-(model.context_window or 0), price if price is not None else float("inf"), model.slug)
        masks: list[_Masks] = []
        weights: list[float] = []
        members: list[tuple[str, ...]] = []
        signature_of: dict[str, int] = {}
        by_weight: dict[float, list[int]] = {}
        for key in sorted(groups, key=lambda k: min(groups[k])):
            sid = len(masks)
            cap, use, mod = (sum(bits[f"{kind}:{v}"] for v in values) for kind, values in zip(WEIGHTS, key))
            masks.append((cap, use, mod))
            weight = sum(w * len(values) for w, values in zip(WEIGHTS.values(), key))
            weights.append(weight)
            slugs = sorted(groups[key], key=tie_keys.__getitem__)
            members.append(tuple(slugs))
            signature_of.update((s, sid) for s in slugs)
            by_weight.setdefault(weight, []).append(sid)
        return cls(bits, tuple(masks), tuple(weights), tuple(members), tie_keys,
                   tuple((w, tuple(sids)) for w, sids in sorted(by_weight.items())), signature_of)

    def matches(self, model: Model, must_have: frozenset[str] = frozenset()) -> Iterator[tuple[float, str]]:
        """(score, slug) of the candidates with a positive score, best first (ties: context, price, slug).

        Candidates share a capability or a use case with ``model``; with ``must_have``, they are instead the
        models that have every capability in it. ``model`` itself is among them when it qualifies. Scores equal
        ``similarity(model, candidate)``.
        """
        feats = features(model)
        qc, qu, qm = (sum(self.bits.get(f"{kind}:{v}", 0) for v in feats[kind]) for kind in WEIGHTS)
        need = 0
        for cap in must_have:
            bit = self.bits.get(f"capability:{cap}")
            if bit is None:
                return
            need |= bit
        if not need and not (qc or qu):
            return
        wq = sum(w * len(feats[k]) for k, w in WEIGHTS.items())
        wc, wu, wm = WEIGHTS.values()
        bounded = sorted(self.by_weight, key=lambda g: -_bound(wq, g[0]))
        bounds = [_bound(wq, w) for w, _ in bounded] + [-1.0]
        heap: list[tuple[float, _TieKey, int, int]] = []  # (-score, tie key, signature, position in its members)
        masks, members, tie_keys = self.masks, self.members, self.tie_keys
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
                    first = members[sid][0]
                    heapq.heappush(heap, (-score, tie_keys[first], sid, 0))
            following = bounds[i + 1]
            while heap and -heap[0][0] > following + _EPSILON:
                neg, _, sid, pos = heapq.heappop(heap)
                yield -neg, members[sid][pos]
                if pos + 1 < len(members[sid]):
                    heapq.heappush(heap, (neg, tie_keys[members[sid][pos + 1]], sid, pos + 1))


def _bound(wq: float, w: float) -> float:
    """The best score a signature of total weight ``w`` can reach against one of weight ``wq``."""
    if wq <= 0 or w <= 0:
        return 0.0
    return min(wq, w) / max(wq, w)
