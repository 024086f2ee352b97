"""`luoshi points --data --framework --year --out [--json]`: the scoring contract of issue 15, held to a second,
plain implementation of its text (reference.py) on the sample and on data made here."""

import csv
import json
import tomllib
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from luoshi.innovation.results import COLUMNS
from luoshi.innovation.tests import reference
from luoshi.innovation.tests.conftest import (
    COLUMNS as DATA_COLUMNS,
)
from luoshi.innovation.tests.conftest import (
    HEADER,
    SAMPLE_DATA,
    SAMPLE_FRAMEWORK,
    Run,
    credit_code,
    row,
    small_framework,
)


def _matches(found: list[dict[str, str]], expected: list[dict[str, Any]]) -> None:
    """Every row equal to the reference's, to the four decimals printed, in rank order, vetoed last."""
    by_code = {r["credit_code"]: r for r in expected}
    assert len(found) == len(expected)
    for line in found:
        want = by_code[line["credit_code"]]
        assert line["name"] == want["name"] and line["stage"] == want["stage"]
        for key in ("core", "bonus", "penalty", "points"):
            assert line[key] == f"{want[key]:.4f}", (line["credit_code"], key)
        assert line["rank"] == ("" if want["rank"] is None else str(want["rank"]))
        assert line["stage_rank"] == ("" if want["stage_rank"] is None else str(want["stage_rank"]))
        assert (line["tier"], line["missing"]) == (want["tier"], want["missing"])
    keys = [(int(r["rank"]) if r["rank"] else 10**9) for r in found]
    assert keys == sorted(keys)


def test_the_sample_scores_as_the_contract_says(run: Run) -> None:
    found = run(SAMPLE_DATA, SAMPLE_FRAMEWORK)
    with open(run.out, encoding="utf-8") as f:
        assert f.readline().strip() == ",".join(COLUMNS)
    framework = tomllib.loads(SAMPLE_FRAMEWORK.read_text(encoding="utf-8"))
    _matches(found, reference.score(framework, reference.read_csv(str(SAMPLE_DATA), framework), 2025))
    assert [r["tier"] for r in found[-2:]] == ["ineligible", "ineligible"]
    assert {r["stage"] for r in found} == {"startup", "growth", "stable"}


def test_json_summary_on_success(run: Run) -> None:
    out = StringIO()
    call_command(
        "points", "--data", str(SAMPLE_DATA), "--framework", str(SAMPLE_FRAMEWORK), "--year", "2025",
        "--out", str(run.out), "--json", stdout=out,
    )  # fmt: skip
    summary = json.loads(out.getvalue())
    assert summary["errors"] == [] and summary["enterprises"] == 120 and summary["vetoed"] == 2
    assert sum(summary["stages"].values()) == 120 and summary["tiers"]["ineligible"] == 2


def test_each_method_and_growth_rule(run: Run) -> None:
    rows = [
        # capped ratio over the reference, staff at the upper goalpost, intensity on a cut, growth from 0 to more
        row(1, 研发费用=150, 研发人员占比=0.3, 研发投入强度=0.03, 发明专利=5, 营业收入=10, 营业收入_上年=0),
        # negative R&D counts as 0; under the low goalpost; below the first cut; growth capped at 2
        row(
            2, 研发费用=-5, 研发人员占比=0.05, 研发投入强度=0.001, 发明专利=5, 营业收入=900, 营业收入_上年=100
        ),
        # growth from a negative base to a negative value: 0; nothing else reported
        row(3, 营业收入=-1, 营业收入_上年=-3),
        # previous year not reported: growth not reported; half-way goalposts; between the cuts
        row(4, 研发费用=50, 研发人员占比=0.2, 研发投入强度=0.02, 发明专利=1, 营业收入=10),
    ]
    found = {r["credit_code"]: r for r in run(run.data(rows), run.framework(small_framework()))}
    first, second, third, fourth = (found[credit_code(n)] for n in (1, 2, 3, 4))
    # 40·1 + 20·1 + 20·1 + 10·(patents 5 ties 5: rank 2.5 of 3 → 0.75) + 10·1
    assert first["core"] == "97.5000"
    assert second["core"] == f"{0 + 0 + 0 + 7.5 + 10:.4f}"
    assert third["core"] == "0.0000" and third["missing"] == "rd;staff;intensity;patents;pct"
    assert fourth["core"] == f"{20 + 10 + 10 + 0:.4f}" and fourth["missing"] == "growth;pct"


