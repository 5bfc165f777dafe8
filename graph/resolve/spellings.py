"""One node per real model: spellings of one model that the resolver leaves apart, joined by a stated rule.

Catalogs spell one model several ways: ``claude-opus-4``, ``claude-opus-4-20250514``, ``claude-opus-4.0``,
``llama-4-maverick`` and ``llama-4-maverick-17b-128e``. Two normalized ids of one maker are one model when

- they are equal once ``x.0`` is read as ``x`` and the word ``latest`` is dropped, or
- one adds to the other only a date, a size or a zero-padded revision (``-001``), or a version beside a date both
  carry, and it is the ONLY more specific id of that maker. When two dated ids extend one undated id
  (``claude-3.5-sonnet`` -> 2406 and 2410), the undated id names a moving alias, not one model, and stays apart; so
  does one that any two more specific ids extend, whatever they add (``gemini-2.5-flash-preview`` beside ``-04-17``
  and ``-09-2025``). When the rows of the undated id date its release more than two months away from the added date
  (``qwen3-235b-a22b``, April 2025, is not ``...-2507``), it is an earlier release and stays apart too; an id dated
  more than two months before that release is no version of it and counts for nothing.

Words keep their set, numbers their order: ``gemini-2.5-pro-preview-05-06`` is not ``...-06-05``.

>>> joined = join_spellings({("anthropic", "claude-opus-4"), ("anthropic", "claude-opus-4-2505"),
...                          ("anthropic", "claude-opus-4.0"), ("anthropic", "claude-3.5-sonnet"),
...                          ("anthropic", "claude-3.5-sonnet-2406"), ("anthropic", "claude-3.5-sonnet-2410")})
>>> sorted(joined.items())
[(('anthropic', 'claude-opus-4'), 'claude-opus-4-2505'), (('anthropic', 'claude-opus-4.0'), 'claude-opus-4-2505')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from modelatlas.graph.resolve.normalize import token_kind

if TYPE_CHECKING:
    from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["duplicate_pairs", "group_key", "join_spellings", "moving_aliases"]

def group_key(key: str) -> str:
    """Words as a set, numbers in order: ``claude-3.5-haiku`` and ``claude-haiku-3.5`` share a key.

    >>> group_key("claude-haiku-3.5") == group_key("claude-3.5-haiku"), group_key("x-05-06") == group_key("x-06-05")
    (True, False)
    """
    tokens = key.split("-")
    words = sorted(t for t in tokens if token_kind(t) == "word")
    others = [t for t in tokens if token_kind(t) != "word"]
    return " ".join([*words, "|", *others])


Form = tuple[tuple[str, ...], tuple[str, ...]]  # (words, sorted; numbers, in order)


def _plain(tokens: Iterable[str]) -> Form:
    """Words as a sorted set and numbers in order, ``x.0`` read as ``x`` and ``latest`` dropped."""
    words: set[str] = set()
    numbers: list[str] = []
    for token in tokens:
        if token == "latest":
            continue
        while token_kind(token) == "version" and token.endswith(".0"):
            token = token[:-2]
        if token_kind(token) == "word":
            words.add(token)
        else:
            numbers.append(token)
    return tuple(sorted(words)), tuple(numbers)


def _contains(longer: Form, shorter: Form) -> bool:
    """``longer`` has ``shorter``'s words and, in order, its numbers, and more numbers of any kind: a more specific id
    (``gemini-2.5-flash-preview-04-17`` beside ``gemini-2.5-flash-preview``)."""
    if longer[0] != shorter[0] or len(longer[1]) <= len(shorter[1]):
        return False
    rest = iter(longer[1])
    return all(token in rest for token in shorter[1])


def _extends(longer: Form, shorter: Form) -> bool:
    """``longer`` is ``shorter`` plus dates, sizes or revisions only (its numbers in the same order), or plus a
    version when both carry the same date (``devstral-small-2512`` / ``devstral-small-2-24b-2512``).

    >>> _extends(_plain(["devstral", "small", "2", "24b", "2512"]), _plain(["devstral", "small", "2512"]))
    True
    >>> _extends(_plain(["qwen", "3", "2507"]), _plain(["qwen", "2.5"]))
    False
    """
    if longer[0] != shorter[0] or len(longer[1]) <= len(shorter[1]):
        return False
    dated = any(token_kind(t) == "date" for t in shorter[1])
    allowed = ("date", "size", "revision", "version") if dated else ("date", "size", "revision")
    i = 0
    for token in longer[1]:
        if i < len(shorter[1]) and token == shorter[1][i]:
            i += 1
        elif token_kind(token) not in allowed:
            return False
    return i == len(shorter[1])


def _months_apart(day: date, yymm: str) -> int:
    return abs((day.year % 100 * 12 + day.month) - (int(yymm[:2]) * 12 + int(yymm[2:])))


def _dates_agree(longer: Form, shorter: Form, released: date | None) -> bool:
    added = [t for t in longer[1] if t not in shorter[1] and token_kind(t) == "date"]
    return released is None or all(_months_apart(released, t) <= 2 for t in added)


def _dated_before(longer: Form, shorter: Form, released: date | None) -> bool:
    """``longer`` adds a date more than two months before the shorter id's release: not a version of it
    (a ``claude-3.7-sonnet-2406`` row beside Claude 3.7 Sonnet, released 2025-02)."""
    added = [t for t in longer[1] if t not in shorter[1] and token_kind(t) == "date"]
    return released is not None and any(
        (int(t[:2]) * 12 + int(t[2:])) < (released.year % 100 * 12 + released.month) - 2 for t in added)


def join_spellings(keys: Iterable[tuple[str, str]],
                   released: Mapping[tuple[str, str], date] | None = None) -> dict[tuple[str, str], str]:
    """``(maker, key) -> the key it joins`` for each normalized id that is a spelling of another one;
    ``released`` gives the release date the rows of a key state (their most common one), where known."""
    released = released or {}
    by_maker: dict[str, dict[Form, list[str]]] = defaultdict(lambda: defaultdict(list))
    for maker, key in sorted(set(keys)):
        by_maker[maker][_plain(key.split("-"))].append(key)
    joined: dict[tuple[str, str], str] = {}
    for maker, forms in by_maker.items():
        target: dict[Form, Form] = {}
        for form, keys_of_form in forms.items():
            day = next((released[(maker, k)] for k in keys_of_form if (maker, k) in released), None)
            longer = [other for other in forms if _contains(other, form) and not _dated_before(other, form, day)]
            maximal = [o for o in longer if not any(_contains(x, o) for x in longer)]
            if len(maximal) == 1 and _extends(maximal[0], form) and _dates_agree(maximal[0], form, day):
                target[form] = maximal[0]
        for form, keys_of_form in forms.items():
            end = form
            seen = {end}
            while end in target and target[end] not in seen:
                end = target[end]
                seen.add(end)
            representative = min(forms[end], key=lambda k: (len(k), k))
            for key in keys_of_form:
                if key != representative:
                    joined[(maker, key)] = representative
    return joined


_DATE = re.compile(r"^(2[3-6](0[1-9]|1[0-2])|20\d{4}|20\d{6}|\d{6})$")
_SIZE = re.compile(r"^(\d+(\.\d+)?[bmk]|\d+x\d+(\.\d+)?b|a\d+(\.\d+)?b|e\d+b)$")
_VERSION = re.compile(r"^v?(\d+(\.\d+)*)$")


def _spelling(slug: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A slug's words, sizes and version numbers, dates dropped and ``x.0`` read as ``x``.

    >>> _spelling("claude-opus-4-20250514"), _spelling("qwen3-30b-a3b")
    (('claude-opus', (), ('4',)), ('qwen3', ('30b', 'a3b'), ()))
    """
    words: list[str] = []
    sizes: list[str] = []
    versions: list[str] = []
    for token in slug.lower().replace("_", "-").split("-"):
        if _DATE.match(token):
            continue
        if _SIZE.match(token):
            sizes.append(token)
        elif match := _VERSION.match(token):
            version = match.group(1)
            while version.endswith(".0"):
                version = version[:-2]
            versions.append(version)
        else:
            words.append(token)
    return "-".join(words), tuple(sizes), tuple(versions)


