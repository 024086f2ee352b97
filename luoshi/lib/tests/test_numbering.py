import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.lib.numbering import Kind, chinese_to_int, format_code, int_to_chinese, parse_code, split_code


@pytest.mark.parametrize(
    ("text", "written", "kind", "value", "rest"),
    [
        ("一、提升科技创新能力", "一、", Kind.CN, 1, "提升科技创新能力"),
        ("十二、其他", "十二、", Kind.CN, 12, "其他"),
        ("二十一．补充", "二十一．", Kind.CN, 21, "补充"),
        ("（二）强化保障", "（二）", Kind.CN_PAREN, 2, "强化保障"),
        ("(三) 半角括号", "(三)", Kind.CN_PAREN, 3, "半角括号"),
        ("3. 培育主体", "3.", Kind.ARABIC, 3, "培育主体"),
        ("1、顿号", "1、", Kind.ARABIC, 1, "顿号"),
        ("1．全角点", "1．", Kind.ARABIC, 1, "全角点"),
        ("１２．全角数字", "１２．", Kind.ARABIC, 12, "全角数字"),
        ("⒉ 带点数字", "⒉", Kind.ARABIC, 2, "带点数字"),
        ("1.2 小节", "1.2", Kind.DECIMAL2, 2, "小节"),
        ("2.3.4目", "2.3.4", Kind.DECIMAL3, 4, "目"),
        ("（1）全角括号", "（1）", Kind.ARABIC_PAREN, 1, "全角括号"),
        ("(10)半角括号", "(10)", Kind.ARABIC_PAREN, 10, "半角括号"),
        ("2）右括号", "2）", Kind.ARABIC_PAREN, 2, "右括号"),
        ("⑴带括号数字", "⑴", Kind.ARABIC_PAREN, 1, "带括号数字"),
        ("③圈码", "③", Kind.CIRCLED, 3, "圈码"),
        ("㉑ 二十一", "㉑", Kind.CIRCLED, 21, "二十一"),
    ],
)
def test_split_code(text: str, written: str, kind: Kind, value: int, rest: str) -> None:
    code, remainder = split_code(text)
    assert code is not None
    assert (code.text, code.kind, code.value, remainder) == (written, kind, value, rest)


@pytest.mark.parametrize(
    "text",
    [
        "提升科技创新能力",
        "2026年12月底前",
        "3.5亿元投资",
        "1.5%增长",
        "十分重要",
        "2026.6",
        "",
        "（牵头）",
        "100家",
    ],
)
def test_no_code(text: str) -> None:
    assert split_code(text) == (None, text.strip())


def test_decimal_prefix() -> None:
    code, _rest = split_code("1.2.3 细目")
    assert code is not None
    assert code.prefix == (1, 2)


@pytest.mark.parametrize(
    ("value", "kind", "number"),
    [
        (1, Kind.PLAIN, 1),
        (3.0, Kind.PLAIN, 3),
        ("12", Kind.PLAIN, 12),
        ("一", Kind.CN, 1),
        ("十一", Kind.CN, 11),
        ("（二）", Kind.CN_PAREN, 2),
        ("1.", Kind.ARABIC, 1),
        ("1.1", Kind.DECIMAL2, 1),
        ("①", Kind.CIRCLED, 1),
    ],
)
def test_parse_code(value: float | str, kind: Kind, number: int) -> None:
    code = parse_code(value)
    assert code is not None
    assert (code.kind, code.value) == (kind, number)


@pytest.mark.parametrize("value", [None, True, "", "一是", "1.培育", 0, 1.5, "备注"])
def test_parse_code_rejects(value: bool | float | int | str | None) -> None:
    assert parse_code(value) is None


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九"), (105, "一百零五")]
)
def test_chinese_numbers(n: int, text: str) -> None:
    assert int_to_chinese(n) == text
    assert chinese_to_int(text) == n


def test_chinese_year_digits() -> None:
    assert chinese_to_int("二〇二六") == 2026


def test_kinds_nest_in_canonical_order() -> None:
    assert Kind.CN < Kind.CN_PAREN < Kind.ARABIC < Kind.ARABIC_PAREN < Kind.CIRCLED


@given(st.integers(min_value=1, max_value=999))
def test_chinese_round_trip(n: int) -> None:
    assert chinese_to_int(int_to_chinese(n)) == n


@given(
    st.sampled_from([Kind.CN, Kind.CN_PAREN, Kind.ARABIC, Kind.ARABIC_PAREN, Kind.CIRCLED]),
    st.integers(min_value=1, max_value=50),
    st.text(alphabet="推进科技创新能力建设完善机制", min_size=1, max_size=20),
)
def test_format_then_split_round_trips(kind: Kind, n: int, title: str) -> None:
    code, rest = split_code(format_code(kind, n) + title)
    assert code is not None
    assert (code.kind, code.value, rest) == (kind, n, title)


@given(st.text(max_size=60))
def test_never_raises(text: str) -> None:
    code, rest = split_code(text)
    assert code is None or code.value > 0
    parse_code(text)
