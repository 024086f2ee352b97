"""The reading side's shared pieces that no single import shows on its own: merged-cell anchors, header cells
spread over a merge, the preview form's unit answers, and the JSON shape of problems."""

from luoshi.sheets.grid import Grid, column_letter
from luoshi.sheets.header import header_values
from luoshi.sheets.preview import answers_from
from luoshi.sheets.problems import error, problems_json, warning


def _grid() -> Grid:
    rows: list[list[object]] = [
        ["序号", "投资（万元）", None],
        [None, "计划", "完成"],
        [1, "甲", 2],
        [None, None, 3],
    ]
    return Grid(rows=rows, merges=[(0, 0, 1, 0), (0, 1, 0, 2), (2, 1, 3, 1)], column_name=column_letter)


def test_anchors_cover_only_cells_below_the_given_row() -> None:
    assert _grid().anchors(below=1) == {(2, 1): (2, 1), (3, 1): (2, 1)}


def test_header_cells_are_read_as_if_each_covered_cell_held_the_merged_label() -> None:
    value = header_values(_grid())
    assert [value(0, c) for c in range(3)] == ["序号", "投资（万元）", "投资（万元）"]
    assert value(1, 0) == "序号" and value(1, 2) == "完成"


def test_unit_answers_pair_each_name_with_the_answer_under_the_same_suffix() -> None:
    posted = {"unitname-1": "区科技局", "unit-1": "map:7", "unitname-2": "区财政局", "commit": "1"}
    assert answers_from(posted) == {"区科技局": "map:7", "区财政局": ""}


def test_problems_keep_the_json_contract_keys_in_order() -> None:
    found = problems_json([error("坏", 3, "B"), warning("提示")])
    assert found == [
        {"row": 3, "column": "B", "severity": "error", "message": "坏"},
        {"row": None, "column": None, "severity": "warning", "message": "提示"},
    ]
    assert list(found[0]) == ["row", "column", "severity", "message"]
