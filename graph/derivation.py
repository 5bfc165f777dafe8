"""Derived models: DERIVED_FROM edges (finetune, distilled, quantized, merge) read off the ids of imported models.

A *base key* is an open-weights model's slug without its trailing variant words (``llama-3.3-70b-instruct`` ->
``llama-3.3-70b``, ``gemma-3-27b-it`` -> ``gemma-3-27b``); the curated model wins a key, else the shortest slug.
A model whose id contains another model's base key, at a word boundary, is derived from it when one rule says how:

* ``distilled``: ``deepseek-r1-distill-<student>``: distilled from DeepSeek-R1 (and a finetune of the student base
  where the graph has it, e.g. Llama 3.3 70B);
* ``quantized``: the rest of the id is a precision or a quantization format only (``-6bit``, ``-int-4``,
  ``-nvfp-4``, ``-mxfp-4``, ``-fp8``, ``-awq``, ``-gguf``);
* ``merge``: the rest names a merge (``-slerp``, ``-merge``, ``-chimera``);
* ``finetune``: the rest names a weight edit (``-abliterated``, ``-uncensored``, ``-derestricted``), or the base key
  comes first and the rest holds only a name (words, ``v2``, ``r1``, ``x1``; no variant word such as ``instruct``,
  ``turbo``, ``thinking``, ``pro``, no size or date), or the base key follows a name (``hermes-3-llama-3.1-70b``).

A model never derives from itself, from a model derived in turn, or from a base of another maker unless the
derived id names it in full; curated DERIVED_FROM links win (a model that has one gets no inferred one).
Each edge carries ``inferred_by`` with the rule and the key that matched.

>>> from modelatlas.graph.records import Model
>>> base = Model("llama-3.3-70b-instruct", "Llama 3.3 70B", "meta", "active", open_weights=True)
>>> found = derivation_of(Model("llama-3.3-70b-magnum-v4-se", "X", "meta", "active"), base_keys([base]))
>>> found.target, found.kind
('llama-3.3-70b-instruct', 'finetune')
>>> derivation_of(Model("llama-3.3-70b-versatile", "X", "meta", "active"), base_keys([base])) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from modelatlas.graph.kinds import LinkKind, ResolutionStatus
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import LineageLink, Model, Provenance

__all__ = ["RULE", "Derivation", "base_key", "base_keys", "derivation_of", "with_derivations"]

RULE = "derived-from-id"

_VARIANTS = """
instruct it chat base vision vl thinking think reasoning reasoner non nothink nothinking preview exp experimental turbo
fast free latest pro mini lite flash plus max tts audio search versatile instant spec specdec long tput cloud original
variant el us spot ultrafast highspeed lightning code coder fp tool use online basic draft customtools captioner omni
realtime embed embedding guard large small medium nano ultra super rope hf multilingual text image video edit safety
content safeguard translate transcribe sft rl dpo distill cheaper high low xhigh minimal none next open
paddle together fireworks groq sambanova cerebras deepinfra
"""
#: words that name a maker's own variant of a model (or a host's copy), not a derivative
VARIANT_WORDS = frozenset(_VARIANTS.split())
QUANT = re.compile(r"^(\d+bit|int-?\d+|fp-?\d+|nvfp-?\d+|mxfp(-?\d+)?|awq|gguf|gptq|bnb|exl2|mlx|q\d(_k(_m)?)?|w\d+a\d+)"
                   r"(-(mixed|ar|mtp))*$")
SIZE = re.compile(r"^(\d+(\.\d+)?b|\d+x\d+b)$")
MERGE = re.compile(r"^(slerp|merge|merged|chimera|ties|dare)$")
EDIT = re.compile(r"^(abliterated|uncensored|derestricted|decensored|unslop)$")
SIZE_OR_DATE = re.compile(r"^(\d+(\.\d+)?[bmkt]|a\d+(\.\d+)?b|e\d+b|\d+x\d+b|\d+e|\d{4}|\d{6,8}|\d+k)$")
NAME_NUMBER = re.compile(r"^(v\d+((\.|p)\d+)*|r\d+|x\d+|\d+(\.\d+)?)$")  # v2, r1, x1, 0.1 inside a fine-tune's name
DISTILL = re.compile(r"^deepseek-r1(-0528)?-(distill-)?(?P<student>(llama|qwen)-?.*)$")
TEACHER = "deepseek-r1"


@dataclass(frozen=True, slots=True)
class Derivation:
    """One derived model: its base, how it was derived, and the evidence."""

    source: str
    target: str
    kind: str  # finetune | distilled | quantized | merge
    evidence: str


def base_key(slug: str) -> str:
    """The slug without its trailing variant words.

    >>> base_key("llama-3.3-70b-instruct"), base_key("gemma-3-27b-it"), base_key("qwen-3-coder-480b-a35b")
    ('llama-3.3-70b', 'gemma-3-27b', 'qwen-3-coder-480b-a35b')
    """
    tokens = slug.split("-")
    while len(tokens) > 1 and tokens[-1] in VARIANT_WORDS:
        tokens.pop()
    return "-".join(tokens)


def base_keys(models: Iterable[Model]) -> dict[str, Model]:
    """``base key -> model`` over the models that could be a base: the model whose slug is the key first, then a
    curated one, then one with open weights, then the shortest slug. A key has a word and at least two parts
    (``v3`` alone names nothing)."""
    ranked = sorted((m for m in models if m.resolution != ResolutionStatus.UNRESOLVED),
                    key=lambda m: (m.resolution is not None, not m.open_weights, len(m.slug), m.slug))
    keys: dict[str, Model] = {}
    for model in ranked:  # exact slugs first: a key that is a model's own slug names that model
        keys.setdefault(model.slug, model)
    for model in ranked:
        keys.setdefault(base_key(model.slug), model)
    return {k: m for k, m in keys.items() if _usable_key(k)}


def _usable_key(key: str) -> bool:
    tokens = key.split("-")
    return len(tokens) >= 2 and any(t.isalpha() and len(t) > 1 for t in tokens)


def _sized(key: str) -> bool:
    """The key names a size (``70b``, ``8x22b``): the way community fine-tunes name their base."""
    return any(SIZE.match(t) for t in key.split("-"))


def _classify(rest: list[str], key: str, prefix_form: bool) -> str | None:
    """How a derived id's remaining words say it was made, or None when they do not say it is derived."""
    if not rest:
        return None
    if QUANT.match("-".join(rest)):
        return "quantized"
    if any(MERGE.match(t) for t in rest):
        return "merge"
    if any(EDIT.match(t) for t in rest):
        return "finetune"
    if not _sized(key):
        return None  # glm-4.5-air, kimi-k2.5-fw: a maker's or host's own variant, not a community fine-tune
    if any(t in VARIANT_WORDS or SIZE_OR_DATE.match(t) for t in rest):
        return None  # the maker's own variant (llama-3.3-70b-versatile), or another size / date
    words = [t for t in rest if not NAME_NUMBER.match(t) and len(t) >= 3]
    return "finetune" if words else None


