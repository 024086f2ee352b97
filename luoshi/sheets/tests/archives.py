"""Hostile archives for the upload checks, written member by member so that none is ever held in memory."""

import re
import zipfile
from collections.abc import Callable, Iterator
from io import BytesIO

CHUNK = 1 << 20


def rewrite(data: bytes, part: str, chunks: Callable[[bytes], Iterator[bytes]], level: int = 6) -> bytes:
    """`data` (an .xlsx or .docx) with `part` replaced by what `chunks(old part)` yields."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info.filename, source.read(info.filename))
                continue
            info = zipfile.ZipInfo(part)
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = level  # type: ignore[attr-defined]  # what ZipFile.open compresses with
            with target.open(info, "w", force_zip64=True) as stream:
                for chunk in chunks(source.read(part)):
                    stream.write(chunk)
    return out.getvalue()


def bomb(data: bytes, part: str, size: int) -> bytes:
    """`part` padded with `size` bytes of spaces before its end tag: the file stays small, expands hugely."""

    def chunks(old: bytes) -> Iterator[bytes]:
        head, _sep, tail = old.rpartition(b"</")
        yield head
        for _ in range(size // CHUNK):
            yield b" " * CHUNK
        yield b"</" + tail

    return rewrite(data, part, chunks, level=9)


def many_rows(
    data: bytes, first: int, count: int, row: Callable[[int], str], dimension: bool = True
) -> bytes:
    """A workbook's first sheet with `count` more rows from row `first` (written by `row(number)`); its
    declared dimension covers them, or without `dimension` is left as it was: small, and wrong."""

    def chunks(old: bytes) -> Iterator[bytes]:
        head, _sep, tail = old.partition(b"</sheetData>")
        if dimension:
            head = re.sub(
                rb'<dimension ref="[^"]*"', f'<dimension ref="A1:F{first + count - 1}"'.encode(), head
            )
        yield head
        for start in range(first, first + count, 10_000):
            yield "".join(row(n) for n in range(start, min(start + 10_000, first + count))).encode()
        yield b"</sheetData>" + tail

    return rewrite(data, "xl/worksheets/sheet1.xml", chunks)


def plan_row(n: int) -> str:
    return f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" t="inlineStr"><is><t>任务</t></is></c></row>'
