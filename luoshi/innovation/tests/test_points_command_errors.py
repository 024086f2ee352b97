"""`luoshi points` refuses bad data and bad frameworks: non-zero exit, no output file, and with --json the
errors at the spreadsheet's own row numbers, in Chinese; framework errors name the TOML table and key."""

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from luoshi.innovation.tests.conftest import COLUMNS, HEADER, Run, credit_code, row, small_framework


def _one(errors: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(errors) == 1, errors
    return errors[0]


def test_bad_check_digit_at_its_row_below_title_rows(run: Run) -> None:
    bad = row(2)
    bad[0] = credit_code(2)[:-1] + ("0" if credit_code(2)[-1] != "0" else "1")
    found = _one(run.errors(run.data([row(1), bad], above=2), run.framework(small_framework())))
    assert (found["row"], found["column"], found["severity"]) == (5, "统一社会信用代码", "error")
    assert "校验位" in found["message"]


@pytest.mark.parametrize(
    ("code", "words"),
    [("9137020012345", "18位"), ("91370200ABCDEFGHIO", "不是有效"), ("", "为空")],
)
def test_malformed_codes(run: Run, code: str, words: str) -> None:
    bad = row(1)
    bad[0] = code
    assert words in _one(run.errors(run.data([bad]), run.framework(small_framework())))["message"]


def test_duplicate_code_names_the_first_row(run: Run) -> None:
    found = _one(run.errors(run.data([row(1), row(2), row(1)]), run.framework(small_framework())))
    assert found["row"] == 4 and "第2行" in found["message"]


@pytest.mark.parametrize("text", ["2020-13-01", "去年", "2020/02/30"])
def test_unreadable_founding_date(run: Run, text: str) -> None:
    found = _one(run.errors(run.data([row(1, founded=text)]), run.framework(small_framework())))
    assert (found["row"], found["column"]) == (2, "成立日期") and text in found["message"]


def test_text_in_a_number_column_every_cell_reported(run: Run) -> None:
    rows = [
        row(1, 研发费用="约100"),
        row(2, 营业收入_上年="nan"),
        row(3, 研发费用="1,200.5", 研发人员占比="12%"),
    ]
    errors = run.errors(run.data(rows), run.framework(small_framework()))
    assert [(e["row"], e["column"]) for e in errors] == [(2, "研发费用"), (3, "营业收入_上年")]
    assert "“约100”不是数字" in errors[0]["message"] and "D列" in errors[0]["message"]


def test_unrecognised_veto_text(run: Run) -> None:
    found = _one(run.errors(run.data([row(1, 严重失信="待查")]), run.framework(small_framework())))
    assert found["column"] == "严重失信" and "待查" in found["message"]


def test_missing_column_at_the_header_row(run: Run) -> None:
    header = HEADER + [c for c in COLUMNS if c != "发明专利"]
    rows = [[v for k, v in zip(HEADER + COLUMNS, row(1), strict=True) if k != "发明专利"]]
    found = _one(run.errors(run.data(rows, header=header, above=1), run.framework(small_framework())))
    assert (found["row"], found["column"]) == (2, "发明专利") and "缺少" in found["message"]


def test_no_header_row(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("企业,代码\n甲,1\n", encoding="utf-8")
    found = _one(run.errors(path, run.framework(small_framework())))
    assert found["row"] is None and "统一社会信用代码" in found["message"]


def test_a_credit_code_that_excel_turned_into_a_number(run: Run, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(HEADER + COLUMNS)
    book.active.append([9.13702001234568e17, "企业", "2020-01-01"])
    path = tmp_path / "x.xlsx"
    book.save(path)
    found = _one(run.errors(path, run.framework(small_framework())))
    assert found["row"] == 2 and "文本" in found["message"]


def test_not_a_spreadsheet(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "Workbook".encode("utf-16-le"))
    assert "xlsx" in _one(run.errors(path, run.framework(small_framework())))["message"]


def _framework_error(run: Run, spec: dict[str, Any] | str) -> list[dict[str, Any]]:
    return run.errors(run.data([row(1)]), run.framework(spec))


def test_stage_weights_that_do_not_add_up(run: Run) -> None:
    spec = small_framework()
    spec["indicator"][0]["weights"]["old"] = 25
    found = _one(_framework_error(run, spec))
    assert found["row"] is None and found["column"] == "[[indicator]] weights.old"
    assert "105" in found["message"] and "core_points" in found["message"]


def test_unknown_method(run: Run) -> None:
    spec = small_framework()
    spec["indicator"][1]["method"] = "zscore"
    found = _one(_framework_error(run, spec))
    assert found["column"] == "[[indicator]] staff.method" and "zscore" in found["message"]


def test_unknown_stage_in_weights(run: Run) -> None:
    spec = small_framework()
    spec["indicator"][0]["weights"] = {"young": 40, "middle": 20}
    errors = _framework_error(run, spec)
    assert errors[0]["column"] == "[[indicator]] rd.weights" and "middle" in errors[0]["message"]


@pytest.mark.parametrize(
    ("change", "column"),
    [
        (lambda s: s["stage"][0].pop("max_age"), "[[stage]] young.max_age"),
        (lambda s: s["indicator"][0].pop("ref"), "[[indicator]] rd.ref"),
        (lambda s: s["indicator"][1].update(low=1, high=0), "[[indicator]] staff.high"),
        (lambda s: s["indicator"][2].update(scores=[0, 1]), "[[indicator]] intensity.scores"),
        (lambda s: s["indicator"][2].update(cuts=[0.03, 0.01]), "[[indicator]] intensity.cuts"),
        (lambda s: s["bonus"][0].pop("points"), "[[bonus]] pct.points"),
        (lambda s: s["penalty"][1].pop("max"), "[[penalty]] fines.max"),
        (lambda s: s["framework"].pop("core_points"), "[framework] core_points"),
        (lambda s: s["tiers"].update(method="quartile"), "[tiers] method"),
        (lambda s: s["tiers"].update(A=0.6, B=0.5), "[tiers] A"),
        (lambda s: s["bonus"][0].update(code="rd"), "rd.code"),
    ],
)
def test_framework_problems_name_table_and_key(run: Run, change: Any, column: str) -> None:
    spec = small_framework()
    change(spec)
    errors = _framework_error(run, spec)
    assert column in [e["column"] for e in errors]
    assert all(e["row"] is None and e["message"].startswith(e["column"]) for e in errors)


def test_toml_syntax_error(run: Run) -> None:
    found = _one(_framework_error(run, "[framework\nname = 1"))
    assert found["column"] == "TOML" and "TOML 格式错误" in found["message"]


def test_text_output_names_row_and_problem(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command(
            "points", "--data", str(run.data([row(1, 研发费用="x")])), "--framework",
            str(run.framework(small_framework())), "--year", "2025", "--out", str(run.out),
        )  # fmt: skip
    assert "第2行 D列“研发费用”：“x”不是数字" in capsys.readouterr().err
