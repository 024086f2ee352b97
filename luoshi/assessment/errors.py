"""The composite engine's errors in the reader's language (the engine itself cannot import Django)."""

from django.utils.translation import gettext

from luoshi.composite.errors import CompositeError


def describe(error: CompositeError) -> str:
    """Where, then what: 第3行，“LPI”列：“abc”不是数字."""
    return error.text(gettext)
