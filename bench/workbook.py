"""A realistic task decomposition list of any size, for the benchmarks."""

from io import BytesIO

from openpyxl import Workbook

from luoshi.lib.numbering import int_to_chinese

UNITS = [
    "区科技创新局",
    "区发展和改革局",
    "区财政局",
    "区工业和信息化局",
    "区商务局",
    "区人力资源和社会保障局",
]
DUES = ["6月底前", "年底前", "第三季度", "2026年11月30日", "持续推进", "上半年"]


def task_list(rows: int, per_task: int = 25) -> bytes:
    """`rows` measure rows under merged task cells, with a merged title row above the header."""
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年重点工作任务分解表（基准测试）"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限", "工作目标"])
    r = 3
    task = 0
    for i in range(rows):
        if i % per_task == 0:
            task += 1
            start = r
        ws.append(
            [
                i + 1,
                f"{int_to_chinese(task)}、重点任务{task}" if i % per_task == 0 else None,
                f"{i % per_task + 1}.具体措施{i + 1}，推进相关工作落实落地",
                UNITS[i % len(UNITS)],
                "、".join(UNITS[(i + 1) % len(UNITS) : (i + 1) % len(UNITS) + 2]),
                DUES[i % len(DUES)],
                f"新增企业{i % 50 + 1}家",
            ]
        )
        if i % per_task == per_task - 1 or i == rows - 1:
            ws.merge_cells(start_row=start, end_row=r, start_column=2, end_column=2)
        r += 1
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