def test_prank_ranks_within_the_stage_and_one_alone_gets_full_marks(run: Run) -> None:
    rows = [row(1, founded="2024-01-01", 发明专利=1), row(2, founded="2010-01-01", 发明专利=9)]
    rows.append(row(3, founded="2011-01-01", 发明专利=3))
    found = {r["credit_code"]: r for r in run(run.data(rows), run.framework(small_framework()))}
    assert found[credit_code(1)]["stage"] == "young" and found[credit_code(1)]["core"] == "10.0000"
    assert found[credit_code(2)]["core"] == "20.0000" and found[credit_code(3)]["core"] == "0.0000"


def test_stage_by_age_at_the_boundary(run: Run) -> None:
    rows = [row(1, founded="2022-12-31"), row(2, founded="2021-01-01"), row(3, founded="2026-02-01")]
    found = {r["credit_code"]: r["stage"] for r in run(run.data(rows), run.framework(small_framework()))}
    assert found == {credit_code(1): "young", credit_code(2): "old", credit_code(3): "young"}


def test_bonus_cap_penalty_cap_and_floor_at_zero(run: Run) -> None:
    rows = [row(1, PCT=4, 处罚次数=1), row(2, 处罚次数=3), row(3, 处罚次数=-2, 研发费用=10)]
    found = {r["credit_code"]: r for r in run(run.data(rows), run.framework(small_framework()))}
    assert (found[credit_code(1)]["bonus"], found[credit_code(1)]["penalty"]) == ("10.0000", "5.0000")
    assert found[credit_code(1)]["points"] == "5.0000"
    assert (found[credit_code(2)]["penalty"], found[credit_code(2)]["points"]) == ("8.0000", "0.0000")
    assert (found[credit_code(3)]["penalty"], found[credit_code(3)]["points"]) == ("0.0000", "4.0000")


@pytest.mark.parametrize("text", ["是", "1", "Y", "yes", "TRUE", "有"])
def test_veto_scores_zero_ranks_nothing_and_comes_last(run: Run, text: str) -> None:
    rows = [row(1, 严重失信=text, 研发费用=100), row(2, 研发费用=10), row(3, 研发费用=20)]
    found = run(run.data(rows), run.framework(small_framework()))
    assert [r["credit_code"] for r in found] == [credit_code(3), credit_code(2), credit_code(1)]
    assert (found[-1]["points"], found[-1]["rank"], found[-1]["stage_rank"], found[-1]["tier"]) == (
        "0.0000",
        "",
        "",
        "ineligible",
    )
    assert found[-1]["core"] == "40.0000"


def test_ties_share_a_competition_rank_and_percentile_tiers(run: Run) -> None:
    amounts = [100, 50, 50, 10, 5, 1, 1, 0]
    rows = [row(n, 研发费用=a) for n, a in enumerate(amounts)]
    found = run(run.data(rows), run.framework(small_framework()))
    assert [r["rank"] for r in found] == ["1", "2", "2", "4", "5", "6", "6", "8"]
    # share = stage rank / 8: 0.125 A, 0.25 A, 0.25 A, 0.5 B, 0.625 C, 0.75 C, 0.75 C, 1 D
    assert [r["tier"] for r in found] == ["A", "A", "A", "B", "C", "C", "C", "D"]


def test_score_tiers(run: Run) -> None:
    spec = small_framework()
    spec["tiers"] = {"method": "score", "A": 40, "B": 20, "C": 4}
    rows = [row(n, 研发费用=a) for n, a in enumerate([100, 50, 10, 9])]
    assert [r["tier"] for r in run(run.data(rows), run.framework(spec))] == ["A", "B", "C", "D"]


