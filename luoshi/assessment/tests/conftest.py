from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from luoshi.assessment import actions
from luoshi.assessment.importing import ValueRow
from luoshi.assessment.models import Indicator, IndicatorValue, SchemeVersion
from luoshi.demo.indicators import (
    STAR_FLAG_BONUS,
    STAR_FLAG_CONTEST,
    STAR_FLAG_PIPELINE,
    STAR_FLAG_STRUCTURE,
    build_indicators,
)
from luoshi.demo.org import DemoOrg, build_org

NOW = datetime(2026, 10, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def library(world) -> dict[str, Indicator]:
    """Two indicators of zone alpha: 新增高企 (more is better) and 能耗 (less is better)."""
    return {
        "HTE": actions.save_indicator(
            world.zone, {"code": "HTE", "name": "新增高新技术企业", "unit_of_measure": "家"}, None
        ),
        "ENERGY": actions.save_indicator(
            world.zone, {"code": "ENERGY", "name": "单位增加值能耗", "direction": "decrease"}, None
        ),
    }


@pytest.fixture
def value(world, library) -> IndicatorValue:
    row = ValueRow(2, library["HTE"].pk, world.tech.pk, "2026Q3", date(2026, 9, 30), Decimal(12), "")
    actions.import_values(world.zone, [row], None, NOW)
    return IndicatorValue.objects.get()


def workbook(*rows: tuple) -> bytes:
    """An .xlsx with a title row, then the rows given (the first being the header)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(("2026年三季度指标数据",))
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


STRUCTURE, STEPS, BONUS, CONTEST = STAR_FLAG_STRUCTURE, STAR_FLAG_PIPELINE, STAR_FLAG_BONUS, STAR_FLAG_CONTEST


@pytest.fixture
def demo(db) -> DemoOrg:
    """The demo zone's units, accounts and indicator library with a year of quarterly figures."""
    org = build_org()
    build_indicators(org, date(2026, 11, 22))
    return org


@pytest.fixture
def version(demo) -> SchemeVersion:
    """A published 摘星夺旗-style scheme over the demo library: three sectors, a capped satisfaction bonus."""
    scheme = actions.create_scheme(demo.zone, "2026年季度摘星夺旗", "star_flag", "", None)
    draft = actions.add_version(scheme, STRUCTURE, STEPS, BONUS, "首版", None, NOW, CONTEST)
    return actions.publish_version(draft, None, NOW)
