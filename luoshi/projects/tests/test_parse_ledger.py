"""The ledger parser: headers as offices draw them, money units, dates, stages read from prose, blockers, rows
that are not projects, sub-projects. No database."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.projects.cells import blocker_category, read_stage, split_blockers
from luoshi.projects.choices import BlockerCategory, Category, Construction, Stage
from luoshi.projects.ledger import ParsedLedger, parse_ledger
from luoshi.projects.tests.workbooks import make_ledger, project_row, sample_ledger
from luoshi.sheets.values import read_date, read_money


def _parse(data: bytes, year: int | None = None) -> ParsedLedger:
    return parse_ledger(data, "台账.xlsx", year)


def test_the_sample_ledger() -> None:
    ledger = _parse(sample_ledger())
    assert (ledger.title, ledger.year, ledger.completed_month) == ("甲高新区2026年重点项目台账", 2026, 10)
    assert ledger.problems == []
    assert [(p.ref, p.row, p.parent) for p in ledger.projects] == [
        ("1", 5, None),
        ("2", 6, None),
        ("3", 8, None),
        ("3.1", 9, "3"),
    ]  # the section rows and the 合计 row are not projects
    factory, battery, hub, phase = ledger.projects
    assert factory.category == Category.INDUSTRIAL and hub.category == Category.INFRASTRUCTURE
    assert factory.total_investment_wan == Decimal("50000.00")  # 5 亿元
    assert battery.total_investment_wan == Decimal("125000.00")  # 12.5 亿元
    assert (factory.annual_plan_wan, factory.completed_wan) == (Decimal("6000.00"), Decimal("4500.00"))
    assert (factory.start, factory.finish) == (date(2025, 3, 1), date(2026, 12, 1))
    assert (battery.start, battery.finish) == (date(2024, 6, 1), date(2026, 3, 1))
    assert [p.stage for p in ledger.projects] == [
        Stage.CAPPED,
        Stage.IN_PRODUCTION,
        Stage.PLANNING,
        Stage.STARTED,
    ]
    assert factory.columns["completed_wan"] == "I"


def test_single_row_header_without_title_in_yuan_with_a_stage_column() -> None:
    top = [
        "序号",
        "项目名称",
        "项目编号",
        "所处阶段",
        "总投资（元）",
        "年度计划投资（万元）",
        "开工时间",
        "责任单位",
    ]
    rows = [
        [1, "甲项目", "X-1", "在建", 250_000_000, 3000, 2026.03, "区科技局"],
        [2, "乙项目", "X-2", "full_production", "1,000,000", "—", 2025.1, "区科技局（牵头）、区财政局"],
    ]
    ledger = _parse(make_ledger(rows, title=None, top=top, bottom=None), 2026)
    first, second = ledger.projects
    assert (first.code, first.stage, first.total_investment_wan) == (
        "X-1",
        Stage.STARTED,
        Decimal("25000.00"),
    )
    assert (first.start, first.row) == (date(2026, 3, 1), 2)
    assert (second.stage, second.total_investment_wan, second.annual_plan_wan) == (
        Stage.FULL_PRODUCTION,
        Decimal("100.00"),
        None,
    )
    assert second.start == date(2025, 10, 1) and second.lead_unit == "区科技局"
    (problem,) = ledger.problems  # 2025.1 may be January typed short: said so
    assert (problem.row, problem.column, problem.severity) == (3, "G", "warning")


def test_sub_projects_numbered_in_brackets_and_repeated_refs() -> None:
    rows = [
        project_row(序号=1, 项目名称="科创中心"),
        project_row(序号="（1）", 项目名称="一期"),
        project_row(序号="（2）", 项目名称="二期"),
        project_row(序号=2, 项目名称="物流园"),
        project_row(序号="（1）", 项目名称="物流园一期"),
    ]
    ledger = _parse(make_ledger(rows))
    assert [(p.ref, p.parent) for p in ledger.projects] == [
        ("1", None),
        ("（1）", "1"),
        ("（2）", "1"),
        ("2", None),
        ("2-（1）", "2"),
    ]


def test_rows_that_are_not_projects() -> None:
    rows: list[list[object]] = [
        project_row(序号=1, 项目名称="甲项目"),
        [None] * 17,
        project_row(项目名称="小计", **{"总投资（亿元）": 3}),
        project_row(序号="序号", 项目名称="项目名称"),  # the header repeated on a printed page
        project_row(序号=2, 项目名称="乙项目"),
        project_row(序号="总计", **{"总投资（亿元）": 9}),
        project_row(序号="备注：金额单位见表头"),
        project_row(序号="填表人：张三"),
    ]
    ledger = _parse(make_ledger(rows))
    assert [p.name for p in ledger.projects] == ["甲项目", "乙项目"]
    assert ledger.problems == []


def test_a_row_with_figures_but_no_name_is_an_error() -> None:
    ledger = _parse(make_ledger([project_row(序号=1, **{"总投资（亿元）": 3})]))
    (problem,) = ledger.problems
    assert (problem.row, problem.column, problem.severity) == (4, "B", "error")
    assert "没有项目名称" in problem.message


def test_unit_and_leader_merged_down_over_sub_projects() -> None:
    rows = [
        project_row(
            序号=1, 项目名称="科创中心", 责任单位="区发改局", 包抓领导="李副区长", **{"总投资（亿元）": 9}
        ),
        project_row(序号=1.1, 项目名称="一期"),
        project_row(序号=1.2, 项目名称="二期"),
    ]
    ledger = _parse(make_ledger(rows, merges=["N1:N3", "O1:O3", "G1:G3"]))
    assert [(p.ref, p.parent, p.lead_unit, p.leader) for p in ledger.projects] == [
        ("1", None, "区发改局", "李副区长"),
        ("1.1", "1", "区发改局", "李副区长"),
        ("1.2", "1", "区发改局", "李副区长"),
    ]
    assert [p.total_investment_wan for p in ledger.projects] == [
        Decimal("90000.00"),
        None,
        None,
    ]  # counted once


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"%PDF-1.4", "PDF"),
        (b"PK\x03\x04broken", "损坏"),
        (make_ledger([["甲", "乙"]], title=None, top=["说明", "其他"], bottom=None), "没有找到表头"),
        (make_ledger([], title=None), "表头下面没有项目"),
    ],
)
def test_files_that_are_not_ledgers(data: bytes, message: str) -> None:
    ledger = _parse(data)
    assert ledger.projects == [] and ledger.has_errors
    assert message in ledger.problems[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025.03", date(2025, 3, 1)),
        ("2026年3月", date(2026, 3, 1)),
        ("2026-03", date(2026, 3, 1)),
        ("2026/3/15", date(2026, 3, 15)),
        ("2026年3月15日", date(2026, 3, 15)),
        ("２０２６年３月", date(2026, 3, 1)),
        ("3月", date(2026, 3, 1)),
        ("2026年底", date(2026, 12, 1)),
        (datetime(2026, 3, 15), date(2026, 3, 15)),  # noqa: DTZ001 - cells hold naive datetimes
        (date(2026, 3, 15), date(2026, 3, 15)),
        (46096, date(2026, 3, 15)),  # an Excel serial in an unformatted cell
        (2025.03, date(2025, 3, 1)),
        (2025.3, date(2025, 3, 1)),
        (2025.12, date(2025, 12, 1)),
        ("待定", None),
        (None, None),
    ],
)
def test_dates(value: object, expected: date | None) -> None:
    when, problem, _severity = read_date(value, 2026)
    assert when == expected and problem is None


def test_dates_that_need_a_word() -> None:
    assert read_date("2026.02.30", 2026)[1:] == ("日期不存在：2026.02.30", "error")
    assert read_date("明年上半年", 2026)[2] == "warning"
    assert read_date("2026年", 2026)[0] == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("value", "factor", "expected"),
    [
        (5, Decimal(10000), Decimal("50000.00")),
        ("1,234.5", Decimal(1), Decimal("1234.50")),
        ("１２３", Decimal(1), Decimal("123.00")),
        (2_000_000, Decimal("0.0001"), Decimal("200.00")),
        ("—", Decimal(1), None),
        ("", Decimal(1), None),
    ],
)
def test_money(value: object, factor: Decimal, expected: Decimal | None) -> None:
    assert read_money(value, factor) == (expected, None)


@pytest.mark.parametrize("value", ["约5亿", "5亿元", "待定", True, -3, 2e8, float("nan")])
def test_money_errors(value: object) -> None:
    amount, problem = read_money(value, Decimal(1))
    assert amount is None and problem


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("竣工投产", Stage.IN_PRODUCTION),
        ("主体封顶，设备进场调试", Stage.CAPPED),
        ("前期手续办理中", Stage.PLANNING),
        ("项目谋划阶段", Stage.PLANNING),
        ("正在洽谈", Stage.NEGOTIATING),
        ("已签约，正在办理施工许可证", Stage.SIGNED),
        ("在建，完成桩基施工", Stage.STARTED),
        ("已完工", Stage.COMPLETED),
        ("试生产", Stage.IN_PRODUCTION),
        ("已全面达产", Stage.FULL_PRODUCTION),
        ("已开工建设，计划年底封顶", Stage.STARTED),
        ("尚未开工", None),
        ("土地摘牌", None),
    ],
)
def test_stage_from_prose(text: str, stage: Stage | None) -> None:
    assert read_stage(text) == stage


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("预计10月底竣工，11月中旬投产", Stage.STARTED),  # 预计 governs both clauses
        ("预计10月底竣工，目前已主体封顶", Stage.CAPPED),  # until a clause says what was reached
        ("已完成了生产线设备的安装调试，预计年底前可投入生产", Stage.STARTED),
        ("完成主要设备安装，力争9月试生产", Stage.STARTED),
        ("力争年内建成投用", Stage.STARTED),  # a later stage expected: the works are under way
        ("计划5月开工，年底竣工", None),  # …unless the start itself is still ahead
        ("拟于明年签约，争取后年投产", None),
        ("争取年底封顶。已开工", Stage.STARTED),
        ("预计8月投产。目前正在试生产", Stage.IN_PRODUCTION),
    ],
)
def test_stage_from_prose_ignores_what_is_only_planned_or_expected(text: str, stage: Stage | None) -> None:
    """Issue 12.7: "预计8月底完工，9月上旬试生产" read as in production, "完成了…设备的安装…预计6月底之前可投入
    生产" as planning. A plan or expectation (预计, 计划, 拟, 力争, 争取) never counts as done."""
    assert read_stage(text) == stage


