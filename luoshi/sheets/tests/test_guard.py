"""Issue defect 4 (zip bombs and huge workbooks): the upload limit applied to the compressed file only. Every
.xlsx and .docx is now checked from the archive's directory before any parser opens it, and every import caps
its rows and columns with a message naming the limit."""

import zipfile
from io import BytesIO

import pytest
from pytest_django import Settings

from luoshi.plans.parsing import parse_plan_file
from luoshi.plans.tests.workbooks import FLAT_HEADER, make_docx, make_xlsx, sample_xlsx
from luoshi.projects.ledger import parse_ledger
from luoshi.projects.tests.workbooks import make_ledger, sample_ledger
from luoshi.sheets.guard import MAX_ROWS, UploadRefused, check_upload
from luoshi.sheets.tests.archives import bomb, many_rows, plan_row

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def xlsx_bomb() -> bytes:
    """The issue's file: about 300 KB that expands to 300 MB (a sheet padded with one repeated byte)."""
    return bomb(make_xlsx([FLAT_HEADER, [1, "任务甲", "区科技局", None, "年底前", None]]), SHEET, 300 << 20)


def _refusal(data: bytes) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_upload(data)
    return refused.value.message


def test_a_300_kb_workbook_expanding_to_300_mb_is_refused_before_parsing(xlsx_bomb: bytes) -> None:
    assert len(xlsx_bomb) < 400_000
    assert "压缩比为 1026 倍，超过 100 倍的上限" in _refusal(xlsx_bomb)
    plan = parse_plan_file(xlsx_bomb, "计划.xlsx", 2026)
    assert not plan.nodes and "超过 100 倍的上限" in plan.problems[0].message
    assert "超过 100 倍的上限" in parse_ledger(xlsx_bomb, "台账.xlsx").problems[0].message


def test_what_a_file_expands_to_is_limited(settings: Settings) -> None:
    settings.LUOSHI_MAX_UNZIPPED_BYTES = 2 << 20
    data = _stored(bomb(sample_xlsx(), SHEET, 3 << 20))  # stored: a ratio of one, only the size counts
    assert "解压后有 3 MB，超过 2 MB 的上限" in _refusal(data)


def test_a_part_read_whole_is_limited() -> None:
    data = _stored(bomb(make_docx(["一、任务甲"]), "word/document.xml", 17 << 20))
    assert "“word/document.xml”解压后有 17 MB，超过 16 MB 的上限" in _refusal(data)


def test_thousands_of_members_or_a_name_climbing_out_are_refused() -> None:
    assert "超过 2000 个的上限" in _refusal(_with_members(sample_xlsx(), [f"x/{n}" for n in range(2001)]))
    assert "不安全的部件名“../../etc/cron.d/x”" in _refusal(
        _with_members(sample_xlsx(), ["../../etc/cron.d/x"])
    )


def test_ordinary_files_pass() -> None:
    assert check_upload(sample_xlsx()) == "xlsx"
    assert check_upload(make_docx(["一、任务甲"])) == "docx"
    assert check_upload("一、任务甲".encode()) == "text"


@pytest.mark.parametrize("dimension", [True, False])
def test_rows_past_the_cap_are_refused_with_the_limit_named(dimension: bool) -> None:
    """The cap is counted while reading: a declared dimension that is wrong changes nothing."""
    table = make_xlsx([FLAT_HEADER, [1, "任务甲", "区科技局", None, "年底前", None]])
    data = many_rows(table, 3, MAX_ROWS, plan_row, dimension=dimension)
    plan = parse_plan_file(data, "计划.xlsx", 2026)
    if dimension:  # openpyxl reads no further than the declared dimension: those rows are never read
        assert [p.message for p in plan.problems] == ["文件超过 50,000 行的导入上限，请拆分后分批导入"]
    ledger = parse_ledger(
        many_rows(sample_ledger(), 40, MAX_ROWS, plan_row, dimension=dimension), "台账.xlsx"
    )
    assert [p.message for p in ledger.problems] == ["文件超过 50,000 行的导入上限，请拆分后分批导入"]


def test_columns_past_the_cap_are_refused() -> None:
    plan = parse_plan_file(make_xlsx([[*FLAT_HEADER, *[None] * 200, "多余"]]), "计划.xlsx", 2026)
    assert [p.message for p in plan.problems] == ["第1行超过 200 列的导入上限，请删除无关的列后重新导入"]


def test_a_text_plan_past_the_cap_is_refused() -> None:
    text = "\n".join(f"{n}. 任务{n}" for n in range(1, MAX_ROWS + 2))
    plan = parse_plan_file(text.encode(), "计划.txt", 2026)
    assert [p.message for p in plan.problems] == ["文件超过 50,000 行的导入上限，请拆分后分批导入"]


def _stored(data: bytes) -> bytes:
    """The same archive without compression: sizes past the limits, ratios of one."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def _with_members(data: bytes, names: list[str]) -> bytes:
    out = BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        for name in names:
            archive.writestr(name, b"")
    return out.getvalue()


def test_ledger_columns_past_the_cap_are_refused() -> None:
    ledger = parse_ledger(make_ledger([["项目甲", 1, *[None] * 300, "多余"]]), "台账.xlsx")
    assert "超过 200 列的导入上限" in ledger.problems[0].message


def test_a_parse_that_runs_past_its_time_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from luoshi.sheets import guard

    monkeypatch.setattr(guard, "PARSE_SECONDS", -1.0)
    rows = ([i] for i in range(5000))
    with pytest.raises(guard.UploadRefused, match="读取超过"):
        list(guard.capped(rows))
