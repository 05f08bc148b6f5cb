"""Errors that front-ends turn into one-line messages and a non-zero exit."""

from __future__ import annotations


class SpintraceError(Exception):
    """Base class: any error a user can act on, shown as one line without a traceback."""


class InputError(SpintraceError):
    """An input (file, text, record) that cannot be used: empty, binary, badly encoded, too big."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class CorpusIndexError(SpintraceError):
    """An index directory that is missing, corrupted or not a spintrace index."""


class ReadOnlyIndexError(CorpusIndexError):
    """A change asked of an index this process may only read (no write permission there)."""
