"""`{% load innovation %}{{ value|figure:unit }}`: an enterprise's figure as its catalogue unit is read — a
比例 or a growth rate (fractions) as a percentage, money in 万元/亿元, counts whole."""

from django import template

from luoshi.innovation.choices import Source
from luoshi.innovation.explain import GROWTH
from luoshi.lib.numbers import EMPTY, as_decimal, format_by_unit

register = template.Library()
FRACTION_UNITS = frozenset({"比例", GROWTH})


@register.filter
def figure(value: object, unit: str | None = "") -> str:
    if unit in FRACTION_UNITS:
        number = as_decimal(value)
        return EMPTY if number is None else format_by_unit(number * 100, "%")
    return format_by_unit(value, unit)


@register.filter
def source_name(code: str) -> str:
    """税务, 统计 … from a stored source code."""
    return str(Source(code).label) if code in Source.values else code


@register.filter
def plain(value: object) -> str:
    """A framework parameter as written: 0.1, 100, 2.5 (no padding zeros)."""
    return f"{value:g}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
