"""Errors a user can cause and fix; the CLI turns them into one-line messages."""

from __future__ import annotations


class NewsanError(Exception):
    """Base class for every error newsan reports to the user without a traceback."""


class InputError(NewsanError):
    """A document could not be read: names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # picklable, so worker processes and Dask can carry it
        return (InputError, (self.path, self.reason))


class LexiconError(NewsanError):
    """A lexicon file (packaged or the user's ``--lexicon``) is malformed."""


class ModelNotInstalled(NewsanError):
    """An optional model or backend is missing; the message says how to install it."""


class OutputError(NewsanError):
    """The output file cannot be written (missing or read-only folder, disk full ...).

    ``usage`` is true when found before anything was written (a wrong ``-o``)."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage
