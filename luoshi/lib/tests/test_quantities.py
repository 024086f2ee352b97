from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from luoshi.lib.quantities import extract_quantities


def test_simple_count() -> None:
    [q] = extract_quantities("新增高新技术企业100家")
    assert (q.indicator, q.value, q.unit, q.decreasing) == ("新增高新技术企业", Decimal("100"), "家", False)


def test_several_and_percent() -> None:
    qs = extract_quantities("研发投入强度达到4.5%，引进高层次人才200人")
    assert [(q.indicator, q.value, q.unit) for q in qs] == [
        ("研发投入强度", Decimal("4.5"), "%"),
        ("引进高层次人才", Decimal("200"), "人"),
    ]


def test_decreasing() -> None:
    [q] = extract_quantities("单位增加值能耗下降3%")
    assert q.decreasing and q.unit == "%"


def test_no_number_no_target() -> None:
    assert extract_quantities("持续优化营商环境") == []


@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    extract_quantities(text)
