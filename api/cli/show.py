"""``modelatlas show MODEL``: a plain-text card for one model, from the graph the service serves.

    modelatlas show mistral-small-2402 [--no-imports]   facts, successors, routes with prices, routers, license
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from modelatlas.api.cli.common import DataOption, ImportsOption, fail, load, settings
from modelatlas.graph import KnowledgeGraphError
from modelatlas.graph.algorithms.lineage import edges_from, edges_to, version_chain
from modelatlas.graph.algorithms.migration import current_replacement
from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["model_card", "show"]


def show(
    model: Annotated[str, typer.Argument(help="A model slug, API id, route id or alias.")],
    data: DataOption = None,
    imports: ImportsOption = None,
) -> None:
    """A readable card: facts, successors, routes with prices, routers, license (as of MODELATLAS_TODAY if set)."""
    kg = load(data, imports)
    try:
        typer.echo(model_card(kg, model, settings().today or date.today()))
    except KnowledgeGraphError as exc:
        fail(exc)


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "-"
    return str(value)


def _price(value: object) -> str:
    return "-" if value is None else f"${value}"


def model_card(kg: KnowledgeGraph, ident: str, today: date) -> str:
    """The card of the model named by ``ident`` (slug, API id, route id or alias)."""
    m = kg.model(ident, today)
    lic = kg.licenses.get(m.license) if m.license else None
    lines = [f"{m.name}  [{m.slug}]", "=" * (len(m.name) + len(m.slug) + 4)]
    rows = [
        ("maker", kg.organizations[m.maker].name if m.maker in kg.organizations else m.maker),
        ("family", kg.families[m.family].name if m.family and m.family in kg.families else m.family),
        ("API ids", m.api_ids), ("Hugging Face", m.hf_repos),
        ("status", f"{kg.status(m, today)} (stated: {m.status})"),
        ("released", m.release_date), ("deprecated", m.deprecation_date), ("retires", m.retirement_date),
        ("context", f"{m.context_window:,} tokens" if m.context_window else None),
        ("max output", m.max_output_tokens),
        ("parameters", f"{m.parameters}B" + (f" ({m.active_parameters}B active)" if m.active_parameters else "") if m.parameters else "undisclosed"),
        ("architecture", m.architecture), ("open weights", m.open_weights),
        ("license", f"{lic.name}" + (f" ({lic.spdx_id})" if lic and lic.spdx_id else "") if lic else None),
        ("input", m.input_modalities), ("output", m.output_modalities),
        ("capabilities", [kg.capabilities[c].name for c in m.capabilities if c in kg.capabilities]),
        ("suited for", [kg.use_cases[u].name for u in m.suited_for if u in kg.use_cases]),
        ("not suited for", [kg.use_cases[u].name for u in m.not_suited_for if u in kg.use_cases]),
        ("sources", m.provenance.citations),
    ]
    lines += [f"  {label:<15} {_fmt(value)}" for label, value in rows]

    replacement = current_replacement(kg, m.slug, today)
    lines += ["", f"Recommended replacement today: {replacement.slug if replacement else '-'}"]
    chain = version_chain(kg, m.slug)
    lines.append("Version line: " + " -> ".join(f"[{x.slug}]" if x.slug == m.slug else x.slug for x in chain))
    lines.append("Successors:")
    for edge in sorted(edges_from(kg, m.slug), key=lambda e: (e.kind, e.target)):
        when = " ".join(x for x in (f"from {edge.valid_from}" if edge.valid_from else "", f"until {edge.valid_to}" if edge.valid_to else "") if x)
        lines.append(f"  {edge.kind.lower().replace('_', ' '):<24} {edge.target} {when}".rstrip())
    lines.append("Predecessors:")
    for edge in sorted(edges_to(kg, m.slug), key=lambda e: (e.kind, e.source)):
        lines.append(f"  {edge.kind.lower().replace('_', ' '):<24} {edge.source}")

    lines += ["", "Routes (price ladder, USD per 1M tokens, blended 3:1):",
              f"  {'provider':<28} {'route id':<48} {'input':>8} {'output':>8} {'batch in':>8} {'cached':>8} {'context':>8}"]
    for o in kg.offerings_of(m.slug):
        name = kg.providers[o.provider].name if o.provider in kg.providers else o.provider
        lines.append(f"  {name[:28]:<28} {o.route_id[:48]:<48} {_price(o.input_price):>8} {_price(o.output_price):>8} "
                     f"{_price(o.batch_input_price):>8} {_price(o.cached_input_price):>8} {_fmt(o.context_window):>8}")
    lines += ["", "Routers and gateways that reach it (evidence: its own list, or a provider a gateway supports):"]
    reach: dict[str, list[str]] = {}
    for found in kg.reaches(m.slug):
        how = (f"lists {found.route_id}" if found.evidence == "listed" else f"via {found.via.name}")
        reach.setdefault(f"{found.router.name} ({found.router.kind})", []).append(how)
    for label, evidence in sorted(reach.items()):
        lines.append(f"  {label:<50} {'; '.join(sorted(evidence))}")
    if not reach:
        lines.append("  -")
    return "\n".join(lines)
