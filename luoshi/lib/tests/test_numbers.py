from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from luoshi.lib.numbers import as_decimal, format_by_unit, split_by_unit


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("3.9500"), "%", "4%"),
        (Decimal("93.4000"), "%", "93.4%"),
        (Decimal("88"), "%", "88%"),
        (Decimal("4.5000"), "％", "4.5%"),
        (Decimal("0.25"), "个百分点", "0.3个百分点"),
        (Decimal("222.90"), "台", "223台"),
        (Decimal("300"), "台", "300台"),
        (Decimal("12345"), "家", "12,345家"),
        (Decimal("8500"), "万元", "8,500万元"),
        (Decimal("12500"), "万元", "1.25亿元"),
        (Decimal("3.456"), "亿元", "3.46亿元"),
        (Decimal("0.5"), "亿元", "5,000万元"),
        (Decimal("25000"), "元", "2.5万元"),
        (Decimal("0.5"), "元", "0.5元"),
        (Decimal("12.5000"), "亩", "12.5亩"),
        (Decimal("1.23456"), "", "1.23"),
        (Decimal("-2.35"), "%", "-2.4%"),
        (Decimal("-0.01"), "%", "0%"),
        (7, "个", "7个"),
        (2.5, "%", "2.5%"),
        ("1,200.0", "人", "1,200人"),
        (None, "%", "—"),
        ("", "台", "—"),
        ("abc", "台", "—"),
    ],
)
def test_formats_by_unit(value: object, unit: str, shown: str) -> None:
    assert format_by_unit(value, unit) == shown


def test_split_keeps_figure_and_unit_apart() -> None:
    assert split_by_unit(Decimal("12500"), "万元") == ("1.25", "亿元")
    assert split_by_unit(None, "万元") == ("—", "")


def test_not_numbers() -> None:
    assert as_decimal(True) is None
    assert as_decimal(float("nan")) is None
    assert as_decimal("  3.5 ") == Decimal("3.5")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4))
def test_percent_never_more_than_one_decimal(value: Decimal) -> None:
    figure, unit = split_by_unit(value, "%")
    assert unit == "%"
    decimals = figure.split(".")[1] if "." in figure else ""
    assert len(decimals) <= 1
    assert abs(Decimal(figure.replace(",", "")) - value) <= Decimal("0.05")


@given(st.decimals(min_value=0, max_value=10**7, places=2))
def test_counts_are_whole(value: Decimal) -> None:
    figure, _ = split_by_unit(value, "台")
    assert "." not in figure


def test_template_filter() -> None:
    rendered = Template("{% load quantities %}{{ a|by_unit:'%' }} / {{ b|by_unit:u }}").render(
        Context({"a": Decimal("3.95"), "b": Decimal("222.9"), "u": "台"})
    )
    assert rendered == "4% / 223台"
