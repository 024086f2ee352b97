"""`{% load quantities %}{{ value|by_unit:unit }}`: a figure as its unit of measure is read (see lib/numbers.py)."""

from django import template

from luoshi.lib.numbers import format_by_unit

register = template.Library()


@register.filter
def by_unit(value: object, unit: str | None = "") -> str:
    """3.95, "%" → 4%; 222.9, "台" → 223台; 12500, "万元" → 1.25亿元; None → —."""
    return format_by_unit(value, unit)