def test_title_rows_and_an_xlsx_with_dates_and_numbers(run: Run, tmp_path: Path) -> None:
    rows = [row(1, 研发费用=80, 发明专利=2), row(2, founded="2010-03-04", 研发费用=20.5, 严重失信="否")]
    from_csv = run(run.data(rows), run.framework(small_framework()))
    book = Workbook()
    sheet = book.active
    sheet.append(["2025年企业创新积分数据（税务局）"])
    sheet.merge_cells("A1:F1")
    sheet.append(["填报单位：科技局", None, None, "单位：万元"])
    sheet.append(HEADER + DATA_COLUMNS)
    for cells in rows:
        values: list[object] = [cells[0], cells[1], datetime.fromisoformat(str(cells[2]))]
        values += [float(v) if isinstance(v, int | float) else v for v in cells[3:]]
        sheet.append([None if v == "" else v for v in values])
    path = tmp_path / "data.xlsx"
    book.save(path)
    run.out.unlink()
    assert run(path, run.framework(small_framework())) == from_csv


def test_a_gbk_csv_from_excel(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    text = ",".join(HEADER + DATA_COLUMNS) + "\n" + ",".join(str(v) for v in row(1, 研发费用=10)) + "\n"
    path.write_bytes(text.encode("gb18030"))
    assert run(path, run.framework(small_framework()))[0]["name"] == "企业001"


_value = st.one_of(
    st.none(), st.sampled_from([0, 1, 5]), st.floats(-10, 300, allow_nan=False).map(lambda x: round(x, 2))
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(st.tuples(st.integers(2010, 2025), st.lists(_value, min_size=7, max_size=7), st.booleans(),
                            st.sampled_from(["", "0", "1", "3"])), min_size=1, max_size=25),
    percentile=st.booleans(),
)  # fmt: skip
def test_random_data_agree_with_the_reference(run: Run, data: list[Any], percentile: bool) -> None:
    spec = small_framework()
    if not percentile:
        spec["tiers"] = {"method": "score", "A": 60, "B": 30, "C": 10}
    rows = []
    for n, (year, values, veto, fines) in enumerate(data):
        cells = dict(zip(DATA_COLUMNS[:7], ["" if v is None else v for v in values], strict=True))
        rows.append(row(n, founded=f"{year}-06-30", **cells, 严重失信="是" if veto else "否", 处罚次数=fines))
    path = run.data(rows)
    _matches(run(path, run.framework(spec)), reference.score(spec, reference.read_csv(str(path), spec), 2025))


def test_output_is_plain_utf8_csv(run: Run) -> None:
    run(run.data([row(1, 研发费用=1)]), run.framework(small_framework()))
    raw = run.out.read_bytes()
    assert raw.startswith(b"credit_code,") and "企业001".encode() in raw
    assert next(csv.reader(StringIO(raw.decode()))) == list(COLUMNS)


def test_columns_that_differ_only_by_a_note_in_brackets(run: Run, tmp_path: Path) -> None:
    """营业收入 and 营业收入（上年） are two columns, each read as the framework names it."""
    spec = small_framework()
    spec["indicator"][4]["column"] = "营业收入（本年）"
    spec["indicator"][4]["previous"] = "营业收入（上年）"
    header = HEADER + [
        c.replace("营业收入_上年", "营业收入（上年）").replace("营业收入", "营业收入（本年）", 1)
        if c == "营业收入"
        else c.replace("营业收入_上年", "营业收入（上年）")
        for c in DATA_COLUMNS
    ]
    rows = [row(1, 营业收入=150, 营业收入_上年=100)]
    found = run(run.data(rows, header=header), run.framework(spec))
    assert found[0]["core"] == f"{10 * 1.0:.4f}"  # growth 50 % ≥ the upper goalpost: full marks
