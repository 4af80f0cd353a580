"""The exceptions chainkg raises; the CLI shows their message to the user, one line per problem."""

from __future__ import annotations

__all__ = ["GraphError", "SeedError", "QueryError", "ExportError", "ValidationError"]


class GraphError(Exception):
    """An error whose message is written for the user (bad input, not a bug)."""


class SeedError(GraphError):
    """One or more problems in a seeds folder; the message lists all of them, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class QueryError(GraphError):
    """A SPARQL query that cannot be parsed or run, or a named query used wrongly."""


class ExportError(GraphError):
    """An output that cannot be written (unknown format, unwritable folder)."""


class ValidationError(GraphError):
    """Shapes or data that the SHACL validator cannot read."""
