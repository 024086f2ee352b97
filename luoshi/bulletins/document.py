"""What a 督查通报 says, in words and tables, apart from how it is laid out: the drafting writes it, the office
edits it, the Word and PDF writers lay it out, and `luoshi bulletin --json` prints it."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class Section:
    title: str  # "一、总体进展": the writers set a numbered section title in 黑体
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class AnnexTable:
    title: str  # "附件1：单位排名"
    columns: list[str]
    rows: list[list[str]]
    note: str = ""  # under the table, e.g. "共126项，列前100项"


@dataclass
class Bulletin:
    office: str  # the issuing office, "某某高新区督查室"
    number: int  # 第N期 in the zone's year
    year: int
    period: str  # "2026-11" or "2026-Q4"
    title: str
    dated: date  # the issue date, or the drafting date of a draft
    sections: list[Section]
    tables: list[AnnexTable]
    draft: bool = False  # a draft says so in its header

    def as_json(self) -> dict[str, Any]:
        """The contract of `luoshi bulletin --json`."""
        return {
            "number": self.number,
            "period": self.period,
            "sections": [{"title": s.title, "paragraphs": list(s.paragraphs)} for s in self.sections],
            "tables": [
                {"title": t.title, "columns": list(t.columns), "rows": [list(r) for r in t.rows]}
                for t in self.tables
            ],
        }

    def content(self) -> dict[str, Any]:
        """The editable part, as the model keeps it."""
        body = self.as_json()
        body["title"] = self.title
        for table, kept in zip(self.tables, body["tables"], strict=True):
            kept["note"] = table.note
        del body["number"], body["period"]
        return body


def sections_from(content: dict[str, Any]) -> tuple[list[Section], list[AnnexTable]]:
    sections = [Section(s["title"], list(s["paragraphs"])) for s in content.get("sections", [])]
    tables = [
        AnnexTable(t["title"], list(t["columns"]), [list(r) for r in t["rows"]], t.get("note", ""))
        for t in content.get("tables", [])
    ]
    return sections, tables
