import csv
import pathlib
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ASEM = Path(__file__).resolve().parents[2] / "composite" / "asem"
CONFIG = """
[denominate]
[impute]
method = "group_mean"
group = "EurAsia_group"
[screen]
min_availability = 0.9
[treat]
method = "winsorise_then_log"
winmax = 5
skew_threshold = 2.0
kurtosis_threshold = 3.5
[normalise]
method = "minmax"
range = [0, 100]
[aggregate]
method = "arithmetic_mean"
"""


def run(tmp_path: Path, config: str = CONFIG, *extra: str) -> list[dict[str, str]]:
    (tmp_path / "pipeline.toml").write_text(config, encoding="utf-8")
    out = tmp_path / "results.csv"
    call_command(
        "composite",
        "--data", str(ASEM / "ASEM_iData.csv"),
        "--meta", str(ASEM / "ASEM_iMeta.csv"),
        "--config", str(tmp_path / "pipeline.toml"),
        "--out", str(out),
        *extra,
    )  # fmt: skip
    with open(out, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_reproduces_coinr_and_writes_the_contracted_columns(tmp_path: pathlib.Path) -> None:
    rows = run(tmp_path)
    assert len(rows) == 51
    aggregates = ["Index", "Conn", "Sust", "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ",
                  "Social", "SusEcFin"]  # fmt: skip
    assert list(rows[0]) == ["uCode"] + [n for c in aggregates for n in (c, f"{c}_rank")]
    top = [(r["uCode"], round(float(r["Index"]), 2)) for r in rows[:6]]
    assert top == [
        ("CHE", 68.38),
        ("NLD", 64.82),
        ("DNK", 64.80),
        ("NOR", 64.47),
        ("BEL", 63.54),
        ("SWE", 63.00),
    ]
    india = next(r for r in rows if r["uCode"] == "IND")
    assert (round(float(india["Index"]), 2), india["Index_rank"]) == (39.79, "45")
    assert [int(r["Index_rank"]) for r in rows] == list(range(1, 52))


def test_uncertainty_adds_the_rank_interval(tmp_path: pathlib.Path) -> None:
    rows = run(tmp_path, CONFIG, "--uncertainty", "200")
    assert list(rows[0])[-3:] == ["Index_rank_median", "Index_rank_q05", "Index_rank_q95"]
    for r in rows:
        assert float(r["Index_rank_q05"]) <= float(r["Index_rank_median"]) <= float(r["Index_rank_q95"])
    assert float(rows[0]["Index_rank_q05"]) == 1  # CHE is first in at least 5 % of the replications


@pytest.mark.parametrize(
    "config, message",
    [
        (CONFIG.replace('"minmax"', '"minimax"'), "“[normalise] method”列：方法“minimax”不可识别"),
        (CONFIG.replace("[aggregate]", "[agregate]"), "不认识的步骤“agregate”"),
        (CONFIG.replace("0.9", "1.5"), "“[screen] min_availability”列：应为 0.0 到 1.0 之间的数"),
        ("not = [toml", "不是有效的 TOML"),
    ],
)
def test_bad_configuration_is_named_and_nothing_written(
    tmp_path: pathlib.Path, config: str, message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        run(tmp_path, config)
    assert not (tmp_path / "results.csv").exists()


def test_bad_data_names_row_and_column(tmp_path: pathlib.Path) -> None:
    lines = (ASEM / "ASEM_iData.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("LPI")] = "abc"
    lines[3] = ",".join(cells)
    data = tmp_path / "data.csv"
    data.write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "pipeline.toml").write_text(CONFIG, encoding="utf-8")
    with pytest.raises(CommandError, match="第4行，“LPI”列：“abc”不是数字"):
        call_command(
            "composite",
            "--data", str(data),
            "--meta", str(ASEM / "ASEM_iMeta.csv"),
            "--config", str(tmp_path / "pipeline.toml"),
            "--out", str(tmp_path / "results.csv"),
        )  # fmt: skip
    assert not (tmp_path / "results.csv").exists()


def test_a_missing_file_and_a_bad_count(tmp_path: pathlib.Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        call_command(
            "composite", "--data", str(tmp_path / "none.csv"), "--meta", str(ASEM / "ASEM_iMeta.csv"),
            "--config", str(tmp_path / "none.toml"), "--out", str(tmp_path / "out.csv"),
        )  # fmt: skip
    with pytest.raises(CommandError, match="正整数"):
        run(tmp_path, CONFIG, "--uncertainty", "0")
