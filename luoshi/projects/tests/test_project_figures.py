"""Money and shares as the project pages print them."""

from decimal import Decimal

import pytest

from luoshi.projects.templatetags.project_figures import money, percent


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("50000"), "wan", "50,000"),
        (Decimal("1234.50"), "wan", "1,234.5"),
        (Decimal("0"), "wan", "0"),
        (Decimal("10.00"), "wan", "10"),
        (Decimal("50000"), "yi", "5.00"),
        (Decimal("123456789"), "yi", "12,345.68"),
        (None, "wan", "—"),
    ],
)
def test_money(value: Decimal | None, unit: str, shown: str) -> None:
    assert money(value, unit) == shown


def test_percent() -> None:
    assert percent(16.666) == "16.7"
    assert percent(None) == "—"