CONSTRUCTION_TOP = ["序号", "项目名称", "建设性质", "总投资（万元）", "形象进度", "责任单位"]


def test_construction_merged_over_rows_reaches_every_row() -> None:
    """Issue 12.7: a 建设性质 cell merged over several rows reached only the first one."""
    rows = [
        [1, "甲项目", "续建", 8000, "已开工建设", "区发改局"],
        [2, "乙项目", None, 6000, "主体封顶", "区发改局"],
        [3, "丙项目", None, 3000, "主体封顶", "区发改局"],
        [4, "丁项目", "新建", 2000, "已签约", "区发改局"],
        [5, "戊项目", None, 1000, "正在洽谈", "区发改局"],
    ]
    ledger = _parse(make_ledger(rows, top=CONSTRUCTION_TOP, bottom=None, merges=["C1:C3", "C4:C5"]))
    assert [p.construction for p in ledger.projects] == [Construction.CONTINUING] * 3 + [Construction.NEW] * 2
    assert [p.total_investment_wan for p in ledger.projects] == [
        Decimal(v) for v in ("8000.00", "6000.00", "3000.00", "2000.00", "1000.00")
    ]


@pytest.mark.parametrize("progress", ["正在平整场地", "暂停", "前期手续办理中", ""])
def test_continuing_project_is_started_whatever_its_progress_says(progress: str) -> None:
    """Issue 12.7: a 续建 project is by definition started."""
    rows = [[1, "甲项目", "续建", 8000, progress, "区发改局"]]
    ledger = _parse(make_ledger(rows, top=CONSTRUCTION_TOP, bottom=None))
    (project,) = ledger.projects
    assert (project.stage, project.stage_read) == (Stage.STARTED, True)
    assert ledger.problems == []  # no "没有从形象进度中读出所处阶段" warning


