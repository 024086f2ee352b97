"""A figure written the way its unit of measure is read: percentages with at most one decimal (93.4%, 88%),
counts as whole numbers (223台), money in 万元 or 亿元 (8,500万元, 1.25亿元), anything else with at most two
decimals. Trailing zeros are dropped; thousands are separated by commas; no value is shown as —."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EMPTY = "—"
PERCENT_UNITS = frozenset({"%", "％", "‰", "个百分点", "百分点"})
COUNT_UNITS = frozenset(
    "家 个 项 人 名 件 套 台 座 所 次 户 栋 条 场 批 篇 部 支 辆 只 头 棵 株 间 处 份 本 张 位 人次 个次 宗 单".split()
)
MONEY_UNITS = frozenset({"元", "万元", "亿元"})
_WAN = Decimal(10000)


def as_decimal(value: object) -> Decimal | None:
    """`value` as a Decimal (int, float, Decimal or a numeric string); None when it is empty or not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _digits(number: Decimal, places: int) -> str:
    """`number` rounded half-up to at most `places` decimals, trailing zeros dropped, thousands separated."""
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    text = f"{rounded:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _money(number: Decimal, unit: str) -> tuple[str, str]:
    """Money in 万元 below 1亿 and in 亿元 from 1亿 up, whatever it was stored in."""
    wan = {"元": number / _WAN, "万元": number, "亿元": number * _WAN}[unit]
    if abs(wan) >= _WAN:
        return _digits(wan / _WAN, 2), "亿元"
    if unit == "元" and abs(wan) < 1:
        return _digits(number, 2), "元"
    return _digits(wan, 2), "万元"


def split_by_unit(value: object, unit: str | None) -> tuple[str, str]:
    """The figure and the unit to print after it: (93.4, %), (223, 台), (1.25, 亿元); (—, "") when empty."""
    number = as_decimal(value)
    unit = (unit or "").strip()
    if number is None:
        return EMPTY, ""
    if unit in PERCENT_UNITS:
        return _digits(number, 1), "%" if unit == "％" else unit
    if unit in COUNT_UNITS:
        return _digits(number, 0), unit
    if unit in MONEY_UNITS:
        return _money(number, unit)
    return _digits(number, 2), unit


def format_by_unit(value: object, unit: str | None) -> str:
    """The figure with its unit: "93.4%", "223台", "1.25亿元", "12.5亩"; "—" when there is no value."""
    figure, shown_unit = split_by_unit(value, unit)
    return figure + shown_unit
