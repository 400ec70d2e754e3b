"""The package's one base exception: every error it raises on purpose is a :class:`PvdError` with
a French message; the command line catches exactly these (anything else is a bug and shows)."""

from __future__ import annotations


class PvdError(Exception):
    """An error of the atlas, its message in French, meant for the user."""


class InvalidInput(PvdError, ValueError):
    """An argument or a value from a file that the atlas refuses (an unknown level, territory,
    code, name...)."""
