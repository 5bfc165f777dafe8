"""The record mapping (``graph.mapping``): complete, and reading what it writes gives the same records."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import pytest
from rdflib.term import Node

from modelatlas.graph import load_graph
from modelatlas.graph.mapping import PROVENANCE, RECORDS, UNMAPPED, RecordMap
from modelatlas.graph.synth import write_catalog


def _mapped(kind: RecordMap) -> set[str]:
    return {f.name for f in kind.fields} | ({"slug"} if kind.segment else set()) | (
        {"provenance"} if kind.provenance else set())


@pytest.mark.parametrize("kind", [*RECORDS, PROVENANCE], ids=lambda k: k.record.__name__)
def test_every_record_field_is_mapped(kind):
    names = {f.name for f in dataclasses.fields(kind.record)}
    assert names == _mapped(kind) | set(UNMAPPED.get(kind.record, ()))


def _round_trip(kg) -> None:
    for kind in RECORDS:
        part = getattr(kg, kind.part)
        for record in (part.values() if hasattr(part, "values") else part):
            props: dict[Node, list[Node]] = defaultdict(list)
            for _, predicate, obj in kind.triples(record):
                props[predicate].append(obj)
            assert kind.read(kind.iri(record), props) == record


def test_records_survive_writing_and_reading(kg, tmp_path):
    _round_trip(kg)
    _round_trip(load_graph([write_catalog(tmp_path / "s", models=60, seed=2).root], imports=False, cache=False))
