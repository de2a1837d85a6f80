"""The one error a parser raises: a sentence saying what is wrong with the file."""


class SourceError(ValueError):
    """A source file cannot be read; the message completes "<file>: ...", e.g. "it is empty"."""
