"""Records from a triple table (``graph.table``): the reads of ``graph.build``, done as dictionary look-ups.

``graph.build`` reads each field with ``one(graph, subject, MA.x)``: a Namespace attribute, an rdflib query and a
sort per field, ~2 µs, which is 20 s for the 10M field reads of a 100k-model catalog. Here each subject's
``predicate -> objects`` dict is fetched once and the predicates are constants. The records are the same
(``tests/test_scale.py`` compares both builders on the curated data and a synthetic catalog), so a field added
to ``graph.build`` must be added here too.

>>> from modelatlas.graph.table import read_table
>>> from modelatlas.graph.load import default_data_dir
>>> build_from_table(read_table([default_data_dir()])).models["mistral-small-2402"].maker
'mistral'
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rdflib import Literal, URIRef

from modelatlas.graph.build import LINK_KIND_NAMES
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.rdf_read import as_str, slug_of
from modelatlas.graph.records import (
    Alias, AliasBinding, Capability, Claim, Family, License, LineageLink, Model, Offering, Organization, Provider,
    Provenance, Router, Source, UseCase,
)
from modelatlas.graph.table import LoadedTable, register_terms
from modelatlas.graph.vocab import DCTERMS, MA, RDFS, SDO, SPDX, short

__all__ = ["build_from_table"]

# predicates as constants: an rdflib Namespace builds a new URIRef on every attribute access
NAME, URL, SOURCE, COMMENT, SPDX_ID = SDO.name, SDO.url, DCTERMS.source, RDFS.comment, SPDX.licenseId
(MAKER, FAMILY, STATUS, API_ID, HF_REPO, RELEASE, DEPRECATION, RETIREMENT, CONTEXT, MAX_OUT, PARAMS, ACTIVE, ARCH,
 OPEN_WEIGHTS, LICENSE, IN_MOD, OUT_MOD, CAPABILITY, SUITED, NOT_SUITED, CUTOFF, CITATION, CHECKED, AS_OF,
 UNCONFIRMED, KIND, PROVIDER_KIND, OPERATED_BY, MODEL, PROVIDER, ROUTE_ID, ROUTE_TYPE, IN_PRICE, OUT_PRICE,
 BATCH_IN, BATCH_OUT, CACHED_IN, PRICE_FROM, ROUTER_KIND, OPEN_SOURCE, OPENAI, SELF_HOSTED, REACHES_PROVIDER,
 REACHES_OFFERING, OSI, COMMERCIAL, ALIAS, TARGET, VALID_FROM, VALID_TO, OBSERVED, FROM, TO, LINK_KIND,
 DERIVATION, ON_DATE, SCOPE, VALUE, SUBJECT, PROPERTY, CONFLICT, REJECTED) = (MA[n] for n in (
    "maker family status apiId huggingFaceRepo releaseDate deprecationDate retirementDate contextWindow "
    "maxOutputTokens parameters activeParameters architecture openWeights license inputModality outputModality "
    "capability suitedFor notSuitedFor knowledgeCutoff citation checkedOn asOf unconfirmed sourceKind providerKind "
    "operatedBy model provider routeId routeType inputPrice outputPrice batchInputPrice batchOutputPrice "
    "cachedInputPrice priceValidFrom routerKind openSource openaiCompatible selfHosted reachesProvider "
    "reachesOffering osiApproved commercialUse alias target validFrom validTo observedOn from to linkKind "
    "derivationKind onDate scope value subject property conflict rejected").split())
_NONE: tuple = ()
register_terms([NAME, URL, SOURCE, COMMENT, SPDX_ID] + [v for k, v in list(globals().items()) if k.isupper() and isinstance(v, URIRef)])


def _one(props: dict, p):
    values = props.get(p)
    if not values:
        return None
    return values[0] if len(values) == 1 else min(values, key=str)


def _many(props: dict, p) -> list:
    values = props.get(p, _NONE)
    return list(values) if len(values) < 2 else sorted(values, key=str)


def _strs(props: dict, p) -> tuple[str, ...]:
    return tuple(str(v) for v in _many(props, p))


def _slugs(props: dict, p) -> tuple[str, ...]:
    return tuple(slug_of(v) for v in _many(props, p))


def _slug(props: dict, p) -> str | None:
    node = _one(props, p)
    return slug_of(node) if node is not None else None


def _value(props: dict, p):
    """The Python value of the first object, as ``rdf_read``'s converters see it (None for an ill-typed literal)."""
    values = props.get(p)
    if not values:
        return None
    node = values[0] if len(values) == 1 else min(values, key=str)
    return node.value if isinstance(node, Literal) else node


