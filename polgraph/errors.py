"""Errors polgraph raises. The command line turns each into a clear message and exit code."""

from __future__ import annotations


class PolgraphError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class ArticleError(PolgraphError):
    """An article could not be read: names the file, the line where it helps, and why."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class TurtleError(PolgraphError):
    """A hand-written Turtle file is broken: names the file, line and column."""

    def __init__(self, path: str, reason: str, line: int | None = None, column: int | None = None):
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}")


class UsageError(PolgraphError):
    """The command was asked for something that cannot be done (bad option, missing build)."""


class QueryError(PolgraphError):
    """A named query could not be found, parsed or run."""


class EndpointError(PolgraphError):
    """A remote SPARQL endpoint or graph store answered with an error or not at all."""
