"""The import report: what was read, where it went, what was rejected and why, and how sources disagree.

>>> ImportReport(rows_read=10, resolved_curated=2, resolved_canonical=7, unresolved=1).resolved_share
0.9
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from modelatlas.graph.changes import RouteValues
from modelatlas.graph.importers.rows import Rejection

__all__ = ["ImportReport", "MakerShare"]


@dataclass(frozen=True)
class MakerShare:
    maker: str
    rows: int
    resolved: int

    @property
    def share(self) -> float:
        return self.resolved / self.rows if self.rows else 0.0


@dataclass
class ImportReport:
    """Figures of one import (see ``modelatlas import``)."""

    sources: list[tuple[str, str, str, int]] = field(default_factory=list)  # (source, version, as-of, rows)
    rows_read: int = 0  # after folding tier routes (``m:batch``) into their base route
    tier_routes_folded: int = 0
    resolved_curated: int = 0
    resolved_canonical: int = 0
    unresolved: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    top_unresolved: list[tuple[str, int, str]] = field(default_factory=list)  # (id, rows, rule)
    makers: list[MakerShare] = field(default_factory=list)  # the ten largest, most rows first
    unknown_maker_rows: int = 0
    mistral_small: list[tuple[str, str, str, str]] = field(default_factory=list)  # (provider, route id, model, rule)
    conflicts: int = 0
    conflicts_by_field: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejection] = field(default_factory=list)
    models_added: int = 0
    canonical_models: int = 0
    unresolved_models: int = 0
    offerings_added: int = 0
    offerings_merged: int = 0
    claims_added: int = 0
    inferred_links: int = 0
    duplicate_pairs: list[tuple[str, str]] = field(default_factory=list)  # suspected spellings of one model
    timings: dict[str, float] = field(default_factory=dict)
    #: catalog -> ``<provider id>/<route id>`` -> the values taken for that route (its value snapshot, graph.changes)
    route_values: dict[str, dict[str, RouteValues]] = field(default_factory=dict)
    changes: int = 0  # changes in the feed of this import's value snapshots and the stored ones

    @property
    def resolved(self) -> int:
        return self.resolved_curated + self.resolved_canonical

    @property
    def resolved_share(self) -> float:
        return self.resolved / self.rows_read if self.rows_read else 0.0

    def lines(self) -> list[str]:
        """The report as text lines, as ``modelatlas import`` prints it."""
        out = [f"source {s} {v}: {n} rows, as of {d}" for s, v, d, n in self.sources]
        out.append(f"rows read: {self.rows_read}; resolved: {self.resolved} ({self.resolved_share:.1%}): "
                   f"{self.resolved_curated} to curated models, {self.resolved_canonical} to importer canonical models; "
                   f"unresolved: {self.unresolved}")
        out.append(f"tier routes (:batch, :flex, :priority) folded into their base route's price tiers: "
                   f"{self.tier_routes_folded}")
        out.append("rules: " + ", ".join(f"{rule} {n}" for rule, n in self.rules.most_common()))
        out.append(f"nodes added: {self.canonical_models} canonical models, {self.unresolved_models} unresolved models, "
                   f"{self.offerings_added} offerings ({self.offerings_merged} routes merged into existing offerings), "
                   f"{self.claims_added} claims, {self.inferred_links} inferred next-version links")
        out.append("ten largest makers (rows resolved / rows):")
        out += [f"  {m.maker:<16} {m.resolved:>5} / {m.rows:<5} {m.share:.1%}" for m in self.makers]
        out.append(f"  (rows whose maker no rule can name, all unresolved: {self.unknown_maker_rows})")
        out.append("top unresolved ids (rows, rule):")
        out += [f"  {ident}  ({n}, {rule})" for ident, n, rule in self.top_unresolved]
        out.append("Mistral Small rows of models.dev:")
        out += [f"  {p}/{r} -> {m} ({rule})" for p, r, m, rule in self.mistral_small]
        out.append(f"conflicts: {self.conflicts} (subject, field) groups where sources disagree: "
                   + ", ".join(f"{f} {n}" for f, n in self.conflicts_by_field.most_common()))
        reasons = Counter(r.reason.split(":")[0] for r in self.rejected)
        out.append(f"rejected values: {len(self.rejected)} (" + ", ".join(f"{k} {n}" for k, n in reasons.most_common()) + ")")
        out += [f"  {r}" for r in self.rejected[:40]]
        if len(self.rejected) > 40:
            out.append(f"  ... and {len(self.rejected) - 40} more")
        out.append(f"suspected duplicate pairs (same maker, words, sizes and release date): {len(self.duplicate_pairs)}")
        out.extend(f"  {a} ~ {b}" for a, b in self.duplicate_pairs)
        out.append(f"change feed: {self.changes} changes across the stored value snapshots and this import's")
        if self.timings:
            out.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.timings.items()))
        return out
