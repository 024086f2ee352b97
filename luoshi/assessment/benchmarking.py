"""A benchmark table (对标数据) and a scheme version → the composite engine's ranking and gap analysis, shaped for
the gap page and its export. Pure (no database): views load the table and the library, this computes."""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from luoshi.assessment import scoring
from luoshi.composite import frame, gap, pipeline
from luoshi.composite.errors import CompositeError, _

Rows = Mapping[str, Mapping[str, float | None]]  # zone name → indicator code → value (None when missing)
TOP = 10  # the ranking shows at least the first ten (or down to the target rank) …
NEIGHBOURS = 3  # … and the zones just above and below ours


@dataclass(frozen=True)
class Described:
    """What the library says about an indicator."""

    name: str
    unit_of_measure: str = ""
    direction: int = 1


def inputs(
    structure: Sequence[Mapping[str, str]], library: Mapping[str, Described], rows: Rows
) -> tuple[frame.Dataset, frame.Hierarchy]:
    """The engine's hierarchy and dataset: one unit per zone, named by the zone, figures as iData text."""
    tree = scoring.tree_for(structure, {code: d.direction for code, d in library.items()})
    return scoring.dataset(tree, rows), tree


@dataclass(frozen=True)
class Preview:
    """What an upload would store: how many zones and gaps, and where we stand by the scheme's rules."""

    zones: int
    missing: int  # empty cells (the peers' gaps; ours must be complete)
    own: str
    score: float
    rank: int
    leaders: list[tuple[int, str, float]]  # the first ten: rank, name, score


def preview(
    structure: Sequence[Mapping[str, str]],
    steps: Mapping[str, Any],
    library: Mapping[str, Described],
    rows: Rows,
    own: str,
) -> Preview:
    """Every zone scored and ranked by the version's rules: what the import checks and shows before storing."""
    data, tree = inputs(structure, library, rows)
    result = pipeline.run(data, tree, pipeline.config(steps))
    if own not in result.units:
        raise CompositeError(_("这一单位因数据完整度不足未参加排名"), code=own)
    top, ranks = result.column(tree.top), result.rank(tree.top)
    order = sorted(range(len(result.units)), key=lambda u: (ranks[u], result.units[u]))
    u = result.units.index(own)
    missing = sum(v is None for figures in rows.values() for v in figures.values())
    leaders = [(int(ranks[i]), result.units[i], float(top[i])) for i in order[:TOP]]
    return Preview(len(rows), missing, own, float(top[u]), int(ranks[u]), leaders)


def project(
    structure: Sequence[Mapping[str, str]],
    steps: Mapping[str, Any],
    library: Mapping[str, Described],
    rows: Rows,
    own: str,
    values: dict[str, float],
) -> tuple[float, int]:
    """Our score and rank with our figures on some indicators changed (the what-if of the goal page)."""
    data, tree = inputs(structure, library, rows)
    return gap.project(data, tree, pipeline.config(steps), own, values)


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    unit_of_measure: str
    group: str  # the first-level group it counts in
    found: gap.IndicatorGap
    direction: int
    whole: bool  # every zone's value is a whole number (a count): the value needed is one too

    @property
    def needed(self) -> float | None:
        """The value that reaches the target alone, a count rounded to the next whole one in the better
        direction (still reaching it: better never ranks lower, and the best is whole too)."""
        needed = self.found.needed
        if needed is None or not self.whole:
            return needed
        # The bisection answers within this of the threshold: a whole threshold stays itself.
        precision = abs(self.found.best - self.found.value) * 2.0**-gap.HALVINGS
        return float(math.ceil(needed - precision) if self.direction > 0 else math.floor(needed + precision))

    @property
    def improvement(self) -> float | None:
        """How far that is from ours (negative for less-is-better indicators)."""
        return None if self.needed is None else self.needed - self.found.value


@dataclass(frozen=True)
class GroupLine:
    """A child of the top (a first-level group) in points: its score (0–100) times its share of the weight, so
    for an arithmetic top the points add up to the total."""

    code: str
    name: str
    full: float
    ours: float
    our_rank: int
    theirs: float
    their_rank: int


@dataclass(frozen=True)
class PeerLine:
    rank: int
    name: str
    score: float
    groups: list[float]  # points per first-level group, in the order of the group lines
    ours: bool
    target: bool
    after_gap: bool = False  # rows were left out above this one


