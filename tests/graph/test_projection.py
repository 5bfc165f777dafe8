"""The in-memory projection matches the RDF it came from."""

from __future__ import annotations

from collections import Counter

from modelatlas.graph.mapping import LINK_KINDS
from modelatlas.graph.table import read_table
from modelatlas.graph.vocab import MA, RDF

CLASSES = ["Model", "ModelFamily", "Organization", "Provider", "Offering", "Router", "License", "Capability",
           "UseCase", "Source", "Alias", "AliasBinding", "LineageLink", "Claim"]


def test_counts_match_rdf(kg):
    ds = read_table().dataset
    by_rules = sum(1 for c in kg.claims if "--license--rule-" in c.slug)  # graph.licensing's decisions, made at load
    assert by_rules > 0
    for cls in CLASSES:
        assert kg.counts()[cls] - (by_rules if cls == "Claim" else 0) == len(set(ds.subjects(RDF.type, MA[cls]))), cls


def test_lineage_edges_match_rdf(kg):
    ds = read_table().dataset
    rdf_kinds = Counter(LINK_KINDS[k] for s in ds.subjects(RDF.type, MA.LineageLink) for k in ds.objects(s, MA.linkKind))
    graph_kinds = Counter(d["kind"] for _, _, d in kg.graph.edges(data=True) if d["kind"] in LINK_KINDS.values())
    assert graph_kinds == rdf_kinds


def test_offering_and_reach_edges(kg):
    offerings = [(a, b) for a, b, d in kg.graph.edges(data=True) if d["kind"] == "provider"]
    assert len(offerings) == len(kg.offerings)
    reach = sum(len(r.providers) for r in kg.routers.values())
    assert reach == sum(1 for *_, d in kg.graph.edges(data=True) if d["kind"] == "reachesProvider")


def test_lookup_by_bedrock_id_and_case(kg):
    assert kg.model("mistral.mistral-small-2402-v1:0").slug == "mistral-small-2402"
    assert kg.model("MISTRAL-SMALL-2402").slug == "mistral-small-2402"


def test_data_version_is_stable(kg):
    assert read_table().version == kg.version
