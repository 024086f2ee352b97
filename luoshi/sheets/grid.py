"""A table as importers read it: its values row by row and its merged ranges, in 0-based coordinates, whether it
came from an Excel sheet or a Word table."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter


def column_letter(index: int) -> str:
    """The letter of a 0-based column: 0 → "A"."""
    return get_column_letter(index + 1)


@dataclass
class Grid:
    """A table's values and merged ranges in 0-based coordinates; reported rows are `row_base` + index."""

    rows: Sequence[Sequence[object]]
    merges: list[tuple[int, int, int, int]]  # (first row, first col, last row, last col), inclusive
    column_name: Callable[[int], str]
    row_base: int = 1
    # Given blank cells, returns those that are really formulas without a cached value (xlsx only).
    formulas_without_value: Callable[[set[tuple[int, int]]], set[tuple[int, int]]] | None = None

    def value(self, r: int, c: int) -> object:
        row = self.rows[r]
        return row[c] if c < len(row) else None

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def anchors(self, below: int) -> dict[tuple[int, int], tuple[int, int]]:
        """Every cell a merged range covers after row `below` → the range's top-left cell."""
        cover: dict[tuple[int, int], tuple[int, int]] = {}
        for r0, c0, r1, c1 in self.merges:
            if r1 <= below:
                continue
            for r in range(max(r0, below + 1), r1 + 1):
                for c in range(c0, c1 + 1):
                    cover[(r, c)] = (r0, c0)
        return cover
