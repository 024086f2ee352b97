"""The demo zone's indicator library and a year of quarterly figures for its functional areas and streets (the
units the quarterly 摘星夺旗 assessment ranks), entered by the supervision office, the older quarters verified."""

import random
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from luoshi.assessment.actions import import_values, save_indicator, verify_value
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
    ("SATISFACTION", "营商环境满意度", "分", "increase", "quarterly", "区行政审批服务局", 85, 95, 90, 3),
]
RATED = (UnitType.FUNCTIONAL_AREA, UnitType.TOWN)


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
                value = max(value, 0.0)
                digits = 0 if uom in ("家", "个") else 2
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
