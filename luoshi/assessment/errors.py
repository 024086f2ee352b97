"""The composite engine's errors in the reader's language (the engine itself cannot import Django)."""

from django.utils.translation import gettext as _

from luoshi.composite.errors import CompositeError


def describe(error: CompositeError) -> str:
    """Where, then what: 第3行，“LPI”列：“abc”不是数字."""
    text = _(error.template) % error.params if error.params else _(error.template)
    where = []
    if error.row is not None:
        where.append(_("第%(row)d行") % {"row": error.row})
    if error.column:
        where.append(_("“%(column)s”列") % {"column": error.column})
    if error.code and error.code != error.column:
        where.append(_("代码 %(code)s") % {"code": error.code})
    return _("%(where)s：%(what)s") % {"where": _("，").join(where), "what": text} if where else text
