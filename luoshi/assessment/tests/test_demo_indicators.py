from datetime import date

from luoshi.assessment.models import Indicator, IndicatorValue
from luoshi.demo.indicators import INDICATORS, build_indicators
from luoshi.demo.org import build_org


def test_demo_library_has_a_year_of_quarterly_figures_for_the_rated_units(db: None) -> None:
    org = build_org()
    written = build_indicators(org, date(2026, 11, 22))
    assert Indicator.objects.filter(zone=org.zone).count() == len(INDICATORS)
    values = IndicatorValue.objects.filter(zone=org.zone)
    assert values.count() == written == len(INDICATORS) * 4 * 7  # 4 functional areas and 3 streets
    assert sorted(set(values.values_list("period", flat=True))) == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert not values.filter(period="2026Q3", verified=True).exists()
    assert not values.exclude(period="2026Q3").filter(verified=False).exists()
    energy = values.filter(indicator__code="ENERGY")
    assert all(0 < v < 1 for v in energy.values_list("value", flat=True))
