"""Moving aliases through time (``mistral-small-latest`` pointed to 2402, then 2409, ...).

A binding's effective start is its ``validFrom``; when only an observation date is known, the start is the
target's release date (an alias cannot point to a model before it exists), else the observation date.
A binding ends at its ``validTo`` (exclusive) or where the next binding starts.
"""

from __future__ import annotations

from datetime import date

from modelatlas.graph.errors import NotFoundError
from modelatlas.graph.knowledge import KnowledgeGraph
from modelatlas.graph.records import AliasBinding, Model

__all__ = ["alias_history", "binding_start", "resolve_alias"]


def binding_start(kg: KnowledgeGraph, binding: AliasBinding) -> date | None:
    """When a binding took effect (see the module docstring)."""
    if binding.valid_from:
        return binding.valid_from
    target = kg.models.get(binding.target)
    if target and target.release_date:
        return target.release_date
    return binding.observed_on


def alias_history(kg: KnowledgeGraph, name: str) -> list[tuple[AliasBinding, date | None, date | None]]:
    """Each binding of the alias with its effective (start, end), oldest first.

    Raises NotFoundError for an unknown alias.
    """
    slug = kg.index.alias_by_name.get(name.strip().lower())
    if slug is None:
        raise NotFoundError("alias", name)
    bindings = sorted(kg.index.bindings_by_alias.get(slug, ()), key=lambda b: (binding_start(kg, b) or date.min, b.slug))
    history = []
    for i, binding in enumerate(bindings):
        start = binding_start(kg, binding)
        end = binding.valid_to
        if end is None and i + 1 < len(bindings):
            end = binding_start(kg, bindings[i + 1])
        history.append((binding, start, end))
    return history


def resolve_alias(kg: KnowledgeGraph, name: str, on: date) -> Model:
    """The model the alias pointed to on ``on``.

    Raises NotFoundError when the alias is unknown or pointed nowhere on that date.
    """
    for binding, start, end in reversed(alias_history(kg, name)):
        if (start is None or start <= on) and (end is None or on < end):
            return kg.models[binding.target]
    raise NotFoundError("alias target", f"{name} on {on.isoformat()}")
