"""Errors of the knowledge graph.

* KnowledgeGraphError
  + DataError          -- a data file cannot be read (syntax, missing file)
  + ValidationError    -- the data was read but breaks the shapes or the graph rules; holds every Problem
  + NotFoundError      -- an id names nothing in the graph
"""

from __future__ import annotations

from dataclasses import dataclass


class KnowledgeGraphError(Exception):
    """Base class of every error raised by `graph`."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the data, located by file, subject and property.

    >>> str(Problem("data/x.ttl", "model:a", "ma:license", "unknown license"))
    'data/x.ttl: model:a ma:license: unknown license'
    """

    file: str
    subject: str
    property: str
    message: str

    def __str__(self) -> str:
        where = " ".join(part for part in (self.subject, self.property) if part)
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


class DataError(KnowledgeGraphError):
    """A data file could not be read; the message names the file (and line)."""


class ValidationError(KnowledgeGraphError):
    """The data breaks the shapes or the graph rules."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the data:\n{lines}")


class NotFoundError(KnowledgeGraphError, LookupError):
    """No entity of the asked kind has this id."""

    def __init__(self, kind: str, ident: str):
        self.kind = kind
        self.ident = ident
        super().__init__(f"no {kind} with id {ident!r}")
