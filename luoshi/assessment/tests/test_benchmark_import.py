"""Reading a benchmark table (对标数据) and the import_benchmark action: every problem by row and column, nothing
stored on error, a second import of the same table replacing the first."""

from io import BytesIO

import openpyxl
import pytest

from luoshi.assessment import actions
from luoshi.assessment.benchmark_import import read_benchmark, seal, unseal
from luoshi.assessment.models import Benchmark, Scheme, SchemeVersion
from luoshi.assessment.tests.conftest import NOW
from luoshi.conftest import World
from luoshi.org.queries import access_for

INDICATORS = {"RD": "研发经费占营业收入比例", "PAT": "每万人发明专利授权数", "EN": "单位增加值综合能耗"}
HEADER = ("序号", "名称", "RD", "每万人发明专利授权数（件）", "EN", "本区")
STRUCTURE = """iCode,iName,Level,Parent,Weight
RD,研发经费占营业收入比例,1,INNO,1
PAT,每万人发明专利授权数,1,INNO,1.2
EN,单位增加值综合能耗,1,GREEN,1
INNO,创新,2,TOTAL,60
GREEN,绿色,2,TOTAL,40
TOTAL,综合,3,,1
"""
STEPS = '[normalise]\nmethod = "minmax"\nrange = [0, 100]\n\n[aggregate]\nmethod = "arithmetic_mean"\n'


