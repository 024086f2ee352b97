"""`{% load people %}{{ user|person }}`: a person as the pages name them — the name they go by, else the username."""

from django import template
from django.contrib.auth.models import User

register = template.Library()


@register.filter
def person(user: User | None, missing: str = "—") -> str:
    """A user's name (first name, as the people page records 张三), their username without one, `missing` for
    no one (a step the system took, or a person since deleted)."""
    if user is None:
        return missing
    return user.get_full_name() or user.username