def moving_aliases(kg: KnowledgeGraph) -> list[str]:
    """Undated models that two or more dated models of the same maker, words and sizes extend (``gpt-4o`` beside
    ``gpt-4o-2405`` and ``-2408``): ids a maker moves over time, kept apart from each version on purpose."""
    dated: dict[tuple[object, ...], list[tuple[str, ...]]] = defaultdict(list)
    undated: list[tuple[tuple[object, ...], str, tuple[str, ...]]] = []
    for model in kg.models.values():
        words, sizes, versions = _spelling(model.slug)
        key = (model.maker, words, sizes)
        if any(_DATE.match(t) for t in model.slug.split("-")) or any(len(v) == 4 for v in versions):
            dated[key].append(versions)
        else:
            undated.append((key, model.slug, versions))
    return sorted(slug for key, slug, versions in undated
                  if sum(1 for v in dated.get(key, ()) if v[: len(versions)] == versions) >= 2)


def duplicate_pairs(kg: KnowledgeGraph) -> list[tuple[str, str]]:
    """Suspected spellings of one model: same maker, release date, words and sizes, and version numbers of which
    one is a prefix of the other (``claude-opus-4`` / ``claude-opus-4-2505`` / ``claude-opus-4.0``). A moving
    alias beside its versions is not a pair (see :func:`moving_aliases`)."""
    aliases = set(moving_aliases(kg))
    groups: dict[tuple[object, ...], list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for model in kg.models.values():
        if model.release_date is None or model.slug in aliases:
            continue
        words, sizes, versions = _spelling(model.slug)
        groups[(model.maker, words, sizes, model.release_date)].append((model.slug, versions))
    pairs: list[tuple[str, str]] = []
    for members in groups.values():
        members.sort()
        for i, (a, va) in enumerate(members):
            for b, vb in members[i + 1:]:
                shorter, longer = sorted((va, vb), key=len)
                if longer[: len(shorter)] == shorter:
                    pairs.append((a, b))
    return sorted(pairs)