def workbook(*rows: tuple[object, ...]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(("2025年国家高新区主要指标",))
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = (
    HEADER,
    (1, "合肥高新区", 4.1, 120, 0.21, None),
    (2, "甲高新区", "3.5", 80, 0.30, "✓"),
    (3, "西安高新区", 3.9, "-", 0.25, None),
    (None, "合计", 11.5, 200, 0.76, None),
)


def test_a_table_is_read_with_headings_by_code_or_name() -> None:
    table, problems = read_benchmark(workbook(*GOOD), INDICATORS)
    assert problems == [] and table is not None
    assert table.own == "甲高新区"
    assert table.rows == {
        "合肥高新区": {"RD": 4.1, "PAT": 120, "EN": 0.21},
        "甲高新区": {"RD": 3.5, "PAT": 80, "EN": 0.30},
        "西安高新区": {"RD": 3.9, "PAT": None, "EN": 0.25},  # a peer's gap; 合计 is no zone
    }


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_as_excel_saves_it(encoding: str) -> None:
    text = '名称,RD,PAT,EN\n合肥高新区,4.1,120,0.21\n甲高新区,"3.5",80,0.3\n'
    table, problems = read_benchmark(text.encode(encoding), INDICATORS, own_name="甲高新区")
    assert problems == [] and table is not None and table.rows["甲高新区"]["RD"] == 3.5


def messages(data: bytes, own_name: str = "") -> list[tuple[int | None, str | None, str]]:
    table, problems = read_benchmark(data, INDICATORS, own_name)
    assert table is None
    return [(p.row, p.column, p.message) for p in problems]


def test_every_problem_is_reported_by_row_and_column() -> None:
    data = workbook(
        ("序号", "名称", "RD", "PAT", "EN", "本区", "人均GDP", "研发经费占营业收入比例"),
        (1, "合肥高新区", 4.1, 120, 0.21, None),
        (2, None, 3.3, 90, 0.2, None),
        (3, "合肥高新区", 4.0, 110, 0.2, None),
        (4, "甲高新区", 3.5, None, 0.30, "✓"),
        (5, "西安高新区", "3,9", "很多", 0.25, "是的"),
    )
    assert messages(data) == [
        (2, "人均GDP", "不是方案中的指标：表头应为指标代码或指标名称"),
        (2, "研发经费占营业收入比例", "与“RD”列是同一指标"),
        (4, "名称", "缺少名称"),
        (5, "名称", "与第3行重复（同一名称）"),
        (7, "本区", "“本区”列只能标“✓”或留空"),
        (7, "PAT", "“很多”不是数字"),
        (6, "PAT", "本区的这一指标没有数值"),
    ]


def test_a_missing_column_or_our_row() -> None:
    assert messages(workbook(("名称", "RD", "PAT"), ("合肥高新区", 4.1, 120), ("甲高新区", 3.5, 80))) == [
        (2, "", "缺少指标“EN 单位增加值综合能耗”的列"),
        (2, "", "没有标明本区：在“本区”列中标“✓”，或在表单中填写本区在表中的名称"),
    ]
    assert messages(workbook(*GOOD[:2], GOOD[3]), own_name="乙高新区") == [
        (2, "", "表中没有名为“乙高新区”的行")
    ]
    assert messages(workbook(*GOOD), own_name="合肥高新区") == [
        (4, "", "标为本区的是“甲高新区”，表单中填写的是“合肥高新区”")
    ]
    two = workbook(HEADER, (1, "合肥高新区", 4.1, 120, 0.21, "√"), (2, "甲高新区", 3.5, 80, 0.3, "✓"))
    assert messages(two) == [(4, "", "只能有一行标为本区，第3行已标")]


def test_files_that_cannot_be_read() -> None:
    assert messages(b"%PDF-1.4 not a table") == [(1, "", "文件无法作为 Excel 工作簿（.xlsx）或 CSV 文件读取")]
    assert messages(workbook(("指标", "数值"), ("RD", 1))) == [
        (1, "", "前10行中找不到表头：第一列应为“名称”（高新区名称）")
    ]
    assert messages(workbook(HEADER, (1, "甲高新区", 3.5, 80, 0.3, "✓"))) == [
        (2, "", "表头下至少需要两行：本区和一个对标园区")
    ]


@pytest.fixture
def published(world: World) -> tuple[Scheme, SchemeVersion]:
    for code, name in INDICATORS.items():
        direction = "decrease" if code == "EN" else "increase"
        actions.save_indicator(world.zone, {"code": code, "name": name, "direction": direction}, None)
    scheme = actions.create_scheme(world.zone, "国家高新区综合评价", "zone_evaluation", "", None)
    version = actions.add_version(scheme, STRUCTURE, STEPS, [], "", None, NOW)
    return scheme, actions.publish_version(version, None, NOW)


def test_import_stores_the_table_and_a_second_import_replaces_it(
    world: World, published: tuple[Scheme, SchemeVersion]
) -> None:
    scheme, version = published
    table, _problems = read_benchmark(workbook(*GOOD), INDICATORS)
    assert table is not None
    fields = {"period": "2025", "name": "2025年对标", "source": "火炬中心"}
    first = actions.import_benchmark(scheme, version, fields, table, world.user("supervisor"), NOW)
    assert (first.zone, first.own_name, first.rows["西安高新区"]["PAT"]) == (world.zone, "甲高新区", None)
    table.rows["西安高新区"]["PAT"] = 95
    again = actions.import_benchmark(scheme, version, fields, table, world.user("admin"), NOW)
    assert again.pk == first.pk and Benchmark.objects.count() == 1
    again.refresh_from_db()
    assert again.rows["西安高新区"]["PAT"] == 95 and again.uploaded_by == world.user("admin")
    assert again.history.count() == 2 and again.history.earliest().rows["西安高新区"]["PAT"] is None


def test_what_the_engine_refuses_is_not_stored(world: World, published: tuple[Scheme, SchemeVersion]) -> None:
    scheme, version = published
    same = workbook(HEADER, (1, "合肥高新区", 4.1, 120, 0.3, None), (2, "甲高新区", 3.5, 80, 0.3, "✓"))
    table, _problems = read_benchmark(same, INDICATORS)
    assert table is not None
    with pytest.raises(actions.ScoringRefused, match="代码 EN：这一指标所有单位取值相同"):
        actions.import_benchmark(scheme, version, {"period": "2025", "name": "对标"}, table, None, NOW)
    draft = actions.add_version(scheme, STRUCTURE, STEPS, [], "", None, NOW)
    with pytest.raises(actions.ScoringRefused, match="只有已发布的版本"):
        actions.import_benchmark(scheme, draft, {"period": "2025", "name": "对标"}, table, None, NOW)
    assert not Benchmark.objects.exists()


def test_a_sealed_table_comes_back_only_to_its_uploader(world: World) -> None:
    table, _problems = read_benchmark(workbook(*GOOD), INDICATORS)
    assert table is not None
    token = seal(access_for(world.user("supervisor"), "alpha"), table, {"period": "2025"})
    back = unseal(access_for(world.user("supervisor"), "alpha"), token)
    assert back is not None and back[0] == table and back[1] == {"period": "2025"}
    assert unseal(access_for(world.user("admin"), "alpha"), token) is None
    assert unseal(access_for(world.user("supervisor"), "alpha"), token + "x") is None
