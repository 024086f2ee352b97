"""A .docx body in reading order: paragraph texts (with Word's automatic numbering written out) and tables."""

from collections.abc import Iterator
from io import BytesIO

import docx
from docx.oxml.ns import qn
from lxml import etree

from luoshi.lib.numbering import Kind, format_code, int_to_chinese, split_code
from luoshi.sheets.grid import Grid, column_letter

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_VAL = qn("w:val")


def read_docx(data: bytes) -> tuple[list[tuple[int, str]], list[Grid]]:
    """([(paragraph number, text)], tables). Paragraph numbers count the non-empty body paragraphs."""
    document = docx.Document(BytesIO(data))
    numbering = _AutoNumbering(document)
    paragraphs: list[tuple[int, str]] = []
    tables: list[Grid] = []
    for block in _blocks(document.element.body):
        if block.tag == _TBL:
            tables.append(_table(block))
            continue
        text = block.text.strip()
        if text:
            label = numbering.label(block)  # counted even when unused, to keep the list's numbers right
            if label and split_code(text)[0] is None:
                text = label + text
            paragraphs.append((len(paragraphs) + 1, text))
    return paragraphs, tables


def _blocks(parent: etree._Element) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in (_SDT, _SDT_CONTENT):  # content controls wrap ordinary paragraphs
            yield from _blocks(child)


def _table(tbl: etree._Element) -> Grid:
    """Cell texts on the table's grid; gridSpan and vMerge become merged ranges like a sheet's."""
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    open_vertical: dict[int, list[int]] = {}  # first column → [r0, c0, r1, c1] of a vertical merge
    for r, tr in enumerate(tbl.iterchildren(qn("w:tr"))):
        values: list[object] = [None] * _int(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0)
        for tc in tr.iterchildren(qn("w:tc")):
            col = len(values)
            properties = tc.find(qn("w:tcPr"))
            span = _int(properties.find(qn("w:gridSpan")) if properties is not None else None, 1)
            vmerge = properties.find(qn("w:vMerge")) if properties is not None else None
            if vmerge is not None and vmerge.get(_VAL) != "restart" and col in open_vertical:
                open_vertical[col][2] = r
                values += [None] * span
                continue
            if col in open_vertical:
                top, left, bottom, right = open_vertical.pop(col)
                merges.append((top, left, bottom, right))
            text = "\n".join(p.text for p in tc.iterchildren(_P)).strip()
            values += [text] + [None] * (span - 1)
            if vmerge is not None:
                open_vertical[col] = [r, col, r, col + span - 1]
            elif span > 1:
                merges.append((r, col, r, col + span - 1))
        rows.append(values)
    merges += [(top, left, bottom, right) for top, left, bottom, right in open_vertical.values()]
    return Grid(
        rows=rows, merges=[m for m in merges if m[0] != m[2] or m[1] != m[3]], column_name=column_letter
    )


def _int(element: etree._Element | None, default: int) -> int:
    try:
        return int(element.get(_VAL)) if element is not None else default
    except (TypeError, ValueError):
        return default


_FORMATS = {
    "decimal": Kind.ARABIC,
    "chineseCounting": Kind.CN,
    "chineseCountingThousand": Kind.CN,
    "ideographTraditional": Kind.CN,
    "japaneseCounting": Kind.CN,
    "decimalEnclosedCircle": Kind.CIRCLED,
    "decimalEnclosedCircleChinese": Kind.CIRCLED,
    "decimalFullWidth": Kind.ARABIC,
    "decimalHalfWidth": Kind.ARABIC,
}


class _AutoNumbering:
    """Word's list numbering ("一、" typed by Word, not the author) as text, so it can be read as a code."""

    def __init__(self, document: docx.document.Document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) → (format, text, start)
        self.counters: dict[str, list[int]] = {}
        self.styles = {s.get(qn("w:styleId")): s for s in document.styles.element.iterchildren(qn("w:style"))}
        try:
            root = document.part.numbering_part.element
        except (
            KeyError,
            NotImplementedError,
        ):  # python-docx raises the latter when there is no numbering part
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iterchildren(qn("w:abstractNum"))}
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(_VAL)) if ref is not None else None
            if definition is None:
                continue
            for lvl in definition.iterchildren(qn("w:lvl")):
                fmt, text = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText"))
                self.levels[(num.get(qn("w:numId")), _int_attr(lvl, qn("w:ilvl")))] = (
                    fmt.get(_VAL) if fmt is not None else "decimal",
                    text.get(_VAL) if text is not None else "",
                    _int(lvl.find(qn("w:start")), 1),
                )

    def label(self, p: etree._Element) -> str:
        found = self._num_pr(p)
        if found is None:
            return ""
        num_id, ilvl = found
        if (num_id, ilvl) not in self.levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        counters[ilvl + 1 :] = [0] * (8 - ilvl)
        text = self.levels[(num_id, ilvl)][1]
        for level in range(9):
            if f"%{level + 1}" in text:
                rendered = self._render(num_id, level, counters[level])
                if rendered is None:
                    return ""
                text = text.replace(f"%{level + 1}", rendered)
        return text

    def _render(self, num_id: str, level: int, count: int) -> str | None:
        fmt, _text, start = self.levels.get((num_id, level), ("decimal", "", 1))
        kind = _FORMATS.get(fmt)
        value = start + max(count, 1) - 1
        if kind is None:
            return None  # bullets and letters: not a numbering this parser ranks
        if kind == Kind.CN:
            return int_to_chinese(value)
        if kind == Kind.CIRCLED:
            return format_code(kind, value)
        return str(value)

    def _num_pr(self, p: etree._Element) -> tuple[str, int] | None:
        """The paragraph's own numbering, else its style's (following basedOn)."""
        props = p.find(qn("w:pPr"))
        num_pr = props.find(qn("w:numPr")) if props is not None else None
        style_id = None
        if props is not None and props.find(qn("w:pStyle")) is not None:
            style_id = props.find(qn("w:pStyle")).get(_VAL)
        seen: set[str] = set()
        while num_pr is None and style_id and style_id not in seen:
            seen.add(style_id)
            style = self.styles.get(style_id)
            if style is None:
                return None
            style_props = style.find(qn("w:pPr"))
            num_pr = style_props.find(qn("w:numPr")) if style_props is not None else None
            based = style.find(qn("w:basedOn"))
            style_id = based.get(_VAL) if based is not None else None
        if num_pr is None or num_pr.find(qn("w:numId")) is None:
            return None
        num_id = num_pr.find(qn("w:numId")).get(_VAL)
        ilvl = _int(num_pr.find(qn("w:ilvl")), 0)
        return (num_id, min(max(ilvl, 0), 8)) if num_id and num_id != "0" else None


def _int_attr(element: etree._Element, name: str) -> int:
    try:
        return int(element.get(name, "0"))
    except ValueError:
        return 0
