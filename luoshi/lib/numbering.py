"""Chinese hierarchical numbering ("一、" > "（一）" > "1." > "（1）" > "①"): recognise, strip, rank, render."""

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum


class Kind(IntEnum):
    """Numbering kinds in their canonical nesting order: a smaller value is a higher level."""

    CN = 1  # 一、
    CN_PAREN = 2  # （一）
    ARABIC = 3  # 1.  1、  1．  ⒈
    DECIMAL2 = 4  # 1.1
    DECIMAL3 = 5  # 1.1.1
    ARABIC_PAREN = 6  # （1）  (1)  1）  ⑴
    CIRCLED = 7  # ①
    PLAIN = 8  # a bare number in a 序号 column: counts items, is a level only next to other kinds


@dataclass(frozen=True)
class Code:
    text: str  # as written, trimmed: "一、", "（二）", "3.", "1.2"
    kind: Kind
    value: int  # ordinal among its siblings: 一 → 1, （二） → 2, 1.2 → 2
    prefix: tuple[int, ...] = ()  # the leading parts of a decimal code: 1.2.3 → (1, 2)


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = "零〇一二两三四五六七八九十百"
_CIRCLED = [chr(c) for c in range(0x2460, 0x2474)] + [chr(c) for c in range(0x3251, 0x3260)]
_CIRCLED += [chr(c) for c in range(0x32B1, 0x32C0)]  # ① … ⑳, ㉑ … ㉟, ㊱ … ㊿
_PAREN_DIGITS = [chr(c) for c in range(0x2474, 0x2488)]  # ⑴ … ⒇
_DOT_DIGITS = [chr(c) for c in range(0x2488, 0x249C)]  # ⒈ … ⒛
_D = "[0-9０-９]"
# A number directly followed by one of these is a quantity ("3.5亿元"), not a code.
_QUANTITY = "(?![0-9０-９%％万亿元倍个家项千百])"

_PATTERNS: list[tuple[Kind, re.Pattern[str]]] = [
    (Kind.CN, re.compile(rf"([{_CN}]{{1,4}})\s*[、．.]")),
    (Kind.CN_PAREN, re.compile(rf"[（(]\s*([{_CN}]{{1,4}})\s*[)）]")),
    (
        Kind.DECIMAL3,
        re.compile(rf"({_D}{{1,3}})[.．]({_D}{{1,3}})[.．]({_D}{{1,3}}){_QUANTITY}(?![.．]{_D})[.．、]?"),
    ),
    (Kind.DECIMAL2, re.compile(rf"({_D}{{1,3}})[.．]({_D}{{1,3}}){_QUANTITY}(?![.．]{_D})[.．、]?")),
    (Kind.ARABIC, re.compile(rf"({_D}{{1,3}})\s*[.．、](?!{_D})")),
    (Kind.ARABIC_PAREN, re.compile(rf"(?:[（(]\s*({_D}{{1,3}})\s*[)）]|({_D}{{1,3}})[)）])")),
]
_SPACE_AFTER = re.compile(r"^[\s　:：]+")
_PLAIN = re.compile(rf"{_D}{{1,4}}")
_BARE_CN = re.compile(rf"[{_CN}]{{1,4}}")


def chinese_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None if `text` is not a Chinese number below 1000."""
    if not text or any(ch not in _CN for ch in text):
        return None
    if "百" not in text and "十" not in text:
        if len(text) == 1:
            return _CN_DIGITS[text]
        # digit by digit, as in years written 二〇二六
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def int_to_chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (1 ≤ n < 1000)."""
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    if ones or not out:
        out += digits[ones]
    return out


def _number(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def split_code(text: str) -> tuple[Code | None, str]:
    """Split a leading code from `text`: "（二）强化保障" → (Code("（二）", CN_PAREN, 2), "强化保障")."""
    stripped = text.lstrip(" \t\u3000\r\n")
    if not stripped:
        return None, ""
    first = stripped[0]
    code: Code | None = None
    if first in _CIRCLED:
        code = Code(first, Kind.CIRCLED, _CIRCLED.index(first) + 1)
    elif first in _PAREN_DIGITS:
        code = Code(first, Kind.ARABIC_PAREN, _PAREN_DIGITS.index(first) + 1)
    elif first in _DOT_DIGITS:
        code = Code(first, Kind.ARABIC, _DOT_DIGITS.index(first) + 1)
    else:
        code = _match_code(stripped)
    if code is None:
        return None, text.strip()
    rest = _SPACE_AFTER.sub("", stripped[len(code.text) :])
    return code, rest.strip()


def _match_code(text: str) -> Code | None:
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        written = match.group(0).strip()
        parts = [g for g in match.groups() if g is not None]
        if kind in (Kind.CN, Kind.CN_PAREN):
            value = chinese_to_int(parts[0])
            if value is None or value == 0:
                continue
            return Code(written, kind, value)
        numbers = [_number(p) for p in parts]
        if numbers[-1] == 0:
            continue
        return Code(written, kind, numbers[-1], tuple(numbers[:-1]))
    return None


def parse_code(value: object) -> Code | None:
    """A whole 序号 cell as a code: 1 → PLAIN, "一" → CN, "（一）", "1.", "1.1", "①" as in `split_code`."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return Code(str(int(value)), Kind.PLAIN, int(value)) if 0 < value < 100000 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _PLAIN.fullmatch(text):
        plain = _number(text)
        return Code(text, Kind.PLAIN, plain) if plain else None
    if _BARE_CN.fullmatch(text):
        chinese = chinese_to_int(text)
        return Code(text, Kind.CN, chinese) if chinese else None
    code, rest = split_code(text)
    return code if code is not None and not rest else None


def format_code(kind: Kind, value: int, like: Code | None = None) -> str:
    """The canonical way to write code number `value` of `kind`; decimal codes take their prefix from `like`."""
    match kind:
        case Kind.CN:
            return f"{int_to_chinese(value)}、"
        case Kind.CN_PAREN:
            return f"（{int_to_chinese(value)}）"
        case Kind.ARABIC:
            return f"{value}."
        case Kind.DECIMAL2 | Kind.DECIMAL3:
            prefix = like.prefix if like and like.prefix else (1,) * (kind - Kind.ARABIC)
            return ".".join(str(p) for p in (*prefix, value))
        case Kind.ARABIC_PAREN:
            return f"（{value}）"
        case Kind.CIRCLED:
            return _CIRCLED[value - 1] if 0 < value <= len(_CIRCLED) else f"({value})"
    return str(value)
