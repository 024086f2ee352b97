"""Bad inputs: each is refused with a CompositeError that says where (file row, column, code)."""

import csv
import pathlib
from collections.abc import Callable

import numpy as np
import pytest

from luoshi.composite import frame, pipeline, steps
from luoshi.composite.errors import CompositeError

# A three-level tree: T = mean(P, Q); P = mean(a, b); Q = c. "a" is divided by Pop; b is lower-is-better.
META_COLUMNS = ["Level", "iCode", "Direction", "Weight", "Denominator", "Parent", "Type", "Target"]
META = [
    ["1", "a", "1", "1", "Pop", "P", "Indicator", "10"],
    ["1", "b", "-1", "1", "", "P", "Indicator", ""],
    ["1", "c", "1", "2", "", "Q", "Indicator", "5"],
    ["2", "P", "1", "1", "", "T", "Aggregate", ""],
    ["2", "Q", "1", "1", "", "T", "Aggregate", ""],
    ["3", "T", "1", "1", "", "", "Aggregate", ""],
    ["", "Region", "", "", "", "", "Group", ""],
    ["", "Pop", "", "", "", "", "Denominator", ""],
]
DATA_COLUMNS = ["uCode", "uName", "Region", "Pop", "a", "b", "c"]
DATA = [  # not sorted by uCode: file rows 2..5
    ["DD", "Dee", "East", "10", "40", "1", "3"],
    ["BB", "Bee", "West", "20", "", "2", "4"],
    ["AA", "Ay", "West", "5", "20", "NA", "1"],
    ["CC", "Cee", "East", "10", "50", "4", "0"],
]
MINIMAL = {"normalise": {"method": "minmax"}, "aggregate": {"method": "arithmetic_mean"}}


def meta(**changes: dict[str, str]) -> list[dict[str, str]]:
    """iMeta rows as dicts; `changes` maps an iCode to the cells to change."""
    rows = [dict(zip(META_COLUMNS, r, strict=True)) for r in META]
    for row in rows:
        row.update(changes.get(row["iCode"], {}))
    return rows


def data(**changes: dict[str, str]) -> list[dict[str, str]]:
    rows = [dict(zip(DATA_COLUMNS, r, strict=True)) for r in DATA]
    for row in rows:
        row.update(changes.get(row["uCode"], {}))
    return rows


def write(path: pathlib.Path, rows: list[dict[str, str]]) -> str:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def refused(call: Callable[..., object], *args: object, **kwargs: object) -> CompositeError:
    with pytest.raises(CompositeError) as e:
        call(*args, **kwargs)
    return e.value


def where(error: CompositeError) -> tuple[int | None, str | None, str | None]:
    return error.row, error.column, error.code


# Valid input, for contrast -----------------------------------------------------------------------------------


def test_valid_files_load_sorted_by_ucode(tmp_path: pathlib.Path) -> None:
    ds, tree = frame.load(write(tmp_path / "d.csv", data()), write(tmp_path / "m.csv", meta()))
    assert ds.units == ("AA", "BB", "CC", "DD")
    assert tree.indicators == ("a", "b", "c") and tree.aggregates == ("P", "Q", "T")
    assert tree.groups == ("Region",) and tree.denominators == ("Pop",)
    assert tree.children == {"P": ("a", "b"), "Q": ("c",), "T": ("P", "Q")}
    np.testing.assert_array_equal(ds.values, [[20, np.nan, 1], [np.nan, 2, 4], [50, 4, 0], [40, 1, 3]])
    assert ds.meta["Region"] == ["West", "West", "East", "East"]
    assert ds.meta["Pop"] == [5.0, 20.0, 10.0, 10.0]
    assert tree.nodes["a"].target == 10.0 and tree.nodes["b"].target is None
    result = pipeline.run(
        ds, tree, pipeline.config({**MINIMAL, "denominate": {}, "impute": {"method": "indicator_mean"}})
    )
    assert result.imputed == 2 and result.units == ds.units