def _date(props: dict, p) -> date | None:
    value = _value(props, p)
    return value if isinstance(value, date) else None


def _decimal(props: dict, p) -> Decimal | None:
    value = _value(props, p)
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value)) if isinstance(value, (int, float, Decimal)) else None


def _int(props: dict, p) -> int | None:
    value = _value(props, p)
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(props: dict, p) -> bool | None:
    value = _value(props, p)
    return value if isinstance(value, bool) else None


def _comment(props: dict) -> str | None:
    texts = _strs(props, COMMENT)
    return " ".join(texts) if texts else None


def _prov(props: dict) -> Provenance:
    return Provenance(_slugs(props, SOURCE), _strs(props, CITATION), _date(props, CHECKED), _date(props, AS_OF),
                      bool(_bool(props, UNCONFIRMED)), _comment(props))


def build_from_table(data: LoadedTable, *, release: bool = False) -> KnowledgeGraph:
    """Every entity of the table as records, indexed (what ``graph.build.build_knowledge_graph`` does for a Dataset).

    With ``release`` the table is emptied once the records are read, before they are indexed: the peak memory
    of a large load is then the records plus their indexes, not the triples too.
    """
    table = data.dataset

    def each(cls_name: str):
        for s in sorted(set(table.instances.get(MA[cls_name], ())), key=str):
            yield s, table.props[s]

    records = dict(
        models=[_model(s, p) for s, p in each("Model")],
        families=[Family(slug_of(s), str(_one(p, NAME)), _slug(p, MAKER) or "", _comment(p)) for s, p in each("ModelFamily")],
        organizations=[Organization(slug_of(s), str(_one(p, NAME)), as_str(_one(p, URL))) for s, p in each("Organization")],
        providers=[Provider(slug_of(s), str(_one(p, NAME)), str(_one(p, PROVIDER_KIND)), as_str(_one(p, URL)),
                            _slug(p, OPERATED_BY), _prov(p)) for s, p in each("Provider")],
        offerings=[_offering(s, p) for s, p in each("Offering")],
        routers=[_router(s, p) for s, p in each("Router")],
        licenses=[License(slug_of(s), str(_one(p, NAME)), as_str(_one(p, SPDX_ID)), bool(_bool(p, OSI)),
                          bool(_bool(p, OPEN_SOURCE)), _bool(p, COMMERCIAL), as_str(_one(p, URL)), _prov(p))
                  for s, p in each("License")],
        capabilities=[Capability(slug_of(s), str(_one(p, NAME)), _comment(p)) for s, p in each("Capability")],
        use_cases=[UseCase(slug_of(s), str(_one(p, NAME)), _comment(p)) for s, p in each("UseCase")],
        sources=[Source(slug_of(s), str(_one(p, NAME)), str(_one(p, KIND)), as_str(_one(p, URL)), _date(p, AS_OF),
                        _comment(p)) for s, p in each("Source")],
        aliases=[Alias(slug_of(s), str(_one(p, NAME)), _slug(p, MAKER)) for s, p in each("Alias")],
        bindings=[AliasBinding(slug_of(s), _slug(p, ALIAS) or "", _slug(p, TARGET) or "", _date(p, VALID_FROM),
                               _date(p, VALID_TO), _date(p, OBSERVED), _prov(p)) for s, p in each("AliasBinding")],
        links=[_link(s, p) for s, p in each("LineageLink")],
        claims=[_claim(s, p) for s, p in each("Claim")],
    )
    if release:
        table.props.clear()
        table.instances.clear()
        table.file_of.clear()
    return KnowledgeGraph.from_records(version=data.version, **records)