def derivation_of(model: Model, keys: Mapping[str, Model]) -> Derivation | None:
    """The derivation the id of ``model`` shows (see the module docstring), or None."""
    slug = model.slug
    tokens = slug.split("-")
    own = base_key(slug)
    best: tuple[int, Derivation] | None = None
    for start in range(len(tokens)):
        for end in range(len(tokens), start, -1):
            key = "-".join(tokens[start:end])
            base = keys.get(key)
            if base is None or base.slug == slug or key == own or base_key(base.slug) == own:
                continue
            rest = tokens[:start] + tokens[end:]
            if start > 0 and tokens[end:]:
                continue  # name-key-more: ambiguous
            kind = _classify(rest, key, prefix_form=start == 0)
            if kind is None:
                continue
            found = Derivation(slug, base.slug, kind, f"base key {key!r} of {base.slug}; rest {'-'.join(rest)!r}")
            if best is None or end - start > best[0]:
                best = (end - start, found)
            break
    return best[1] if best else None


def _distillation(model: Model, keys: Mapping[str, Model], models: Mapping[str, Model]) -> list[Derivation]:
    match = DISTILL.match(model.slug)
    if not match or TEACHER not in models:
        return []
    found = [Derivation(model.slug, TEACHER, "distilled", f"deepseek-r1 distill: {model.slug}")]
    student = match.group("student")
    tokens = student.split("-")
    for end in range(len(tokens), 0, -1):
        base = keys.get("-".join(tokens[:end]))
        if base is not None and base.slug != TEACHER:
            found.append(Derivation(model.slug, base.slug, "finetune", f"student base {base.slug}"))
            break
    return found


def with_derivations(kg: KnowledgeGraph) -> KnowledgeGraph:
    """The graph with inferred DERIVED_FROM links added; curated ones untouched."""
    curated = {l.source for l in kg.links if l.kind == LinkKind.DERIVED_FROM}
    keys = base_keys(kg.models.values())
    found: list[Derivation] = []
    for model in kg.models.values():
        if model.slug in curated or model.resolution == ResolutionStatus.UNRESOLVED:
            continue
        distilled = _distillation(model, keys, kg.models)
        if distilled:
            found.extend(distilled)
            continue
        one = derivation_of(model, keys)
        if one is not None:
            found.append(one)
    derived = {d.source for d in found}
    links = [LineageLink(
        slug=f"{d.source}--derived--{d.target}--inferred", source=d.source, target=d.target,
        kind=LinkKind.DERIVED_FROM, derivation_kind=d.kind, inferred_by=f"{RULE}: {d.evidence}",
        provenance=Provenance(comment="inferred from the model's id, not from a source"),
    ) for d in found if d.target not in derived]  # never a chain of inferred derivations
    if not links:
        return kg
    from modelatlas.graph.licensing import rebuilt

    return rebuilt(kg, links=(*kg.links, *links))
