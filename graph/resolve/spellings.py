"""One node per real model: spellings of one model that the resolver leaves apart, joined by a stated rule.

Catalogs spell one model several ways: ``claude-opus-4``, ``claude-opus-4-20250514``, ``claude-opus-4.0``,
``llama-4-maverick`` and ``llama-4-maverick-17b-128e``. Two normalized ids of one maker are one model when

- they are equal once ``x.0`` is read as ``x`` and the word ``latest`` is dropped, or
- one adds to the other only a date, a size or a zero-padded revision (``-001``), and it is the ONLY id of that
  maker that does so. When two dated ids extend one undated id (``claude-3.5-sonnet`` -> 2406 and 2410), the
  undated id names a moving alias, not one model, and stays apart. When the rows of the undated id date its
  release more than a month away from the added date (``qwen3-235b-a22b``, April 2025, is not ``...-2507``),
  it is an earlier release and stays apart too.

Words keep their set, numbers their order: ``gemini-2.5-pro-preview-05-06`` is not ``...-06-05``.

>>> joined = join_spellings({("anthropic", "claude-opus-4"), ("anthropic", "claude-opus-4-2505"),
...                          ("anthropic", "claude-opus-4.0"), ("anthropic", "claude-3.5-sonnet"),
...                          ("anthropic", "claude-3.5-sonnet-2406"), ("anthropic", "claude-3.5-sonnet-2410")})
>>> sorted(joined.items())
[(('anthropic', 'claude-opus-4'), 'claude-opus-4-2505'), (('anthropic', 'claude-opus-4.0'), 'claude-opus-4-2505')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from modelatlas.graph.resolve.normalize import token_kind

__all__ = ["group_key", "join_spellings"]

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
    return released is None or all(_months_apart(released, t) <= 1 for t in added)


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
            longer = [other for other in forms if _extends(other, form)]
            maximal = [o for o in longer if not any(_extends(x, o) for x in longer)]
            if len(maximal) == 1 and _dates_agree(maximal[0], form, day):
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
