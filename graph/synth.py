"""A synthetic catalog: a realistic, deterministic knowledge base of N models, written as Turtle files.

The shape follows the real landscape: a few frontier makers with API-only families, open-weights families
served by many hosts, and a long tail of fine-tunes derived from open bases (Zipf: a few bases get most of
them). Families are version chains with release dates, deprecations and retirements; retired versions point
to a recommended replacement; moving ``-latest`` aliases follow the chain; popular models have many routes
with a price spread across providers; capabilities and use cases come with realistic frequencies; a few
fields carry conflicting claims (the maker's value is current). Same ``seed`` and ``models``, same bytes.

>>> import tempfile
>>> out = write_catalog(Path(tempfile.mkdtemp()), models=40, seed=1)
>>> out.models, sorted(p.name for p in out.root.iterdir())[:3]
(40, ['.modelatlas-synth', 'capabilities.ttl', 'licenses.ttl'])
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from modelatlas.graph.kinds import RouterKind, SourceKind, Status

__all__ = ["AS_OF", "SynthReport", "write_catalog"]

AS_OF = date(2026, 11, 25)  # "today" of the synthetic world: statuses are computed for it, never for the clock
PREFIXES = """@prefix ma: <https://modelatlas.dev/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix model: <https://modelatlas.dev/id/model/> .
@prefix family: <https://modelatlas.dev/id/family/> .
@prefix org: <https://modelatlas.dev/id/org/> .
@prefix provider: <https://modelatlas.dev/id/provider/> .
@prefix offering: <https://modelatlas.dev/id/offering/> .
@prefix router: <https://modelatlas.dev/id/router/> .
@prefix license: <https://modelatlas.dev/id/license/> .
@prefix cap: <https://modelatlas.dev/id/capability/> .
@prefix usecase: <https://modelatlas.dev/id/usecase/> .
@prefix src: <https://modelatlas.dev/id/source/> .
@prefix alias: <https://modelatlas.dev/id/alias/> .
@prefix link: <https://modelatlas.dev/id/link/> .
@prefix claim: <https://modelatlas.dev/id/claim/> .

"""
# capability -> how often a model has it (frequencies in the spirit of models.dev's flags)
CAPABILITIES = {
    "chat-completions": 0.92, "function-calling": 0.55, "json-mode": 0.45, "structured-outputs": 0.35,
    "batching": 0.2, "reasoning": 0.18, "document-qna": 0.12, "fine-tuning": 0.1, "prefix": 0.08, "fim": 0.07,
    "hybrid-reasoning": 0.05, "agents-conversations": 0.05, "predicted-outputs": 0.03, "connectors": 0.02,
}
USE_CASES = ["chat", "coding", "reasoning", "summarization", "translation", "classification", "json-tool-use",
             "vision", "document-understanding", "speech"]
# slug, name, spdx, osi, open source, commercial use, share among open-weights families
LICENSES = [
    ("apache-2.0", "Apache License 2.0", "Apache-2.0", True, True, True, 0.35),
    ("mit", "MIT License", "MIT", True, True, True, 0.12),
    ("llama-community", "Llama Community License", None, False, False, True, 0.2),
    ("gemma-terms", "Gemma Terms of Use", None, False, False, True, 0.08),
    ("qwen-license", "Qwen License Agreement", None, False, False, True, 0.07),
    ("cc-by-nc-4.0", "Creative Commons Attribution Non Commercial 4.0", "CC-BY-NC-4.0", False, False, False, 0.1),
    ("research-only", "Research-only model license", None, False, False, False, 0.08),
    ("proprietary-api", "Proprietary API terms", None, False, False, True, 0.0),
]
PROVIDER_KINDS = ["cloud_marketplace"] * 4 + ["inference_host"] * 10 + ["router_marketplace"] * 2
CONTEXTS = [4096, 8192, 32768, 65536, 128000, 200000, 1000000]
PARAMS = ["0.5", "1.5", "3.0", "7.0", "8.0", "14.0", "24.0", "32.0", "70.0", "123.0", "405.0"]
DERIVATIONS = ["finetune"] * 6 + ["quantized"] * 3 + ["adapter", "merge", "distilled"]
SYLLABLES = ["ae", "bri", "cor", "dax", "el", "fen", "gal", "hy", "io", "jun", "ka", "lum", "mi", "nor", "or", "pax",
             "qu", "ra", "sol", "tor", "ul", "vex", "wy", "xen", "yo", "zef"]


@dataclass
class SynthReport:
    """What was written: counts per kind and the directory."""

    root: Path
    models: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def _d(day: date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def _list(items: Iterable[str]) -> str:
    return ", ".join(items)


class _Writer:
    """Turtle text per file, plus counts."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, list[str]] = {}  # file path under root -> Turtle chunks
        self.counts: dict[str, int] = {}  # class -> nodes written

    def add(self, rel: str, kind: str, text: str) -> None:
        self.files.setdefault(rel, [PREFIXES]).append(text)
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def flush(self) -> None:
        for rel, chunks in self.files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(chunks), encoding="utf-8")


