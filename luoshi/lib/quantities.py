"""Quantitative targets written as prose in plans: "新增高新技术企业100家" → (新增高新技术企业, 100, 家)."""

import re
from dataclasses import dataclass
from decimal import Decimal

_UNITS = (
    "个百分点|万平方米|平方米|万人次|万人|亿元|万元|元|%|％|家|个|项|人|名|亩|公里|千米|件|套|台|座|所|次|户|栋|条|吨|千瓦|兆瓦|"
    "倍|平方公里|场|批|篇|部|支"
)
_PATTERN = re.compile(
    rf"(?P<name>[^，,。；;：:、\d（）()]{{2,40}}?)\s*(?:达到|达|超过|突破|不低于|不少于|力争|控制在|降至|提高到|提升至)?\s*"
    rf"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>{_UNITS})"
)
_DECREASING = ("下降", "降低", "减少", "控制在", "以内", "不超过", "压减", "降至")


@dataclass(frozen=True)
class Quantity:
    indicator: str
    value: Decimal
    unit: str
    decreasing: bool


def extract_quantities(text: str) -> list[Quantity]:
    found = []
    for match in _PATTERN.finditer(text or ""):
        name = match.group("name").strip(" 　")
        name = re.sub(r"^(?:年内|全年|力争|确保|实现|完成|其中)", "", name).strip()
        if len(name) < 2:
            continue
        unit = "%" if match.group("unit") == "％" else match.group("unit")
        found.append(
            Quantity(
                indicator=name,
                value=Decimal(match.group("value")),
                unit=unit,
                decreasing=any(word in match.group(0) for word in _DECREASING),
            )
        )
    return found