@dataclass(frozen=True)
class GapPage:
    found: gap.Gap
    n: int
    indicators: list[IndicatorLine]
    groups: list[GroupLine]
    ranking: list[PeerLine]  # every ranked zone
    target_rank: int  # where the zone to tie stands now

    @property
    def lead(self) -> float:
        return -self.found.gap

    def nearby(self) -> list[PeerLine]:
        """The first max(10, target) zones and the ones around ours, marking where rows were left out."""
        rank, last = self.found.rank, max(TOP, self.found.target)
        keep = [i for i, p in enumerate(self.ranking) if p.rank <= last or abs(p.rank - rank) <= NEIGHBOURS]
        return [
            replace(self.ranking[i], after_gap=n > 0 and i != keep[n - 1] + 1) for n, i in enumerate(keep)
        ]

    def chart(self) -> dict[str, Any]:
        """Per-indicator gain from matching the best, the largest first, and the score still to gain."""
        lines = sorted(self.indicators, key=lambda line: -line.found.gain)
        return {
            "names": [line.name for line in lines],
            "gains": [round(line.found.gain, 3) for line in lines],
            "reaches": [line.found.needed is not None for line in lines],
            "gap": round(self.found.gap, 3) if self.found.gap > 0 else None,
        }


def analyse(
    structure: Sequence[Mapping[str, str]],
    steps: Mapping[str, Any],
    library: Mapping[str, Described],
    rows: Rows,
    own: str,
    target: int,
) -> GapPage:
    data, tree = inputs(structure, library, rows)
    found = gap.analyse(data, tree, pipeline.config(steps), own, target)
    result = found.result
    names = {r["iCode"]: r.get("iName") or r["iCode"] for r in structure}
    sectors = list(tree.children[tree.top])
    weights = np.array([tree.nodes[c].weight for c in sectors])
    shares = dict(zip(sectors, weights / weights.sum(), strict=True))
    ours, theirs = result.units.index(own), result.units.index(found.target_unit)

    def points(code: str, u: int) -> float:
        return float(result.column(code)[u] * shares[code])

    groups = [
        GroupLine(
            code,
            names[code],
            float(100 * shares[code]),
            points(code, ours),
            int(result.rank(code)[ours]),
            points(code, theirs),
            int(result.rank(code)[theirs]),
        )
        for code in sectors
    ]
    indicators = _indicator_lines(found, data, tree, library, names)
    ranks = result.rank(tree.top)
    ranking = _ranking(result, tree.top, sectors, points, ours, theirs)
    return GapPage(found, len(result.units), indicators, groups, ranking, int(ranks[theirs]))


def _indicator_lines(
    found: gap.Gap,
    data: frame.Dataset,
    tree: frame.Hierarchy,
    library: Mapping[str, Described],
    names: Mapping[str, str],
) -> list[IndicatorLine]:
    """The engine's indicator gaps with the library's names and units, their sector and whether they count."""
    sectors = tree.children[tree.top]
    group_of = {i: s for s in sectors for i in pipeline.indicators_under(tree, s)}
    described = {c: library.get(c, Described(names[c])) for c in tree.indicators}
    counts = np.isnan(data.values) | (data.values % 1 == 0)
    whole = {c: bool(counts[:, j].all()) for j, c in enumerate(tree.indicators)}
    return [
        IndicatorLine(
            g.code,
            described[g.code].name,
            described[g.code].unit_of_measure,
            names[group_of[g.code]],
            g,
            tree.nodes[g.code].direction,
            whole[g.code],
        )
        for g in found.indicators
    ]


def _ranking(
    result: pipeline.Result,
    top_code: str,
    sectors: list[str],
    points: Callable[[str, int], float],
    ours: int,
    theirs: int,
) -> list[PeerLine]:
    """Every zone by rank (then name), with its score and each sector's points."""
    top = result.column(top_code)
    ranks = result.rank(top_code)
    order = sorted(range(len(result.units)), key=lambda u: (ranks[u], result.units[u]))
    return [
        PeerLine(
            int(ranks[u]),
            result.units[u],
            float(top[u]),
            [points(c, u) for c in sectors],
            u == ours,
            u == theirs,
        )
        for u in order
    ]
