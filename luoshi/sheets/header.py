"""Where a table's header is: among the first rows, with labels compared once normalised, and merged header
cells read as if each covered cell held the label (a heading merged over two rows counts on both, a group
heading over several columns labels each). What each label means is the importer's own."""

import re
import unicodedata
from collections.abc import Callable

from luoshi.sheets.grid import Grid

HEADER_SEARCH_ROWS = 20

_PARENTHESES = re.compile(r"[(（【\[][^)）】\]]*[)）】\]]")
_NOISE = re.compile(r"[\s*※★]+")


def normalise_label(value: object) -> str:
    """Header cells carry line breaks, spaces, full-width forms and notes: "牵头\n单位（部门）" → "牵头单位"."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _PARENTHESES.sub("", _NOISE.sub("", text))


def header_values(grid: Grid) -> Callable[[int, int], object]:
    """`value(r, c)` over the rows a header is searched in, with merged ranges spread over their cells."""
    spread: dict[tuple[int, int], object] = {}
    for r0, c0, r1, c1 in grid.merges:
        if r0 <= HEADER_SEARCH_ROWS:
            for r in range(r0, min(r1, HEADER_SEARCH_ROWS) + 1):
                for c in range(c0, c1 + 1):
                    spread[(r, c)] = grid.value(r0, c0)
    return lambda r, c: spread.get((r, c), grid.value(r, c))


def header_rows(grid: Grid) -> range:
    """The rows a header may start on or span."""
    return range(min(len(grid.rows), HEADER_SEARCH_ROWS + 1))
