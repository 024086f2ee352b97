"""Build key-project ledgers in memory as offices keep them: a merged title row, a two-row header with a merged
group heading over "计划投资 | 1-10月完成", 亿元 and 万元 columns side by side, dates written three ways, progress
as prose, blockers as prose, a section row, sub-projects and a 合计 row.

    make_ledger(SAMPLE_ROWS)  # the sample below
    make_ledger([project_row(name="某项目", total=3)])  # one row under the standard header"""

from collections.abc import Iterable, Sequence
from datetime import date
from io import BytesIO

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

TITLE = "甲高新区2026年重点项目台账"
# Two header rows: every column merged down over both except the group heading's two columns.
HEADER_TOP = [
    "序号",
    "项目名称",
    "建设单位",
    "统一社会信用代码",
    "建设内容及规模",
    "所在园区",
    "总投资（亿元）",
    "2026年投资（万元）",
    None,
    "计划开工时间",
    "计划竣工时间",
    "形象进度",
    "存在问题",
    "责任单位",
    "包抓领导",
    "经度",
    "纬度",
]
HEADER_BOTTOM = [None] * 7 + ["计划投资", "1-10月完成"] + [None] * 8
COLUMNS = {name: i for i, name in enumerate(HEADER_TOP) if name} | {"计划投资": 7, "1-10月完成": 8}
GOOD_USCC = "91350100M000100Y43"

SAMPLE_ROWS: list[list[object]] = [
    [
        "一、先进制造业项目",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    [
        1,
        "智能装备产业园",
        "青岛智造科技有限公司",
        GOOD_USCC,
        "新建厂房12万平方米",
        "东区",
        5,
        6000,
        4500,
        "2025.03",
        "2026年12月",
        "主体封顶，设备进场调试",
        "用地指标未落实；配套资金缺口2000万元",
        "区科技局",
        "王副区长",
        120.41,
        36.32,
    ],
    [
        2,
        "新能源电池项目",
        "青岛储能有限公司",
        None,
        "年产5GWh电池",
        "东区",
        12.5,
        30000,
        28000,
        date(2024, 6, 1),
        "2026-03",
        "竣工投产",
        "无",
        "区发展和改革局",
        "李副区长",
        None,
        None,
    ],
    [
        "二、基础设施项目",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    [
        3,
        "科创中心",
        "区城投集团",
        None,
        "建设科创楼宇及配套",
        None,
        20,
        10000,
        2000,
        "2026年3月",
        "2028.12",
        "前期手续办理中",
        "1.施工许可未办理 2.供电线路未接入",
        "区发展和改革局",
        "李副区长",
        None,
        None,
    ],
    [
        "3.1",
        "科创中心一期",
        "区城投集团",
        None,
        None,
        None,
        8,
        6000,
        1500,
        "2026.03",
        "2027.06",
        "已开工建设，计划年底封顶",
        None,
        "区发展和改革局",
        "李副区长",
        None,
        None,
    ],
    [
        "合计",
        None,
        None,
        None,
        None,
        None,
        45.5,
        46000,
        36000,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ],
]


def make_ledger(
    rows: Sequence[Sequence[object]],
    *,
    title: str | None = TITLE,
    top: Sequence[object] = HEADER_TOP,
    bottom: Sequence[object] | None = HEADER_BOTTOM,
    merges: Iterable[str] = (),
) -> bytes:
    """A workbook with `title` merged over the header, the header (two rows when `bottom` is given, with
    single-row columns merged down and the group heading merged across), then `rows`. `merges` refer to the
    data rows as if they started at row 1."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "重点项目"
    width = len(top)
    offset = 0
    if title is not None:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        offset = 1
    ws.append(list(top))
    header_rows = 1
    if bottom is not None:
        ws.append(list(bottom))
        header_rows = 2
        row = offset + 1
        c = 0
        while c < width:
            if bottom[c] is None:
                ws.merge_cells(start_row=row, start_column=c + 1, end_row=row + 1, end_column=c + 1)
                c += 1
            else:  # a group heading over the run of sub-headings that starts here
                end = c
                while end + 1 < width and bottom[end + 1] is not None and top[end + 1] is None:
                    end += 1
                ws.merge_cells(start_row=row, start_column=c + 1, end_row=row, end_column=end + 1)
                c = end + 1
    for data in rows:
        ws.append(list(data))
    shift = offset + header_rows
    for ref in merges:
        ws.merge_cells(_shift(ref, shift))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _shift(ref: str, by: int) -> str:
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return f"{get_column_letter(min_col)}{min_row + by}:{get_column_letter(max_col)}{max_row + by}"


def sample_ledger() -> bytes:
    """The sample with its section rows merged across the table, as offices format them."""
    return make_ledger(SAMPLE_ROWS, merges=["A1:Q1", "A4:Q4"])


def project_row(**values: object) -> list[object]:
    """One data row for the standard header: keys are header names ("项目名称", "1-10月完成", …)."""
    row: list[object] = [None] * len(HEADER_TOP)
    for name, value in values.items():
        row[COLUMNS[name]] = value
    return row


def big_ledger(n: int) -> bytes:
    """`n` projects, every tenth with two sub-projects, for timing."""
    rows: list[list[object]] = []
    major = 0
    for i in range(n):
        if i % 10 in (1, 2):
            seq: object = f"{major}.{i % 10}"
        else:
            major += 1
            seq = major
        rows.append(
            [
                seq,
                f"第{i + 1}号重点项目",
                f"青岛第{i + 1}号科技有限公司",
                GOOD_USCC,
                "新建厂房及配套设施",
                "东区",
                round(1 + (i % 50) / 10, 2),
                1000 + i % 700,
                300 + i % 500,
                f"2026.{i % 12 + 1:02d}",
                "2027年12月",
                ("前期手续办理中", "已开工建设", "主体封顶，设备进场调试", "竣工投产")[i % 4],
                "用地指标未落实；资金缺口较大" if i % 3 == 0 else None,
                ("区科技创新局", "区发展和改革局")[i % 2],
                "王副区长",
                120.4,
                36.3,
            ]
        )
    return make_ledger(rows)