def _model(s, p: dict) -> Model:
    return Model(
        slug=slug_of(s), name=str(_one(p, NAME)), maker=_slug(p, MAKER) or "", status=str(_one(p, STATUS) or "active"),
        family=_slug(p, FAMILY), api_ids=_strs(p, API_ID), hf_repos=_strs(p, HF_REPO),
        release_date=_date(p, RELEASE), deprecation_date=_date(p, DEPRECATION),
        retirement_date=_date(p, RETIREMENT), context_window=_int(p, CONTEXT),
        max_output_tokens=_int(p, MAX_OUT), parameters=_decimal(p, PARAMS),
        active_parameters=_decimal(p, ACTIVE), architecture=as_str(_one(p, ARCH)),
        open_weights=_bool(p, OPEN_WEIGHTS), license=_slug(p, LICENSE),
        input_modalities=_strs(p, IN_MOD), output_modalities=_strs(p, OUT_MOD), capabilities=_slugs(p, CAPABILITY),
        suited_for=_slugs(p, SUITED), not_suited_for=_slugs(p, NOT_SUITED), knowledge_cutoff=as_str(_one(p, CUTOFF)),
        provenance=_prov(p),
    )


def _offering(s, p: dict) -> Offering:
    return Offering(
        slug=slug_of(s), model=_slug(p, MODEL) or "", provider=_slug(p, PROVIDER) or "", route_id=str(_one(p, ROUTE_ID)),
        route_type=as_str(_one(p, ROUTE_TYPE)), input_price=_decimal(p, IN_PRICE),
        output_price=_decimal(p, OUT_PRICE), batch_input_price=_decimal(p, BATCH_IN),
        batch_output_price=_decimal(p, BATCH_OUT), cached_input_price=_decimal(p, CACHED_IN),
        context_window=_int(p, CONTEXT), deprecation_date=_date(p, DEPRECATION),
        price_valid_from=_date(p, PRICE_FROM), provenance=_prov(p),
    )


def _router(s, p: dict) -> Router:
    return Router(
        slug=slug_of(s), name=str(_one(p, NAME)), kind=str(_one(p, ROUTER_KIND)), open_source=_bool(p, OPEN_SOURCE),
        license=_slug(p, LICENSE), openai_compatible=_bool(p, OPENAI), self_hosted=_bool(p, SELF_HOSTED),
        url=as_str(_one(p, URL)), operated_by=_slug(p, OPERATED_BY), providers=_slugs(p, REACHES_PROVIDER),
        offerings=_slugs(p, REACHES_OFFERING), provenance=_prov(p),
    )


def _link(s, p: dict) -> LineageLink:
    return LineageLink(
        slug=slug_of(s), source=_slug(p, FROM) or "", target=_slug(p, TO) or "",
        kind=LINK_KIND_NAMES.get(_one(p, LINK_KIND), "NEXT_VERSION"), derivation_kind=as_str(_one(p, DERIVATION)),
        valid_from=_date(p, VALID_FROM), valid_to=_date(p, VALID_TO), on_date=_date(p, ON_DATE),
        observed_on=_date(p, OBSERVED), scope=_slug(p, SCOPE), provenance=_prov(p),
    )


def _claim(s, p: dict) -> Claim:
    value = _one(p, VALUE)
    py_value = value.toPython() if isinstance(value, Literal) else (short(value) if value is not None else None)
    prop = _one(p, PROPERTY)
    return Claim(
        slug=slug_of(s), subject=short(_one(p, SUBJECT)), property=short(prop).removeprefix("ma:") if prop is not None else "",
        value=py_value, conflict=as_str(_one(p, CONFLICT)), rejected=bool(_bool(p, REJECTED)), provenance=_prov(p),
    )