def test_a_new_project_keeps_the_stage_its_progress_says() -> None:
    rows = [[1, "甲项目", "新建", 8000, "正在洽谈", "区发改局"]]
    (project,) = _parse(make_ledger(rows, top=CONSTRUCTION_TOP, bottom=None)).projects
    assert project.stage == Stage.NEGOTIATING


@pytest.mark.parametrize(
    ("text", "blockers"),
    [
        ("用地指标未落实；资金缺口较大", ["用地指标未落实", "资金缺口较大"]),
        ("1.用地未落实。2.资金缺口3.5亿元", ["用地未落实", "资金缺口3.5亿元"]),
        ("1、环评未批复\n2、供电未接入", ["环评未批复", "供电未接入"]),
        ("（1）拆迁未完成（2）融资困难", ["拆迁未完成", "融资困难"]),
        ("①供水管网未铺设②土地未摘牌", ["供水管网未铺设", "土地未摘牌"]),
        ("无", []),
        ("暂无", []),
    ],
)
def test_blockers_split(text: str, blockers: list[str]) -> None:
    assert split_blockers(text) == blockers


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("用地指标未落实", BlockerCategory.LAND),
        ("融资困难", BlockerCategory.FUNDING),
        ("施工许可未办理", BlockerCategory.APPROVALS),
        ("供电线路未接入", BlockerCategory.UTILITIES),
        ("征收补偿未谈妥", BlockerCategory.DEMOLITION),
        ("企业负责人变更", BlockerCategory.OTHER),
    ],
)
def test_blocker_categories(text: str, category: BlockerCategory) -> None:
    assert blocker_category(text) == category


