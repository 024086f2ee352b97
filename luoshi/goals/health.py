"""Health that rolls up (pure: no database). An item's health combines its own state (its open warnings, whether
it has reported, whether it is done), the key projects that carry it and its children, by one stated rule:

- red is worst-of: the item is red if it, a linked project or any child is red;
- behind is worst-of too, below red: a yellow warning anywhere under it makes it behind;
- done when it is done itself and everything under it is done;
- on track when something under it has reported and nothing is behind; no data otherwise;
- progress is a leaf's latest reported progress, and a parent's the mean of its children's that have one (each
  child weighs the same).

Each health says why, in counts ("2 个关联项目投资滞后序时进度")."""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Health(StrEnum):
    """The `luoshi trace` contract's values."""

    ON_TRACK = "on_track"
    BEHIND = "behind"
    RED = "red"
    DONE = "done"
    NO_DATA = "no_data"


# How bad, for worst-of: done and no data say nothing is wrong.
BADNESS = {Health.RED: 3, Health.BEHIND: 2, Health.ON_TRACK: 1, Health.DONE: 0, Health.NO_DATA: 0}
LABELS = {
    Health.ON_TRACK: gettext_lazy("序时推进"),
    Health.BEHIND: gettext_lazy("滞后"),
    Health.RED: gettext_lazy("红色"),
    Health.DONE: gettext_lazy("已完成"),
    Health.NO_DATA: gettext_lazy("暂无数据"),
}


@dataclass(frozen=True)
class Own:
    """What an item or a project says about itself: done, its worst open warning level ("red", "yellow", ""),
    the rules of its open warnings, and its latest progress (None: never reported)."""

    done: bool
    level: str
    rules: tuple[str, ...] = ()
    progress: float | None = None


@dataclass(frozen=True)
class Rolled:
    health: Health
    progress: float | None
    reasons: tuple[str, ...] = field(default=())


def of_own(own: Own) -> Health:
    if own.level == "red":
        return Health.RED
    if own.level == "yellow":
        return Health.BEHIND
    if own.done:
        return Health.DONE
    return Health.ON_TRACK if own.progress is not None else Health.NO_DATA


def combine(parts: Sequence[Health]) -> Health:
    """Worst-of for red and behind; done only when every part is done; on track if any part reported."""
    if not parts:
        return Health.NO_DATA
    worst = max(parts, key=lambda h: BADNESS[h])
    if BADNESS[worst] >= BADNESS[Health.BEHIND]:
        return worst
    if all(h == Health.DONE for h in parts):
        return Health.DONE
    return Health.ON_TRACK if any(h in (Health.ON_TRACK, Health.DONE) for h in parts) else Health.NO_DATA


def _reasons(
    own: Own, projects: Iterable[Own], children: Iterable[Rolled], rule_labels: Mapping[str, str]
) -> tuple[str, ...]:
    reasons = [rule_labels.get(rule, rule) for rule in own.rules]
    by_rule = Counter(rule for p in projects for rule in p.rules)
    reasons += [
        _("%(n)d 个关联项目%(rule)s") % {"n": n, "rule": rule_labels.get(rule, rule)}
        for rule, n in by_rule.most_common()
    ]
    kids = Counter(c.health for c in children if c.health in (Health.RED, Health.BEHIND))
    if kids[Health.RED]:
        reasons.append(_("%(n)d 项下级事项红色预警") % {"n": kids[Health.RED]})
    if kids[Health.BEHIND]:
        reasons.append(_("%(n)d 项下级事项滞后") % {"n": kids[Health.BEHIND]})
    return tuple(reasons)


def roll_up(
    own: Own, projects: Sequence[Own], children: Sequence[Rolled], rule_labels: Mapping[str, str]
) -> Rolled:
    """One item's health from its own state, its projects' and its children's (already rolled up)."""
    parts = [of_own(own), *(of_own(p) for p in projects), *(c.health for c in children)]
    health = combine(parts)
    # Only what is red or behind has reasons (a warning, a lagging project or child): the rest skip the counting.
    lagging = health in (Health.RED, Health.BEHIND)
    reasons = _reasons(own, projects, children, rule_labels) if lagging else ()
    reported = [c.progress for c in children if c.progress is not None]
    progress = (
        sum(reported) / len(reported) if children and reported else (own.progress if not children else None)
    )
    return Rolled(health, progress, reasons)
