"""Normalize provider-specific model ids into comparable parts: owner, tokens, version, size, date, variant.

Every provider spells the same model its own way (``mistral-small-2503``, ``mistralai/mistral-small-3.1-24b-instruct``,
``@cf/mistralai/mistral-small-3.1-24b-instruct``, ``accounts/fireworks/models/...``, ``mistral.mistral-small-2402-v1:0``).
:func:`parse_id` strips what does not name the model (paths, provider prefixes, ``-instruct``, ``:free``, quantization)
and classifies the rest, so two ids of one model give the same :attr:`ParsedId.key`.

>>> parse_id("@cf/mistralai/mistral-small-3.1-24b-instruct").key
'mistral-small-3.1-24b'
>>> parse_id("Mistral-Small-24B-Instruct-2501").key == parse_id("mistral-small-24b-instruct-2025-01-30").key
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = ["ParsedId", "TokenKind", "parse_id", "parse_name", "slugify", "token_kind"]

TokenKind: TypeAlias = Literal["date", "size", "revision", "version", "word"]

_VARIANT = re.compile(r":([a-z0-9._-]+)$")
_BEDROCK_VERSION = re.compile(r"-v?\d+:\d+$")  # Bedrock's -v1:0 and -1:0 (gpt-oss-20b-1:0)
#: ``:suffix`` decorations of serving, not of the model: OpenRouter's :free / :nitro / :floor, reasoning-effort and
#: thinking-budget settings (:low, :8192), processing tiers (folded into the base route by graph.importers.fold).
#: Any other ``:suffix`` names the model: an Ollama size tag (gemma3:4b), :thinking, :extended.
_DECORATION_SUFFIXES = {"free", "beta", "nitro", "floor", "online", "web", "exacto", "low", "medium", "high", "max",
                        "min", "minimal", "batch", "flex", "priority"}
#: Words after a model's size that describe the serving, not the model ("llama-3.3-70b-versatile", "-turbo",
#: "gpt-oss-120b-fast"): dropped when they follow a size token. Variant words after a size still count.
_SERVING_WORDS = {"versatile", "specdec", "turbo", "fast", "lite", "instant", "cs", "dynamic", "basic", "chat",
                  "high-throughput", "throughput", "high", "serverless", "hf", "free", "online", "latest", "maas",
                  "quant", "exl2", "mlx", "iq4", "xs", "4bit", "8bit", "q4", "q8", "k", "m", "gguf", "nitro"}
#: Words that end an id to name a deployment of the model, never the model: Fireworks' region and capacity routes
#: (glm-5p3-us, kimi-k3-spot, deepseek-v4p1-flash-1017-ultrafast).
_DEPLOYMENT_WORDS = {"us", "eu", "spot", "ultrafast"}
_GOV_REGION = re.compile(r"^us-gov\.(?=[a-z])")
_REGION = {"us", "eu", "apac", "global", "au", "jp", "ca", "apne1"}
_VENDOR_PREFIX = re.compile(r"^([a-z][a-z0-9]*)\.(?=[a-z])")
_ISO_DATE = re.compile(r"(?<![0-9])(20\d{2})-(\d{2})-(\d{2})(?![0-9])")
_COMPACT_DATE = re.compile(r"(?<![0-9])(20\d{2})(\d{2})(\d{2})(?![0-9])")
_MONTH_YEAR = re.compile(r"(?<![0-9])(0[1-9]|1[0-2])-(20\d{2})(?![0-9])")  # Cohere's command-a-03-2025
_SHORT_DATE = re.compile(r"(?<![0-9.])(2[2-9])(0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?![0-9])")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)")
_P_POINT = re.compile(r"(?<=\d)p(?=\d)")  # Fireworks writes the point as "p": llama-v3p1, qwen2p5, glm-4p6, 1p5b
_SIZE = re.compile(r"^(?:\d+(?:\.\d+)?[bm]|\d+x\d+(?:\.\d+)?b|a\d+(?:\.\d+)?b|e\d+b|\d+e)$")  # 128e: experts
_VERSION = re.compile(r"^(?:\d+(?:\.\d+)*|v\d+(?:\.\d+)*)$")
_NOISE = {"instruct", "it", "fp8", "fp16", "bf16", "fp4", "nvfp4", "int4", "int8", "awq", "gguf", "w8a8", "hf",
          "quantized", "tee", "maas"}
_VERBATIM_PREFIXES = ("o1", "o3", "o4", "4o", "k2", "r1", "v3", "m1", "m2", "k1")


@dataclass(frozen=True, slots=True)
class ParsedId:
    """A model id taken apart. ``tokens`` keep their order; ``key`` is the comparable form."""

    raw: str
    owners: tuple[str, ...]
    tokens: tuple[str, ...]
    variant: str | None = None

    @property
    def key(self) -> str:
        """The tokens joined with ``-``: ``mistral-small-3.1-24b``."""
        return "-".join(self.tokens)

    def of_kind(self, kind: TokenKind) -> tuple[str, ...]:
        return tuple(t for t in self.tokens if token_kind(t) == kind)

    @property
    def date(self) -> str | None:
        dates = self.of_kind("date")
        return dates[-1] if dates else None


def token_kind(token: str) -> TokenKind:
    """``date`` (YYMM), ``size`` (24b, 8x7b, a3b), ``revision`` (Google's 001), ``version`` (3.1, 4, v2) or ``word``.

    >>> [token_kind(t) for t in ("2503", "24b", "3.1", "small", "0613", "001")]
    ['date', 'size', 'version', 'word', 'version', 'revision']
    """
    if len(token) == 3 and token[0] == "0" and token.isdigit():
        return "revision"
    if len(token) == 4 and token.isdigit() and 22 <= int(token[:2]) <= 29 and 1 <= int(token[2:]) <= 12:
        return "date"
    if _SIZE.match(token):
        return "size"
    if _VERSION.match(token):
        return "version"
    return "word"


def _split_word(token: str) -> list[str]:
    """``qwen3`` -> ``qwen 3``, ``llama3.1`` -> ``llama 3.1``; ``gpt4o`` -> ``gpt 4o``; short codes (o1, k2) stay."""
    if token in _VERBATIM_PREFIXES or _SIZE.match(token) or _VERSION.match(token):
        return [token]
    parts = _LETTER_DIGIT.split(token, maxsplit=1)
    if len(parts) == 2 and len(parts[0]) >= 3:
        return [parts[0], *_split_word(parts[1])] if not parts[1][0].isdigit() else [parts[0], parts[1]]
    return [token]


def _join_digit_pairs(tokens: list[str]) -> list[str]:
    """``claude 3 5 haiku`` -> ``claude 3.5 haiku``: two single digits in a row are one version.

    >>> _join_digit_pairs(["llama", "3", "1", "8b"]), _join_digit_pairs(["x", "3", "3", "3"])
    (['llama', '3.1', '8b'], ['x', '3.3', '3'])
    """
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and len(tokens[i]) == 1 and tokens[i].isdigit() and len(tokens[i + 1]) == 1 \
                and tokens[i + 1].isdigit():
            out.append(f"{tokens[i]}.{tokens[i + 1]}")
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def _strip_path(text: str) -> tuple[tuple[str, ...], str]:
    segments = [s for s in text.split("/") if s]
    if len(segments) >= 3 and segments[0] == "accounts" and "models" in segments:
        owner = segments[1]
        segments = segments[segments.index("models") + 1:]
        return (owner,), segments[-1] if segments else ""
    name = segments[-1] if segments else ""
    owners = tuple(s.removeprefix("hf:") for s in segments[:-1] if not s.startswith("@"))
    return owners, name


_AMAZON_LISTING = re.compile(r"(?:^|[./])amazon\.")


def _bedrock_version(match: re.Match[str]) -> str:
    """Bedrock's ``-v1:0``: the listing's version, dropped; but Amazon's own models carry their version in their
    name (``amazon.nova-lite-v1:0`` is Nova Lite v1, ``nova-lite-v1`` in Amazon's API and the other catalogs), so
    for them only the ``:0`` goes."""
    if _AMAZON_LISTING.search(match.string[: match.start()]):
        return match.group(0).rsplit(":", 1)[0]
    return ""


def parse_id(raw: str) -> ParsedId:
    """Take a provider's model id apart (see the module docstring).

    >>> p = parse_id("us.anthropic.claude-3-5-haiku-20241022-v1:0")
    >>> p.owners, p.key
    (('anthropic',), 'claude-3.5-haiku-2410')
    >>> parse_id("mistralai/mistral-small-24b-instruct-2501:free").variant
    'free'
    >>> parse_id("vertex_ai/mistral-large@2411-001").key, parse_id("vertex_ai/mistral-small-2503@001").key
    ('mistral-large-2411', 'mistral-small-2503')
    >>> parse_id("accounts/fireworks/models/qwen2p5-coder-32b-instruct").key, parse_id("accounts/fireworks/routers/glm-5p3-us").key
    ('qwen-2.5-coder-32b', 'glm-5.3')
    """
    text = raw.strip().lower()
    variant = None
    text = _BEDROCK_VERSION.sub(_bedrock_version, text)
    kept: list[str] = []
    while match := _VARIANT.search(text):  # claude-opus-4.6:thinking:low has two
        suffix, text = match.group(1), text[: match.start()]
        if suffix in _DECORATION_SUFFIXES or suffix.isdigit():
            variant = variant or suffix
        else:  # gemma3:4b, claude-opus-4.6:thinking, gpt-4o:extended: part of the model's name
            kept.insert(0, suffix)
    text = "-".join([text, *kept])
    if "@" in text.rsplit("/", 1)[-1][1:]:  # Vertex: claude-3-5-sonnet@20240620, mistral-large@2411-001, ...@001
        text, _, suffix = text.rpartition("@")
        dated = suffix.split("-", 1)[0]  # @2411-001: the version's date, then the listing's revision
        if _COMPACT_DATE.fullmatch(dated) or token_kind(dated) == "date":
            text = f"{text}-{dated}"  # a date names the version; a revision (@001, -001) is the listing's
    owners, name = _strip_path(text)
    owners = tuple(o for o in owners if o not in ("workers-ai", "route", "models", "pro", "tee", "kilo-auto"))
    vendor: list[str] = []
    name = _GOV_REGION.sub("", name)  # Bedrock GovCloud: us-gov.anthropic.claude-...
    while True:  # Bedrock: [region.]vendor.model
        m = _VENDOR_PREFIX.match(name)
        if not m or "-" in m.group(1):
            break
        if m.group(1) not in _REGION:
            vendor.append(m.group(1))
        name = name[m.end():]
    name = _ISO_DATE.sub(lambda d: d.group(1)[2:] + d.group(2), name)
    name = _MONTH_YEAR.sub(lambda d: d.group(2)[2:] + d.group(1), name)
    name = _COMPACT_DATE.sub(lambda d: d.group(1)[2:] + d.group(2), name)
    name = _SHORT_DATE.sub(lambda d: d.group(1) + d.group(2), name)  # doubao-seed-2.0-lite-260215 -> ...-2602
    name = _P_POINT.sub(".", name.replace("_", "-").replace(" ", "-"))
    tokens: list[str] = []
    for token in name.split("-"):
        if token:
            tokens.extend(_split_word(token))
    tokens = _join_digit_pairs([t for t in tokens if t not in _NOISE])
    tokens = ["thinking" if t == "think" else t for t in tokens]
    if len(tokens) > 1 and tokens[0] == "meta" and tokens[1] == "llama":
        tokens = tokens[1:]  # "Meta-Llama-3.1-8B" -> "llama-3.1-8b"
    if vendor and vendor != ["amazon"] and len(tokens) > 1 and re.fullmatch(r"v\d+", tokens[-1]):
        tokens = tokens[:-1]  # Bedrock: anthropic.claude-opus-4-6-v1 (the listing's revision; Amazon's own: a name)
    tokens = _without_serving_words(tokens)
    while len(tokens) > 1 and tokens[-1] in _DEPLOYMENT_WORDS:
        tokens = tokens[:-1]
    return ParsedId(raw=raw, owners=tuple(vendor) + owners, tokens=tuple(tokens), variant=variant)


def _without_serving_words(tokens: list[str]) -> list[str]:
    """Drop serving words and context sizes that follow the model's size (see ``_SERVING_WORDS``).

    >>> _without_serving_words(["llama", "3.3", "70b", "versatile"]), _without_serving_words(["llama", "3", "8b", "8192"])
    (['llama', '3.3', '70b'], ['llama', '3', '8b'])
    >>> _without_serving_words(["gpt", "3.5", "turbo"])
    ['gpt', '3.5', 'turbo']
    """
    sized = [i for i, t in enumerate(tokens) if _SIZE.match(t) and not t.startswith("a")]
    if not sized:
        return tokens
    cut = sized[0] + 1
    tail = [t for t in tokens[cut:]
            if not (t in _SERVING_WORDS or (t.isdigit() and int(t) >= 1000 and token_kind(t) != "date"))]
    return tokens[:cut] + tail


def parse_name(name: str) -> ParsedId:
    """A display name as an id: ``Mistral Small 3.1 (v25.03)`` -> tokens ``mistral small 3.1 2503``.

    >>> parse_name("Mistral Small 3.1 (v25.03)").key
    'mistral-small-3.1-2503'
    >>> parse_name("Claude Haiku 4.5").key
    'claude-haiku-4.5'
    """
    text = re.sub(r"\(v(\d{2})\.(\d{2})\)", r" \1\2 ", name.lower())
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"[^a-z0-9. ]+", " ", text)
    return parse_id("-".join(text.split()))


def slugify(text: str) -> str:
    """A slug for an IRI segment: lower case, ``[a-z0-9._-]``, no leading punctuation.

    >>> slugify("@cf/mistralai/Mistral-Small-3.1-24B-Instruct")
    'cf-mistralai-mistral-small-3.1-24b-instruct'
    """
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return re.sub(r"-{2,}", "-", slug) or "x"
