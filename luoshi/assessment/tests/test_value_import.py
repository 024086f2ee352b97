from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.assessment.models import Indicator, IndicatorValue
from luoshi.assessment.tests.conftest import workbook
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.sheets.tests.archives import bomb

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

HEADER = ("指标代码", "单位", "期间", "数值", "数据来源")
URL = reverse("assessment:value_import", kwargs={"zone": "alpha"})


def upload(client: Client, data: bytes, name: str = "values.xlsx") -> "Response":
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def test_a_workbook_of_values_is_imported(
    world: World, login: Callable[[User], Client], library: dict[str, Indicator]
) -> None:
    data = workbook(
        HEADER,
        ("HTE", "区科技局", "2026年第三季度", 12, "区统计局"),
        ("新增高新技术企业", "区发展和改革局", "2026Q3", "3", ""),
        ("ENERGY", "全区", "2026-09", "0.45", "市统计局"),
        ("ENERGY", "", 2026, "1,234.5", ""),
        ("合计", "", "", "", ""),
    )
    response = upload(login(world.user("supervisor")), data)
    assert response.status_code == 302
    values = {
        (v.indicator.code, v.unit.name if v.unit else "全区", v.period): v
        for v in IndicatorValue.objects.all()
    }
    assert set(values) == {
        ("HTE", "区科技创新局", "2026Q3"),
        ("HTE", "区发展和改革局", "2026Q3"),
        ("ENERGY", "全区", "2026-09"),
        ("ENERGY", "全区", "2026"),
    }
    first = values[("HTE", "区科技创新局", "2026Q3")]
    assert (first.value, first.source, first.entered_by, first.verified) == (
        12,
        "区统计局",
        world.user("supervisor"),
        False,
    )
    assert values[("ENERGY", "全区", "2026")].value == 1234.5


def test_every_problem_is_listed_and_nothing_written(
    world: World, login: Callable[[User], Client], library: dict[str, Indicator]
) -> None:
    data = workbook(
        HEADER,
        ("HTE", "区科技局", "2026Q3", 12, ""),
        ("GDP", "区科技局", "2026Q3", 5, ""),
        ("HTE", "区科技厅", "2026Q3", 5, ""),
        ("HTE", "区发改局", "第三季度", 5, ""),
        ("HTE", "区发改局", "2026Q3", "十二", ""),
        ("HTE", "区科技创新局", "2026年3季度", 13, ""),
    )
    response = upload(login(world.user("supervisor")), data)
    body = response.content.decode()
    assert response.status_code == 200 and "发现 5 处问题，未导入任何数据" in body
    for text in (
        "指标“GDP”不在指标库中",
        "单位“区科技厅”不存在",
        "期间“第三季度”无法识别",
        "“十二”不是数字",
        "与第3行重复",
    ):
        assert text in body
    assert "<td>4</td><td>指标代码</td>" in body  # the row of the file and the column as headed
    assert not IndicatorValue.objects.exists()


def test_a_file_that_is_not_a_workbook_or_has_no_header(
    world: World, login: Callable[[User], Client], library: dict[str, Indicator]
) -> None:
    client = login(world.user("supervisor"))
    assert "不是 Excel 工作簿" in upload(client, b"%PDF-1.4 not a workbook", "v.xlsx").content.decode()
    assert "找不到表头" in upload(client, workbook(("名称", "备注"), ("a", "b"))).content.decode()
    assert "表头下没有数据行" in upload(client, workbook(HEADER)).content.decode()
    assert "所提交的是空文件" in upload(client, b"").content.decode()
    assert not IndicatorValue.objects.exists()


def test_reimport_replaces_a_changed_value_and_asks_for_verification_again(
    world: World, login: Callable[[User], Client], library: dict[str, Indicator], value: IndicatorValue
) -> None:
    client = login(world.user("supervisor"))
    client.post(reverse("assessment:value_verify", kwargs={"zone": "alpha", "value_id": value.pk}))
    value.refresh_from_db()
    assert value.verified and value.verified_by == world.user("supervisor")
    upload(client, workbook(HEADER, ("HTE", "区科技创新局", "2026Q3", 12, "")))
    value.refresh_from_db()
    assert value.verified  # same figure: left alone
    upload(client, workbook(HEADER, ("HTE", "区科技创新局", "2026Q3", 14, "更正")))
    value.refresh_from_db()
    assert (value.value, value.verified, value.history.count()) == (14, False, 3)


def test_the_import_is_audited_with_its_counts(
    world: World, login: Callable[[User], Client], library: dict[str, Indicator]
) -> None:
    data = workbook(HEADER, ("HTE", "区科技局", "2026Q3", 12, ""), ("ENERGY", "全区", "2026", "0.45", ""))
    assert upload(login(world.user("supervisor")), data).status_code == 302
    event = AuditEvent.objects.get(event="import")
    assert event.detail == {"file": "values.xlsx", "rows": 2, "added": 2, "changed": 0}


def test_a_zip_bomb_is_refused_before_it_is_opened(
    world: World, login: Callable[[User], Client], library: dict[str, Indicator]
) -> None:
    """Issue defect 4, for the indicator value import."""
    data = bomb(workbook(HEADER), "xl/worksheets/sheet1.xml", 200 << 20)
    response = upload(login(world.user("supervisor")), data)
    assert response.status_code == 200 and "超过 100 倍的上限" in response.content.decode()
    assert not IndicatorValue.objects.exists()