@dataclass
class _Maker:
    slug: str
    frontier: bool


@dataclass
class _Version:
    slug: str
    family: str
    maker: str
    release: date
    open_weights: bool
    license: str
    caps: list[str]
    context: int
    status: Status = Status.ACTIVE
    deprecation: date | None = None
    retirement: date | None = None
    popularity: float = 0.0


def _pick_caps(rng: random.Random) -> list[str]:
    return [c for c, p in CAPABILITIES.items() if rng.random() < p]


def _use_cases(caps: list[str], vision: bool) -> tuple[list[str], list[str]]:
    suited = ["chat"] if "chat-completions" in caps else []
    suited += ["json-tool-use"] if "function-calling" in caps else []
    suited += ["coding"] if "fim" in caps else []
    suited += ["reasoning"] if "reasoning" in caps or "hybrid-reasoning" in caps else []
    suited += ["document-understanding"] if "document-qna" in caps else []
    suited += ["vision"] if vision else []
    return suited, ([] if vision else ["vision"])


MARKER = ".modelatlas-synth"  # marks a directory this module wrote, so it may be replaced


def write_catalog(root: Path, *, models: int, seed: int = 0) -> SynthReport:
    """Write a catalog of exactly ``models`` models as ``root``; returns the counts.

    The files are written into a staging directory beside ``root`` and renamed into place at the end, so ``root`` is
    never half-written. An existing ``root`` is replaced only if it is empty or was written here (``MARKER``);
    anything else (a real knowledge base, say) raises FileExistsError and is left untouched.
    """
    if root.exists() and (not root.is_dir() or (any(root.iterdir()) and not (root / MARKER).exists())):
        raise FileExistsError(f"{root}: exists and is not a synthetic catalog written by modelatlas synth; "
                              "refusing to overwrite it (choose another --out)")
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.parent))
    try:
        report = _write(staging, models=models, seed=seed)
        (staging / MARKER).write_text(f"models={models} seed={seed}\n", encoding="utf-8")
        if root.exists():
            shutil.rmtree(root)
        staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SynthReport(root, report.models, report.counts)


