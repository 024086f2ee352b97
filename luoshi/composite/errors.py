"""The engine's one error: what is wrong, and where (row, column, code), in words a user can act on.

The engine imports no Django, so it cannot translate. Its messages are Chinese msgids marked with `_` (which
makemessages collects from here like from any module); the template and its parameters travel separately, so the
application renders them in the reader's language with `text(gettext)`, while `str()` gives the Chinese text."""

from collections.abc import Callable
from typing import Any


def _(text: str) -> str:
    """Marks a message for the catalogue; the application translates it."""
    return text


class CompositeError(ValueError):
    def __init__(
        self,
        template: str,
        *,
        row: int | None = None,
        column: str | None = None,
        code: str | None = None,
        **params: Any,
    ) -> None:
        self.template, self.params = template, params
        self.row, self.column, self.code = row, column, code
        super().__init__(self.text())

    def text(self, translate: Callable[[str], str] = _) -> str:
        """Where, then what: 第3行，“LPI”列：“abc”不是数字. `translate` renders each piece in the reader's
        language (the application passes gettext; the engine alone speaks Chinese)."""
        what = translate(self.template) % self.params if self.params else translate(self.template)
        where = []
        if self.row is not None:
            where.append(translate(_("第%(row)d行")) % {"row": self.row})
        if self.column:
            where.append(translate(_("“%(column)s”列")) % {"column": self.column})
        if self.code and self.code != self.column:
            where.append(translate(_("代码 %(code)s")) % {"code": self.code})
        if not where:
            return what
        return translate(_("%(where)s：%(what)s")) % {"where": translate(_("，")).join(where), "what": what}
