"""An estimate of how many nodes (field values) a GraphQL operation can return, before it runs.

Each field costs 1 per parent value; a list multiplies what is below it by its expected length:
the ``first`` argument of the field or of the connection it belongs to, else ``DEFAULT_LIST_SIZE``.
Fragments are expanded where they are spread, so a fragment reused ten times costs ten times.

>>> from modelatlas.schema import schema
>>> from graphql import parse
>>> gql = schema._schema
>>> estimate_cost(gql, parse('{ model(id: "x") { name offerings { routeId inputPrice } } }'))
43
>>> estimate_cost(gql, parse('{ models(first: 5) { edges { node { name } } } }'))
12
"""

from __future__ import annotations

from collections.abc import Mapping, Sized
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["DEFAULT_LIST_SIZE", "estimate_cost"]

DEFAULT_LIST_SIZE = 20
_MAX_FRAGMENT_DEPTH = 50  # fragments nested deeper than this (circular ones are a validation error) ...
TOO_DEEP = 10**9  # ... cost more than any budget, rather than nothing


def list_sizes(kg: KnowledgeGraph) -> dict[str, int]:
    """The longest list each unpaginated list field can return in this snapshot (``Type.field`` -> items).

    A provider like OpenRouter serves ~1,000 routes: assuming 20 would let ``provider { offerings {...} }`` through
    at a fiftieth of its real cost.
    """
    index = kg.index

    def longest(mapping: Mapping[str, Sized]) -> int:
        return max((len(v) for v in mapping.values()), default=0)

    return {
        "Provider.offerings": longest(index.offerings_by_provider), "Model.offerings": longest(index.offerings_by_model),
        "Model.routers": longest(index.router_reach_by_model), "Organization.models": longest(index.models_by_maker),
        "Family.models": longest(index.models_by_family), "License.models": longest(index.models_by_license),
        "Model.claims": longest(index.claims_by_subject), "Offering.claims": longest(index.claims_by_subject),
        "Provider.routers": longest(index.routers_by_provider),
        **_family_sizes(kg),
    }


def _family_sizes(kg: KnowledgeGraph) -> dict[str, int]:
    """An umbrella family's versions and lineage (its lines' models too: Qwen has ~200)."""
    from modelatlas.graph.families import family_members

    versions = max((len(family_members(kg, f)) for f in kg.families), default=0)
    return {"Family.versions": versions, "FamilyLineage.nodes": versions, "FamilyLineage.edges": versions,
            "Family.lines": max((sum(f.parent == p for f in kg.families.values()) for p in kg.families), default=0)}


def estimate_cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None = None,
                  variables: dict[str, Any] | None = None, sizes: dict[str, int] | None = None) -> int:
    """Estimated nodes of the chosen operation (the first one when unnamed). ``sizes`` (see :func:`list_sizes`)
    gives the length of unpaginated lists; others count ``DEFAULT_LIST_SIZE``."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next((o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)),
                     None)
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return 0
    defaults = {d.variable.name.value: int(d.default_value.value) for d in operation.variable_definitions or ()
                if isinstance(d.default_value, IntValueNode)}  # an unset `$n: Int = 100` runs with 100
    walk = _CostWalk(schema, document, {**defaults, **(variables or {})}, sizes or {})
    return walk.selections(root, operation.selection_set, 1, None, 0)


def _unwrap(type_: GraphQLOutputType) -> tuple[GraphQLNamedType, bool]:
    is_list = False
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        is_list = is_list or isinstance(type_, GraphQLList)
        type_ = type_.of_type
    return type_, is_list


class _CostWalk:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any],
                 sizes: dict[str, int]) -> None:
        self.schema = schema
        self.variables = variables
        self.sizes = sizes
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}

    def first(self, field: FieldNode) -> int | None:
        for argument in field.arguments or ():
            if argument.name.value in ("first", "last", "limit"):
                value = argument.value
                if isinstance(value, IntValueNode):
                    return int(value.value)
                if isinstance(value, VariableNode) and isinstance(self.variables.get(value.name.value), int):
                    return int(self.variables[value.name.value])
        return None

    def selections(self, parent: GraphQLNamedType | None, selection_set: SelectionSetNode | None, multiplier: int, page: int | None,
                   depth: int) -> int:
        if selection_set is None:
            return 0
        if depth > _MAX_FRAGMENT_DEPTH:
            return TOO_DEEP
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, multiplier, page, depth)
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = self.schema.get_type(selection.type_condition.name.value)
                total += self.selections(target, selection.selection_set, multiplier, page, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.selections(target, fragment.selection_set, multiplier, page, depth + 1)
        return total

    def field(self, parent: GraphQLNamedType | None, field: FieldNode, multiplier: int, page: int | None, depth: int) -> int:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):  # a union, or no type
            return multiplier
        definition = parent.fields.get(field.name.value)
        if definition is None:  # __typename, introspection, or a field of a union: count the field alone
            return multiplier
        child_type, is_list = _unwrap(definition.type)
        own_page = self.first(field)
        if is_list:
            known = self.sizes.get(f"{parent.name}.{field.name.value}", DEFAULT_LIST_SIZE)
            size = own_page if own_page is not None else (page if page is not None else known)
            inner = multiplier * max(size, 1)
        else:
            inner = multiplier
        # a connection's `first` sizes its own edges / nodes list; a plain list's `first` is used up by the list itself
        next_page = None if is_list else (own_page if own_page is not None else page)
        return multiplier + self.selections(child_type, field.selection_set, inner, next_page, depth)
