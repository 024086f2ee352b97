"""The demo zone's indicator library and a year of quarterly figures for its functional areas and streets (the
units the quarterly 摘星夺旗 assessment ranks), entered by the supervision office, the older quarters verified."""

import random
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from luoshi.assessment.actions import (
    add_version,
    create_scheme,
    import_values,
    publish_run,
    publish_version,
    save_indicator,
    score,
    verify_value,
)
from luoshi.assessment.importing import ValueRow
from luoshi.assessment.models import IndicatorValue
from luoshi.demo.org import DemoOrg
from luoshi.lib.periods import parse_period
from luoshi.org.choices import UnitType

# code, name, unit of measure, direction, frequency, source department, alert, excellence, typical value, spread
INDICATORS = [
    ("GDP_GROWTH", "地区生产总值增速", "%", "increase", "quarterly", "区统计局", 4.5, 7.0, 6.0, 1.5),
    (
        "INVEST_GROWTH",
        "固定资产投资增速",
        "%",
        "increase",
        "quarterly",
        "区发展和改革局",
        3.0,
        10.0,
        7.0,
        4.0,
    ),
    ("HTE_NEW", "新增高新技术企业", "家", "increase", "quarterly", "区科技创新局", 5, 20, 12, 5),
    ("TECH_CONTRACT", "技术合同成交额", "亿元", "increase", "quarterly", "区科技创新局", 2, 8, 4.5, 2),
    ("PROJECTS_SIGNED", "签约落地项目", "个", "increase", "quarterly", "区国际招商促进中心", 2, 8, 5, 2),
    (
        "ENERGY",
        "单位增加值能耗",
        "吨标准煤/万元",
        "decrease",
        "quarterly",
        "区发展和改革局",
        0.5,
        0.3,
        0.4,
        0.08,
    ),
    (
        "SATISFACTION_BONUS",
        "群众满意度加分",
        "分",
        "increase",
        "quarterly",
        "区行政审批服务局",
        0.5,
        2.5,
        1.5,
        1.0,
    ),
]
RATED = (UnitType.FUNCTIONAL_AREA, UnitType.TOWN)

# The demo's 摘星夺旗-style scheme: three sectors over the library, the economy counting double, and the
# public satisfaction as a bonus of at most 3 points.
STAR_FLAG_STRUCTURE = """iCode,iName,Level,Parent,Weight
GDP_GROWTH,地区生产总值增速,1,ECONOMY,1
INVEST_GROWTH,固定资产投资增速,1,ECONOMY,1
ENERGY,单位增加值能耗,1,ECONOMY,1
HTE_NEW,新增高新技术企业,1,INNOVATION,1
TECH_CONTRACT,技术合同成交额,1,INNOVATION,1
PROJECTS_SIGNED,签约落地项目,1,PROJECTS,1
ECONOMY,经济运行,2,TOTAL,2
INNOVATION,科技创新,2,TOTAL,1
PROJECTS,项目签约落地,2,TOTAL,1
TOTAL,综合成绩,3,,1
"""
STAR_FLAG_PIPELINE = """
[normalise]
method = "minmax"
range = [0, 100]

[aggregate]
method = "arithmetic_mean"
"""
STAR_FLAG_BONUS = [{"indicator": "SATISFACTION_BONUS", "kind": "bonus", "cap": 3}]
# Qingdao's rules (docs/domain.md §4.3): stars per sector by rank, a flag for the first two, another for
# rising two places or more.
STAR_FLAG_CONTEST = """
[stars]
enabled = true

[[flags]]
name = "真抓实干、勇当排头"
top = 2

[[flags]]
name = "加压奋进、进位赶超"
rise = 2
"""


def _quarters(today: date, n: int) -> list[str]:
    """The last n finished quarters, oldest first."""
    year, quarter = today.year, (today.month - 1) // 3  # the current quarter is not finished
    out = []
    for _ in range(n):
        if quarter == 0:
            year, quarter = year - 1, 4
        out.append(f"{year}Q{quarter}")
        quarter -= 1
    return list(reversed(out))


def build_indicators(org: DemoOrg, today: date) -> int:
    """Returns the number of values written."""
    rng = random.Random(20261)
    supervisor = org.users["supervisor"]
    zone = org.zone
    rated = sorted({u for u in org.units.values() if u.type in RATED}, key=lambda u: u.position)
    strength = {u.pk: rng.uniform(-1.0, 1.0) for u in rated}  # some areas lead, some lag, all year
    rows = []
    for code, name, uom, direction, frequency, source, alert, excellent, typical, spread in INDICATORS:
        indicator = save_indicator(
            zone,
            {
                "code": code, "name": name, "unit_of_measure": uom, "direction": direction,
                "frequency": frequency, "source_unit": org.unit(source),
                "alert_threshold": Decimal(str(alert)), "excellence_threshold": Decimal(str(excellent)),
            },
            supervisor,
        )  # fmt: skip
        sign = -1 if direction == "decrease" else 1
        for quarter in _quarters(today, 4):
            label, end = parse_period(quarter)
            for unit in rated:
                value = typical + sign * strength[unit.pk] * spread * 0.7 + rng.gauss(0, spread * 0.4)
                value = min(max(value, 0.0), 3.0) if code == "SATISFACTION_BONUS" else max(value, 0.0)
                digits = 0 if uom in ("家", "个") else 1 if code == "SATISFACTION_BONUS" else 2
                rows.append(
                    ValueRow(
                        0, indicator.pk, unit.pk, label, end, Decimal(str(round(value, digits))), "区统计局"
                    )
                )
    entered = datetime.combine(today, time(9), ZoneInfo(settings.TIME_ZONE))
    import_values(zone, rows, supervisor, entered)
    latest = _quarters(today, 1)[0]
    for figure in IndicatorValue.objects.filter(zone=zone).exclude(period=latest):
        verify_value(figure, supervisor, entered)
    return len(rows)


def build_assessment(org: DemoOrg, today: date) -> int:
    """The star-and-flag scheme, published, scored for each quarter of the library (the latest with a rank
    interval from 1,000 replications) and published, so the results page has a trend. Returns the runs."""
    supervisor = org.users["supervisor"]
    when = datetime.combine(today, time(10), ZoneInfo(settings.TIME_ZONE))
    scheme = create_scheme(
        org.zone,
        "季度“摘星夺旗”考核",
        "star_flag",
        "经济运行、科技创新、项目签约落地三个板块，营商环境满意度加分",
        supervisor,
    )
    version = add_version(
        scheme, STAR_FLAG_STRUCTURE, STAR_FLAG_PIPELINE, STAR_FLAG_BONUS, "首版", supervisor, when,
        STAR_FLAG_CONTEST,
    )  # fmt: skip
    version = publish_version(version, supervisor, when)
    quarters = _quarters(today, 4)
    for quarter in quarters:
        run = score(version, quarter, supervisor, when, 1000 if quarter == quarters[-1] else 0)
        publish_run(run, supervisor, when)
    return len(quarters)
