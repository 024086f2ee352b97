from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """A stored figure as written: 6.3600 → 6.36, 12.0000 → 12, None → —."""
    if value is None:
        return "—"
    return format(value.normalize(), "f")
