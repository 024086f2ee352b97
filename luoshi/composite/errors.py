"""The engine's one error: what is wrong, and where (row, column, code), in words a user can act on.

The engine imports no Django, so it cannot translate. Its messages are Chinese msgids marked with `_` (which
makemessages collects from here like from any module); the template and its parameters travel separately, so the
application renders them with gettext in the reader's language, while `str()` gives the Chinese text."""

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
        super().__init__(self.render(template))

    def render(self, template: str) -> str:
        """The message from a (possibly translated) template, prefixed with where it happened."""
        text = template % self.params if self.params else template
        where = [
            part
            for part in (
                f"第{self.row}行" if self.row is not None else "",
                f"“{self.column}”列" if self.column else "",
                f"代码 {self.code}" if self.code and self.code != self.column else "",
            )
            if part
        ]
        return f"{'，'.join(where)}：{text}" if where else text
