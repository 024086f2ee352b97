"""The demo's quarterly unit assessment: the default scheme (execution facts Luoshi computes, 2 points off per
missing report, the supervision office's evaluation on top), the last quarter scored and published with the
office's marks, and the running quarter scored as a draft so far."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from luoshi.assessment import facts, scoring
from luoshi.assessment.actions import (
    add_version,
    collect_facts,
    create_scheme,
    enter_evaluations,
    publish_run,
    publish_version,
    score,
)
from luoshi.assessment.choices import SchemeKind
from luoshi.assessment.models import IndicatorValue
from luoshi.demo.org import DemoOrg
from luoshi.lib.history import Actor
from luoshi.lib.periods import QUARTERLY, quarter_label, span_containing
from luoshi.org.models import Zone

UNIT_SCHEME = "季度单位考核"


def build_unit_assessment(org: DemoOrg, today: date) -> list[str]:
    """Returns the quarters scored."""
    supervisor = org.users["supervisor"]
    now = timezone.now()  # the facts are read as the demo's warning sweep left them
    scheme = create_scheme(
        org.zone, UNIT_SCHEME, SchemeKind.UNIT_QUARTERLY,
        "按时报送、序时推进、红色预警、督办办结四项执行数据（系统自动计算），漏报扣分，督查室评价加分",
        supervisor,
    )  # fmt: skip
    version = add_version(
        scheme, scoring.UNIT_QUARTERLY_STRUCTURE, scoring.UNIT_QUARTERLY_PIPELINE,
        [
            {"indicator": facts.MISSING, "kind": "penalty", "cap": 20, "points": 2},
            {"indicator": facts.OFFICE, "kind": "bonus", "cap": 20},
        ],
        "默认方案", supervisor, now,
    )  # fmt: skip
    version = publish_version(version, supervisor, now)
    current = quarter_label(today)
    last = quarter_label(span_containing(QUARTERLY, today).starts_on - timedelta(days=1))
    for quarter in (last, current):
        collect_facts(org.zone, quarter, supervisor, now)  # so the office marks the units it can see facts of
        _mark(org.zone, quarter, supervisor, now, complete=quarter == last)
        run = score(version, quarter, supervisor, now, 1000)
        if quarter == last:
            publish_run(run, supervisor, now)
    return [last, current]


def _mark(zone: Zone, quarter: str, user: Actor, now: datetime, complete: bool) -> None:
    """The office's marks: every unit for a finished quarter, half of them so far for the running one."""
    rng = random.Random(quarter)
    computed = IndicatorValue.objects.filter(zone=zone, period=quarter, indicator__code__in=facts.CODES)
    units = sorted(set(computed.values_list("unit_id", flat=True)))
    marked = units if complete else units[: len(units) // 2]
    marks = {u: Decimal(round(rng.uniform(14, 19.5) * 2)) / 2 for u in marked}  # half points, 14–19.5
    enter_evaluations(zone, quarter, dict(marks), user, now)
