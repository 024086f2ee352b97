"""Money and shares as the project pages show them: 万元 with thousands separators, or 亿元 when picked."""

from decimal import Decimal

from django import template

register = template.Library()

WAN_PER_YI = Decimal(10000)


@register.filter
def money(value: Decimal | None, unit: str = "wan") -> str:
    """An amount stored in 万元, in the unit picked: 12,345.6 (万元) or 1.23 (亿元); None → —."""
    if value is None:
        return "—"
    if unit == "yi":
        return f"{value / WAN_PER_YI:,.2f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@register.filter
def percent(value: float | None) -> str:
    """A share in percent to one decimal: 45.2; None → —."""
    return "—" if value is None else f"{value:.1f}"