_PIECE = st.text(alphabet="用地资金审批供电拆迁企业项目推进缓慢未落实", min_size=1, max_size=12)


@given(st.lists(_PIECE, min_size=1, max_size=6))
def test_blockers_joined_by_semicolons_come_back(pieces: list[str]) -> None:
    assert split_blockers("；".join(pieces)) == pieces


@given(st.lists(_PIECE, min_size=1, max_size=6))
def test_numbered_blockers_come_back(pieces: list[str]) -> None:
    text = "".join(f"{n}.{piece}" for n, piece in enumerate(pieces, start=1))
    assert split_blockers(text) == pieces


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=999, places=2),
            st.decimals(min_value=0, max_value=99999, places=2),
            st.sampled_from(["进展顺利", "已开工", "主体封顶", "竣工投产", "前期"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_ledger_reads_back(rows: list[tuple[Decimal, Decimal, str]]) -> None:
    data = make_ledger(
        [
            project_row(
                序号=n,
                项目名称=f"项目{n}",
                形象进度=prose,
                **{"总投资（亿元）": float(yi), "计划投资": float(wan)},
            )
            for n, (yi, wan, prose) in enumerate(rows, start=1)
        ]
    )
    ledger = _parse(data)
    assert [p.total_investment_wan for p in ledger.projects] == [
        (yi * 10000).quantize(Decimal("0.01")) for yi, *_ in rows
    ]
    assert [p.annual_plan_wan for p in ledger.projects] == [wan for _yi, wan, _p in rows]


@pytest.mark.parametrize(
    ("heading", "month"),
    [("1-10月完成", 10), ("1—9月完成投资", 9), ("截至11月底完成投资", 11), ("累计完成投资", None)],
)
def test_the_month_of_the_completion_heading(heading: str, month: int | None) -> None:
    top = ["序号", "项目名称", "2026年投资（万元）", None]
    bottom = [None, None, "年度计划", heading]
    ledger = _parse(make_ledger([[1, "甲项目", 100, 50]], top=top, bottom=bottom))
    assert ledger.completed_month == month
    (project,) = ledger.projects
    assert (project.annual_plan_wan, project.completed_wan) == (Decimal("100.00"), Decimal("50.00"))
