"""Text from the data made safe for Streamlit's Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


_MD_SPECIAL = "\\`*_[]<>#|~$:"


def md(text: object) -> str:
    """Text from the data, escaped for Streamlit markdown: no link, image, emphasis, HTML, colour
    or icon directive (``:red[…]``, ``:material/…:``) from a name; control characters (line breaks,
    NUL) become spaces, so a name cannot start a new block."""
    return "".join(
        "\\" + c if c in _MD_SPECIAL else " " if ord(c) < 32 or c == "\x7f" else c for c in str(text)
    )
