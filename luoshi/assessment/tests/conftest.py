from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from luoshi.alerts import orders
from luoshi.alerts.models import Warning, WarningEvent
from luoshi.alerts.tests import conftest as alerts_conftest
from luoshi.alerts.tests.conftest import at, hand_in, new_order, week
from luoshi.assessment import actions
from luoshi.assessment.importing import ValueRow
from luoshi.assessment.models import Indicator, IndicatorValue, SchemeVersion
from luoshi.conftest import World
from luoshi.demo.indicators import (
    STAR_FLAG_BONUS,
    STAR_FLAG_CONTEST,
    STAR_FLAG_PIPELINE,
    STAR_FLAG_STRUCTURE,
    build_indicators,
)
from luoshi.demo.org import DemoOrg, build_org
from luoshi.plans.models import PlanItem
from luoshi.reporting.models import Cycle

NOW = datetime(2026, 10, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def library(world: World) -> dict[str, Indicator]:
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
def value(world: World, library: dict[str, Indicator]) -> IndicatorValue:
    row = ValueRow(2, library["HTE"].pk, world.tech.pk, "2026Q3", date(2026, 9, 30), Decimal(12), "")
    actions.import_values(world.zone, [row], None, NOW)
    return IndicatorValue.objects.get()


def workbook(*rows: tuple[object, ...]) -> bytes:
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
def demo(db: None) -> DemoOrg:
    """The demo zone's units, accounts and indicator library with a year of quarterly figures."""
    org = build_org()
    build_indicators(org, date(2026, 11, 22))
    return org


@pytest.fixture
def version(demo: DemoOrg) -> SchemeVersion:
    """A published 摘星夺旗-style scheme over the demo library: three sectors, a capped satisfaction bonus."""
    scheme = actions.create_scheme(demo.zone, "2026年季度摘星夺旗", "star_flag", "", None)
    draft = actions.add_version(scheme, STRUCTURE, STEPS, BONUS, "首版", None, NOW, CONTEST)
    return actions.publish_version(draft, None, NOW)


# Execution facts ------------------------------------------------------------------------------------------------

# The weeks whose reports are due in July (Fridays 3 … 31 July).
JULY = [date(2026, 6, 29), date(2026, 7, 6), date(2026, 7, 13), date(2026, 7, 20), date(2026, 7, 27)]
LATER = at(2026, 9, 1, 9)


weekly = alerts_conftest.weekly  # the world's plan reporting weekly from 5 January 2026


def flag(
    world: World,
    subject: PlanItem,
    level: str,
    opened: datetime,
    resolved: datetime | None = None,
    lowered: datetime | None = None,
) -> Warning:
    """A warning on an item with its event history: opened at `level`, perhaps lowered to yellow, resolved."""
    warning = Warning.objects.create(
        zone=world.zone, rule="BEHIND", item=subject, unit=subject.lead_unit, level=level, reason="滞后",
        opened_at=opened, updated_at=opened, resolved_at=resolved,
    )  # fmt: skip
    WarningEvent.objects.create(warning=warning, kind="opened", at=opened, level=level)
    if lowered:
        WarningEvent.objects.create(warning=warning, kind="lowered", at=lowered, level="yellow")
        Warning.objects.filter(pk=warning.pk).update(level="yellow")
    return warning


@pytest.fixture
def july(world: World, weekly: Cycle) -> None:
    """区科技创新局 (item_a): three reports on time, one late, one never handed in, a red warning still open at
    the end of July, and of its two orders due in July one answered in time and closed. 区发展和改革局 (items
    b and c): every report on time; item_b's red warning was lowered to yellow on 15 July and is still open,
    item_c's warning cleared within July and another opened only in August."""
    a, b, c = world.item_a, world.item_b, world.item_c
    periods = [week(weekly, monday) for monday in JULY]
    for n, period in enumerate(periods):
        if n != 1:  # the week of 13 July is missing
            hand_in(a, period, 10 * n, version=1, submitted_at=period.due_at, late=n == 3)
        for subject in (b, c):
            hand_in(subject, period, 10 * n, version=1, submitted_at=period.due_at, late=False)
    flag(world, a, "red", at(2026, 7, 20, 8))
    flag(world, b, "red", at(2026, 7, 1, 8), lowered=at(2026, 7, 15, 8))
    flag(world, c, "yellow", at(2026, 7, 10, 8), resolved=at(2026, 7, 25, 8))
    flag(world, c, "red", at(2026, 8, 5, 8))
    answered = new_order(world)  # due 15 July
    orders.sign_order(answered, world.user("liaison"), at(2026, 7, 1, 10))
    orders.submit_feedback(answered, "已完成", world.user("liaison"), at(2026, 7, 14, 9))
    orders.close_order(answered, "good", "", world.user("supervisor"), at(2026, 7, 20, 9))
    new_order(world, deadline=date(2026, 7, 20), subject="另一件")  # never answered
    new_order(world, unit=world.dev, deadline=date(2026, 8, 10), subject="八月到期")