def test_na_written_by_r_means_missing_in_imeta() -> None:
    """R's write.csv writes NA for COINr's empty Parent, Denominator and Target."""
    tree = frame.hierarchy(
        meta(T={"Parent": "NA"}, b={"Denominator": "NA", "Target": "NA"}, a={"Denominator": "NA"})
    )
    assert tree.top == "T"
    assert tree.nodes["b"].denominator is None and tree.nodes["b"].target is None
    assert tree.nodes["a"].denominator is None


def test_csv_with_excel_bom(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "m.csv"
    write(path, meta())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert frame.hierarchy(frame.read_csv(path)).indicators == ("a", "b", "c")


# iData --------------------------------------------------------------------------------------------------------


def test_non_numeric_cell_names_the_file_row(tmp_path: pathlib.Path) -> None:
    tree = frame.hierarchy(meta())
    rows = frame.read_csv(write(tmp_path / "d.csv", data(BB={"b": "two"})))
    error = refused(frame.dataset, rows, tree)
    assert (error.row, error.column) == (3, "b")  # header is row 1, DD row 2, BB row 3 (before sorting)
    assert error.params["value"] == "two"
    assert "第3行" in str(error)


def test_non_finite_cell() -> None:
    error = refused(frame.dataset, data(CC={"c": "inf"}), frame.hierarchy(meta()))
    assert (error.row, error.column) == (5, "c")


def test_non_numeric_denominator() -> None:
    error = refused(frame.dataset, data(AA={"Pop": "many"}), frame.hierarchy(meta()))
    assert (error.row, error.column) == (4, "Pop")


def test_data_column_absent_from_imeta() -> None:
    rows = [{**r, "zz": "1"} for r in data()]
    assert where(refused(frame.dataset, rows, frame.hierarchy(meta()))) == (None, "zz", None)


def test_imeta_indicator_missing_from_data() -> None:
    rows = [{k: v for k, v in r.items() if k != "c"} for r in data()]
    assert where(refused(frame.dataset, rows, frame.hierarchy(meta()))) == (None, "c", None)


def test_aggregate_code_present_in_data() -> None:
    rows = [{**r, "P": "1"} for r in data()]
    assert where(refused(frame.dataset, rows, frame.hierarchy(meta()))) == (None, "P", None)


def test_duplicate_ucode() -> None:
    rows = data()
    rows.append({**rows[1], "uName": "Bee again"})  # file row 6 repeats BB of row 3
    error = refused(frame.dataset, rows, frame.hierarchy(meta()))
    assert where(error) == (6, "uCode", "BB")
    assert error.params["other"] == 3


def test_missing_ucode_column_and_empty_ucode() -> None:
    rows = [{k: v for k, v in r.items() if k != "uCode"} for r in data()]
    assert refused(frame.dataset, rows, frame.hierarchy(meta())).column == "uCode"
    assert where(refused(frame.dataset, data(CC={"uCode": " "}), frame.hierarchy(meta()))) == (
        5,
        "uCode",
        None,
    )


# iMeta --------------------------------------------------------------------------------------------------------


def test_level_gap() -> None:
    # Levels 1, 2, 4: the level-2 pillars' parent sits two levels up.
    error = refused(frame.hierarchy, meta(T={"Level": "4"}))
    assert where(error) == (5, "Parent", "P")
    assert (error.params["plevel"], error.params["want"]) == (4, 3)
    # No level 1 at all: levels 2 and 3 only.
    rows = [r for r in meta() if r["Level"] != "1"]
    error = refused(frame.hierarchy, rows)
    assert error.params["levels"] == "1"


def test_parent_not_one_level_above() -> None:
    assert where(refused(frame.hierarchy, meta(a={"Parent": "T"}))) == (2, "Parent", "a")


def test_parent_missing() -> None:
    error = refused(frame.hierarchy, meta(c={"Parent": "Nowhere"}))
    assert where(error) == (4, "Parent", "c")
    assert error.params["parent"] == "Nowhere"


def test_two_top_nodes() -> None:
    error = refused(frame.hierarchy, meta(Q={"Parent": ""}))
    assert error.params["n"] == 2
    assert set(error.params["codes"].split("、")) == {"Q", "T"}


def test_aggregate_without_children() -> None:
    rows = meta() + [dict(zip(META_COLUMNS, ["2", "R", "1", "1", "", "T", "Aggregate", ""], strict=True))]
    assert where(refused(frame.hierarchy, rows)) == (10, None, "R")


@pytest.mark.parametrize(
    ("code", "column", "value"),
    [
        ("b", "Direction", "2"),
        ("b", "Direction", ""),
        ("c", "Weight", "-1"),
        ("c", "Weight", "heavy"),
        ("a", "Level", "1.5"),
        ("a", "Level", "one"),
        ("P", "Type", "Indikator"),
    ],
)
def test_bad_metadata_cell(code: str, column: str, value: str) -> None:
    row = [r["iCode"] for r in meta()].index(code) + 2
    assert where(refused(frame.hierarchy, meta(**{code: {column: value}}))) == (row, column, code)


def test_unknown_type_names_the_kind() -> None:
    error = refused(frame.hierarchy, meta(P={"Type": "Indikator"}))
    assert error.params["kind"] == "Indikator"


def test_type_must_match_level() -> None:
    assert refused(frame.hierarchy, meta(P={"Type": "Indicator"})).code == "P"
    assert refused(frame.hierarchy, meta(a={"Type": "Aggregate"})).code == "a"


def test_duplicate_icode() -> None:
    rows = meta() + [dict(zip(META_COLUMNS, ["1", "c", "1", "1", "", "Q", "Indicator", ""], strict=True))]
    assert where(refused(frame.hierarchy, rows)) == (10, "iCode", "c")


def test_missing_metadata_column_and_undeclared_denominator() -> None:
    rows = [{k: v for k, v in r.items() if k != "Weight"} for r in meta()]
    assert refused(frame.hierarchy, rows).column == "Weight"
    error = refused(frame.hierarchy, meta(a={"Denominator": "GDP"}))
    assert (error.column, error.code, error.params["denominator"]) == ("Denominator", "a", "GDP")


def test_missing_files(tmp_path: pathlib.Path) -> None:
    error = refused(frame.read_csv, tmp_path / "none.csv")
    assert "none.csv" in error.params["path"]
    (tmp_path / "gbk.csv").write_bytes("代码\n甲\n".encode("gbk"))
    assert refused(frame.read_csv, tmp_path / "gbk.csv").params["path"].endswith("gbk.csv")


# Configuration ------------------------------------------------------------------------------------------------


def test_unknown_step_table() -> None:
    assert refused(pipeline.config, {**MINIMAL, "weigh": {}}).column == "[weigh]"


def test_unknown_method_names_the_choices() -> None:
    error = refused(pipeline.config, {**MINIMAL, "normalise": {"method": "minimax"}})
    assert error.column == "[normalise] method"
    assert all(m in str(error) for m in pipeline.NORMALISE)
    error = refused(pipeline.config, {**MINIMAL, "impute": {"method": "mean"}})
    assert error.column == "[impute] method" and "group_mean" in str(error)
    error = refused(pipeline.config, {**MINIMAL, "aggregate": {"method": "mean"}})
    assert error.column == "[aggregate] method" and "geometric_mean" in error.params["choices"]


def test_unknown_parameter() -> None:
    error = refused(pipeline.config, {**MINIMAL, "normalise": {"method": "minmax", "scale": 1}})
    assert error.column == "[normalise] scale" and error.params["key"] == "scale"
    assert refused(pipeline.config, {**MINIMAL, "screen": {"threshold": 0.9}}).column == "[screen] threshold"


def test_missing_aggregate_and_normalise() -> None:
    assert refused(pipeline.config, {"normalise": {"method": "minmax"}}).column == "[aggregate]"
    assert refused(pipeline.config, {"aggregate": {"method": "median"}}).column == "[normalise]"


def test_missing_method_parameter_and_bad_values() -> None:
    assert refused(pipeline.config, {**MINIMAL, "normalise": {"method": "goalposts", "lower": 0}}).column == (
        "[normalise] upper"
    )
    assert refused(
        pipeline.config, {**MINIMAL, "normalise": {"method": "minmax", "range": [100, 0]}}
    ).column == ("[normalise] range")
    assert refused(pipeline.config, {**MINIMAL, "screen": {"min_availability": 1.5}}).column == (
        "[screen] min_availability"
    )
    # Distance to target caps at the target or not; a number there would look like a cap it is not.
    capped = {"method": "distance_to_target", "cap": 1.5}
    assert refused(pipeline.config, {**MINIMAL, "normalise": capped}).column == "[normalise] cap"


def test_group_imputation_without_group() -> None:
    error = refused(pipeline.config, {**MINIMAL, "impute": {"method": "group_mean"}})
    assert error.column == "[impute] group"


def test_group_column_absent_from_data() -> None:
    cfg = pipeline.config({**MINIMAL, "impute": {"method": "group_mean", "group": "Continent"}})
    error = refused(
        pipeline.run, frame.dataset(data(), frame.hierarchy(meta())), frame.hierarchy(meta()), cfg
    )
    assert error.column == "Continent"


def test_all_missing_group_in_group_mean_imputation() -> None:
    tree = frame.hierarchy(meta())
    ds = frame.dataset(data(DD={"a": ""}, CC={"a": "NA"}), tree)  # East has no value of a
    cfg = pipeline.config({**MINIMAL, "impute": {"method": "group_mean", "group": "Region"}})
    error = refused(pipeline.run, ds, tree, cfg)
    assert error.code == "a" and error.params["group"] == "East"


def test_group_mean_imputation_fills_within_groups() -> None:
    tree = frame.hierarchy(meta())
    ds = frame.dataset(data(), tree)
    cfg = pipeline.config({**MINIMAL, "impute": {"method": "group_mean", "group": "Region"}})
    result = pipeline.run(ds, tree, cfg)
    imputed = result.stages["imputed"]
    assert result.imputed == 2
    assert imputed[1, 0] == 20.0  # BB (West) takes AA's a
    assert imputed[0, 1] == 2.0  # AA (West) takes BB's b


def test_screen_removing_every_unit() -> None:
    tree = frame.hierarchy(meta())
    ds = frame.dataset(data(CC={"b": ""}, DD={"c": ""}), tree)  # every unit misses one of three
    error = refused(pipeline.run, ds, tree, pipeline.config({**MINIMAL, "screen": {"min_availability": 0.9}}))
    assert error.params["t"] == 0.9
    result = pipeline.run(ds, tree, pipeline.config({**MINIMAL, "screen": {"min_availability": 0.6}}))
    assert result.removed == () and len(result.units) == 4


def test_screen_keeps_a_unit_exactly_at_the_threshold() -> None:
    x = np.ones((3, 10))
    x[1, :1] = np.nan  # availability 0.9
    x[2, :2] = np.nan  # 0.8
    assert steps.screen(x, 0.9).tolist() == [True, True, False]
    assert steps.screen(x, 0.0).all()


def test_missing_target_for_distance_to_target() -> None:
    tree = frame.hierarchy(meta(a={"Target": "100"}))  # above every a; b has none
    ds = frame.dataset(data(), tree)
    cfg = pipeline.config(
        {**MINIMAL, "impute": {"method": "indicator_mean"}, "normalise": {"method": "distance_to_target"}}
    )
    assert where(refused(pipeline.run, ds, tree, cfg)) == (None, "Target", "b")
    cfg = pipeline.config(
        {
            **MINIMAL,
            "impute": {"method": "indicator_mean"},
            "normalise": {"method": "distance_to_target", "by_indicator": {"b": {"method": "minmax"}}},
        }
    )
    assert np.isfinite(pipeline.run(ds, tree, cfg).scores).all()


def test_by_indicator_unknown_code() -> None:
    tree = frame.hierarchy(meta())
    cfg = pipeline.config(
        {**MINIMAL, "normalise": {"method": "minmax", "by_indicator": {"zz": {"method": "rank"}}}}
    )
    assert refused(pipeline.run, frame.dataset(data(), tree), tree, cfg).code == "zz"


def test_read_config(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('[normalise]\nmethod = "minmax"\nrange = [0, 10]\n[aggregate]\nmethod = "median"\n')
    cfg = pipeline.read_config(path)
    assert cfg.normalise == ("minmax", {"range": (0.0, 10.0)}) and cfg.aggregate == "median"
    path.write_text("[normalise\n")
    assert "error" in refused(pipeline.read_config, path).params
    assert "path" in refused(pipeline.read_config, tmp_path / "none.toml").params
