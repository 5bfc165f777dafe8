"""Caps on the work a parsed document may cause, checked in one linear pass before validation.

Validation's overlapping-fields rule compares every pair of fields that share a response key in a selection set
(through fragments too), so a thousand-token document of one field repeated 248 times costs 0.2-0.4 s to validate.
These checks bound that work on the syntax tree alone, with fragments expanded where they are spread (each
fragment counted once, memoized, so the pass stays linear):

- ``max_fields``: fields in the operation with its fragments expanded;
- ``max_selections``: fields one selection set holds (its inline fragments and spreads included);
- ``max_duplicates``: fields of one selection set with the same response key (alias or name).

>>> from graphql import parse
>>> [e.message for e in shape_errors(parse("{ a { b } a { c } }"), max_duplicates=1)]
["Field 'a' appears 2 times in one selection set; the limit is 1."]
>>> shape_errors(parse("fragment F on Query { a b } { ...F ...F }"), max_duplicates=2)
()
>>> [e.message for e in shape_errors(parse("fragment F on Query { a b c } { ...F x { ...F } }"), max_fields=6)]
['The document selects 7 fields (fragments expanded); the limit is 6.']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

__all__ = ["MAX_DUPLICATES", "MAX_FIELDS", "MAX_SELECTIONS", "shape_errors"]

MAX_FIELDS = 500
MAX_SELECTIONS = 100
MAX_DUPLICATES = 10


@dataclass
class _Shape:
    fields: int = 0  # fields at or below this selection set, fragments expanded
    keys: Counter[str] = field(default_factory=Counter)  # response key -> fields of this very set with it


def shape_errors(document: DocumentNode, *, max_fields: int = MAX_FIELDS, max_selections: int = MAX_SELECTIONS,
                 max_duplicates: int = MAX_DUPLICATES) -> tuple[GraphQLError, ...]:
    """The first cap ``document`` breaks, as a GraphQL error (none when it stays inside all three)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    memo: dict[str, _Shape] = {}
    errors: list[GraphQLError] = []

    def fragment(name: str) -> _Shape:
        found = memo.get(name)
        if found is None:
            memo[name] = _Shape()  # a cycle counts nothing (validation refuses it)
            definition = fragments.get(name)
            found = memo[name] = shape(definition.selection_set) if definition else _Shape()
        return found

    def shape(selection_set: SelectionSetNode) -> _Shape:
        result = _Shape()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                result.keys[(selection.alias or selection.name).value] += 1
                result.fields += 1 + (shape(selection.selection_set).fields if selection.selection_set else 0)
            else:
                inner = (fragment(selection.name.value) if isinstance(selection, FragmentSpreadNode)
                         else shape(selection.selection_set) if isinstance(selection, InlineFragmentNode) else None)
                if inner is not None:
                    result.fields += inner.fields
                    result.keys.update(inner.keys)
            if errors:
                return result
        if sum(result.keys.values()) > max_selections:
            errors.append(GraphQLError(f"A selection set holds {sum(result.keys.values())} fields; the limit is "
                                       f"{max_selections}.", selection_set))
        elif result.keys:
            key, count = result.keys.most_common(1)[0]
            if count > max_duplicates:
                errors.append(GraphQLError(f"Field '{key}' appears {count} times in one selection set; the limit is "
                                           f"{max_duplicates}.", selection_set))
        return result

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            total = shape(definition.selection_set).fields
            if errors:
                return tuple(errors[:1])
            if total > max_fields:
                return (GraphQLError(f"The document selects {total} fields (fragments expanded); the limit is "
                                     f"{max_fields}.", definition),)
    for name in fragments:  # fragments no operation spreads: validation refuses them, but bound their cost too
        fragment(name)
        if errors:
            return tuple(errors[:1])
    return ()