def _write(root: Path, *, models: int, seed: int) -> SynthReport:
    rng = random.Random(seed)
    w = _Writer(root)
    makers = [_Maker(f"{_name(rng)}-{i:04d}", i < max(4, models // 2500)) for i in range(max(6, models // 120))]
    providers = [f"{_name(rng)}-{i:03d}" for i in range(min(80, 12 + models // 1500))]
    provider_factor = {p: round(rng.uniform(0.55, 1.6), 2) for p in providers}
    _write_reference(w, rng, makers, providers)

    versions: list[_Version] = []
    open_bases: list[_Version] = []
    fam_i = 0
    while len(versions) < models:
        maker = rng.choice(makers[: max(4, len(makers) // 5)]) if rng.random() < 0.4 else rng.choice(makers)
        roll = rng.random()
        kind = "api" if (maker.frontier and roll < 0.6) or roll < 0.1 else "open" if roll < 0.35 or not open_bases else "tune"
        family = f"{_name(rng)}-{fam_i:05d}"
        fam_i += 1
        n = 1 + min(11, int(rng.expovariate(1 / 3.0))) if kind != "tune" else rng.choice([1, 1, 1, 2, 3])
        n = min(n, models - len(versions))
        chain = _family(w, rng, maker, family, kind, n, open_bases, providers)
        versions += chain
        if kind == "open":
            open_bases += chain
    for v in versions:
        _offerings(w, rng, v, providers, provider_factor, makers)
    w.flush()
    return SynthReport(root, len(versions), dict(sorted(w.counts.items())))


def _write_reference(w: _Writer, rng: random.Random, makers: list[_Maker], providers: list[str]) -> None:
    """Sources, licenses, capabilities, organizations, providers, routers."""
    sources = (("models-dev", SourceKind.CATALOG), ("openrouter", SourceKind.CATALOG), ("hf-hub", SourceKind.CATALOG),
               ("blog", SourceKind.THIRD_PARTY))
    for slug, kind in sources:
        w.add("sources.ttl", "Source", f'src:{slug} a ma:Source ; schema:name "{slug} snapshot" ; ma:sourceKind "{kind}" ; ma:asOf {_d(AS_OF)} .\n')
    for m in makers:
        w.add("sources.ttl", "Source", f'src:{m.slug}-docs a ma:Source ; schema:name "{m.slug} docs" ; ma:sourceKind "{SourceKind.MAKER}" ; '
                                       f"schema:url <https://{m.slug}.example/docs> .\n")
        w.add("organizations.ttl", "Organization", f'org:{m.slug} a ma:Organization ; schema:name "{m.slug.title()}" ; '
                                                   f"schema:url <https://{m.slug}.example> .\n")
    for slug, name, spdx, osi, open_source, commercial, _ in LICENSES:
        spdx_line = f' spdx:licenseId "{spdx}" ;' if spdx else ""
        w.add("licenses.ttl", "License", f'license:{slug} a ma:License ; schema:name "{name}" ;{spdx_line} ma:osiApproved {str(osi).lower()} ; '
                                         f"ma:openSource {str(open_source).lower()} ; ma:commercialUse {str(commercial).lower()} ; "
                                         f'dcterms:source src:blog ; ma:citation "blog:licenses" .\n')
    for slug in CAPABILITIES:
        w.add("capabilities.ttl", "Capability", f'cap:{slug} a ma:Capability ; schema:name "{slug.replace("-", " ").capitalize()}" .\n')
    for slug in USE_CASES:
        w.add("capabilities.ttl", "UseCase", f'usecase:{slug} a ma:UseCase ; schema:name "{slug.replace("-", " ").capitalize()}" .\n')
    for m in makers:
        if m.frontier:
            w.add("providers.ttl", "Provider", f'provider:{m.slug}-api a ma:Provider ; schema:name "{m.slug} API" ; ma:providerKind "maker_api" ; '
                                               f'ma:operatedBy org:{m.slug} ; dcterms:source src:{m.slug}-docs ; ma:citation "{m.slug}-docs:api" .\n')
    for p in providers:
        w.add("providers.ttl", "Provider", f'provider:{p} a ma:Provider ; schema:name "{p.title()}" ; ma:providerKind "{rng.choice(PROVIDER_KINDS)}" ; '
                                           f'dcterms:source src:models-dev ; ma:citation "models-dev:providers/{p}" .\n')
    frontier_apis = [f"{m.slug}-api" for m in makers if m.frontier]
    for i in range(8):
        reach = sorted(rng.sample(providers, k=rng.randint(3, min(len(providers), 25))) + frontier_apis[: rng.randint(0, len(frontier_apis))])
        router_kind = RouterKind.ROUTER if i % 3 == 0 else RouterKind.GATEWAY
        lic = " ma:license license:mit ; ma:openSource true ;" if i % 2 else " ma:openSource false ;"
        w.add("routers.ttl", "Router", f'router:{_name(rng)}-gw{i} a ma:Router ; schema:name "Gateway {i}" ; ma:routerKind "{router_kind}" ;{lic} '
                                       f"ma:openaiCompatible true ; ma:reachesProvider {_list('provider:' + p for p in reach)} ; "
                                       f'dcterms:source src:blog ; ma:citation "blog:routers" .\n')


def _family(w: _Writer, rng: random.Random, maker: _Maker, family: str, kind: str, n: int,
            open_bases: list[_Version], providers: list[str]) -> list[_Version]:
    """One family: its versions (a chain), lineage links, an alias, claims; written to models/<maker>/<family>.ttl."""
    rel = f"models/{maker.slug}/{family}.ttl"
    w.add(rel, "ModelFamily", f'family:{family} a ma:ModelFamily ; schema:name "{family.title()}" ; ma:maker org:{maker.slug} ; '
                              f"dcterms:source src:{maker.slug}-docs .\n")
    base = None
    if kind == "tune":  # Zipf over bases: the first open models get most fine-tunes
        base = open_bases[min(len(open_bases) - 1, int(rng.paretovariate(1.1)) - 1)]
    lic = "proprietary-api" if kind == "api" else (base.license if base and rng.random() < 0.7 else
                                                    rng.choices([l[0] for l in LICENSES], [l[6] for l in LICENSES])[0])
    start = (base.release if base else date(2022, 1, 1)) + timedelta(days=rng.randint(5, 1200 if not base else 300))
    start = min(start, AS_OF - timedelta(days=3))
    caps = list(base.caps) if base else _pick_caps(rng)
    context = base.context if base else rng.choice(CONTEXTS[:5])
    vision = rng.random() < 0.25
    chain: list[_Version] = []
    day = start
    for i in range(n):
        if i:
            day = min(day + timedelta(days=rng.randint(60, 240)), AS_OF - timedelta(days=1))
            extra = [c for c in CAPABILITIES if c not in caps and rng.random() < 0.15]
            caps = [c for c in CAPABILITIES if c in caps or c in extra]
            context = min(CONTEXTS[-1], max(context, rng.choice(CONTEXTS)))
        slug = f"{family}-{day.strftime('%y%m')}-{i}"
        chain.append(_Version(slug, family, maker.slug, day, kind != "api", lic, caps, context,
                              popularity=(rng.paretovariate(1.3) if kind != "tune" else rng.random() * 0.6)))
    for old, new in pairwise(chain):  # older versions: deprecated a while after the next one, then retired
        old.deprecation = new.release + timedelta(days=rng.randint(90, 400))
        old.retirement = old.deprecation + timedelta(days=rng.randint(60, 240))
        old.status = (Status.RETIRED if old.retirement <= AS_OF else Status.DEPRECATED if old.deprecation <= AS_OF
                      else Status.ACTIVE)
    for v in chain:
        _model(w, rng, rel, v, kind, vision)
    for old, new in pairwise(chain):
        _link(w, rel, old.slug, new.slug, "NextVersion", f"ma:onDate {_d(new.release)}", maker.slug)
    if kind == "api" and len(chain) > 1:
        latest = chain[-1]
        for old in chain[:-1]:
            if old.deprecation and old.deprecation <= AS_OF and rng.random() < 0.8:
                _link(w, rel, old.slug, latest.slug, "RecommendedReplacement", f"ma:validFrom {_d(old.deprecation)}", maker.slug)
    if base is not None:
        _link(w, rel, chain[0].slug, base.slug, "DerivedFrom", f'ma:derivationKind "{rng.choice(DERIVATIONS)}"', maker.slug)
    if kind != "tune" and len(chain) > 1 and rng.random() < 0.6:
        _alias(w, rel, maker.slug, f"{family}-latest", chain)
    return chain


def _model(w: _Writer, rng: random.Random, rel: str, v: _Version, kind: str, vision: bool) -> None:
    suited, not_suited = _use_cases(v.caps, vision)
    lines = [f"model:{v.slug} a ma:Model", f'schema:name "{v.family.title()} {v.release.strftime("%y.%m")}"',
             f"ma:maker org:{v.maker}", f"ma:family family:{v.family}", f"ma:releaseDate {_d(v.release)}",
             f'ma:status "{v.status}"', f"ma:contextWindow {v.context}", f"ma:license license:{v.license}",
             f"ma:openWeights {str(v.open_weights).lower()}", 'ma:inputModality "text"' + (', "image"' if vision else ""),
             'ma:outputModality "text"']
    if kind != "tune":
        lines.append(f'ma:apiId "{v.slug}"')
    if v.open_weights:
        lines.append(f'ma:huggingFaceRepo "{v.maker}/{v.slug}"')
        lines.append(f"ma:parameters {rng.choice(PARAMS)} ; ma:architecture \"{rng.choice(['dense'] * 4 + ['moe'])}\"")
    if v.deprecation and v.retirement:  # set together by _family
        lines.append(f"ma:deprecationDate {_d(v.deprecation)} ; ma:retirementDate {_d(v.retirement)}")
    if v.caps:
        lines.append(f"ma:capability {_list('cap:' + c for c in v.caps)}")
    if suited:
        lines.append(f"ma:suitedFor {_list('usecase:' + u for u in suited)}")
    if not_suited:
        lines.append(f"ma:notSuitedFor {_list('usecase:' + u for u in not_suited)}")
    source = "hf-hub" if kind == "tune" else f"{v.maker}-docs"
    lines.append(f'dcterms:source src:{source} ; ma:citation "{source}:{v.slug}" ; ma:checkedOn {_d(AS_OF)}')
    w.add(rel, "Model", " ;\n    ".join(lines) + " .\n")
    if kind != "tune" and rng.random() < 0.02:  # a recorded conflict: a catalog disagrees, the maker's value is current
        for who, value, day in ((f"{v.maker}-docs", v.context, AS_OF - timedelta(days=30)), ("models-dev", v.context // 2, AS_OF)):
            w.add(rel, "Claim", f"claim:{v.slug}--context--{who} a ma:Claim ; ma:subject model:{v.slug} ; ma:property ma:contextWindow ; "
                                f'ma:value {value} ; ma:conflict "C-{v.slug}" ; ma:asOf {_d(day)} ; dcterms:source src:{who} ; '
                                f'ma:citation "{who}:{v.slug}" .\n')


def _link(w: _Writer, rel: str, a: str, b: str, kind: str, extra: str, maker: str) -> None:
    short = {"NextVersion": "next", "RecommendedReplacement": "replaced-by", "DerivedFrom": "derived-from"}[kind]
    w.add(rel, "LineageLink", f"link:{a}--{short}--{b} a ma:LineageLink ; ma:from model:{a} ; ma:to model:{b} ; ma:linkKind ma:{kind} ; "
                              f'{extra} ; dcterms:source src:{maker}-docs ; ma:citation "{maker}-docs:{short}" .\n')


def _alias(w: _Writer, rel: str, maker: str, name: str, chain: list[_Version]) -> None:
    w.add(rel, "Alias", f'alias:{name} a ma:Alias ; schema:name "{name}" ; ma:maker org:{maker} .\n')
    for v in chain:
        w.add(rel, "AliasBinding", f"link:{name}--alias--{v.slug} a ma:AliasBinding ; ma:alias alias:{name} ; ma:target model:{v.slug} ; "
                                   f'ma:validFrom {_d(v.release)} ; dcterms:source src:{maker}-docs ; ma:citation "{maker}-docs:aliases" .\n')


def _offerings(w: _Writer, rng: random.Random, v: _Version, providers: list[str], factor: dict[str, float],
               makers: list[_Maker]) -> None:
    """Routes: the maker's API for API models, many hosts for popular open models, few for fine-tunes."""
    if v.status == Status.RETIRED and rng.random() < 0.7:
        return
    hosts: list[str] = []
    if not v.open_weights:
        maker = next(m for m in makers if m.slug == v.maker)
        hosts = ([f"{v.maker}-api"] if maker.frontier else []) + rng.sample(providers, k=rng.randint(0 if maker.frontier else 1, 3))
    else:
        k = min(len(providers), int(v.popularity * 1.5))
        hosts = rng.sample(providers, k=k) if k else []
    base_in = round(rng.choice([0.05, 0.1, 0.2, 0.4, 0.8, 1.25, 2.5, 3.0, 5.0, 15.0]), 2)
    for host in hosts:
        f = factor.get(host, 1.0) * rng.uniform(0.9, 1.1)
        inp, out = round(base_in * f, 4), round(base_in * f * rng.choice([2, 3, 4, 5]), 4)
        w.add(f"offerings/{v.maker}.ttl", "Offering",
              f"offering:{host}--{v.slug} a ma:Offering ; ma:model model:{v.slug} ; ma:provider provider:{host} ; "
              f'ma:routeId "{v.slug}" ; ma:routeType "serverless" ; ma:inputPrice {inp} ; ma:outputPrice {out} ; '
              f'ma:contextWindow {v.context} ; ma:asOf {_d(AS_OF)} ; dcterms:source src:openrouter ; ma:citation "openrouter:{host}/{v.slug}" .\n')
