"""The modelatlas vocabulary as Python terms (mirrors data/vocab.ttl; a test keeps them in step)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, RDF, RDFS, SDO, XSD

MA = Namespace("https://modelatlas.dev/ns#")
ID_BASE = "https://modelatlas.dev/id/"
SPDX = Namespace("http://spdx.org/rdf/terms#")

#: kind of entity -> the IRI segment of its instances (``https://modelatlas.dev/id/<segment>/<slug>``)
KIND_SEGMENTS = {
    "Model": "model",
    "ModelFamily": "family",
    "Organization": "org",
    "Provider": "provider",
    "Offering": "offering",
    "Router": "router",
    "License": "license",
    "Capability": "capability",
    "UseCase": "usecase",
    "Source": "source",
    "Alias": "alias",
    "AliasBinding": "link",
    "LineageLink": "link",
    "Claim": "claim",
}

PREFIXES = {
    "ma": MA,
    "schema": SDO,
    "dcterms": DCTERMS,
    "rdfs": RDFS,
    "rdf": RDF,
    "xsd": XSD,
    "spdx": SPDX,
    **{seg if seg != "capability" else "cap": Namespace(f"{ID_BASE}{seg}/") for seg in set(KIND_SEGMENTS.values())},
}

__all__ = ["DCTERMS", "ID_BASE", "KIND_SEGMENTS", "MA", "PREFIXES", "RDF", "RDFS", "SDO", "SPDX", "XSD", "short"]


def short(term: object) -> str:
    """Return a prefixed name for an IRI, or the term as text.

    >>> short(MA.license)
    'ma:license'
    >>> short(PREFIXES["model"]["mistral-small-2402"])
    'model:mistral-small-2402'
    """
    text = str(term)
    best = ""
    for prefix, ns in PREFIXES.items():
        if text.startswith(str(ns)) and len(str(ns)) > len(best):
            best, name = str(ns), f"{prefix}:{text[len(str(ns)):]}"
    return name if best else text
