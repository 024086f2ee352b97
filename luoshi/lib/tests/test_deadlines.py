import calendar
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.lib.deadlines import parse_deadline

Y = 2026


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2026年12月底前", date(2026, 12, 31)),
        ("6月底前", date(Y, 6, 30)),
        ("6月底", date(Y, 6, 30)),
        ("6月", date(Y, 6, 30)),
        ("6月份", date(Y, 6, 30)),
        ("2月", date(Y, 2, 28)),
        ("年底前", date(Y, 12, 31)),
        ("年内", date(Y, 12, 31)),
        ("全年", date(Y, 12, 31)),
        ("12月底", date(Y, 12, 31)),
        ("上半年", date(Y, 6, 30)),
        ("下半年", date(Y, 12, 31)),
        ("年中", date(Y, 6, 30)),
        ("第三季度", date(Y, 9, 30)),
        ("三季度", date(Y, 9, 30)),
        ("Q3", date(Y, 9, 30)),
        ("第3季度", date(Y, 9, 30)),
        ("一季度", date(Y, 3, 31)),
        ("第二季度末", date(Y, 6, 30)),
        ("四季度", date(Y, 12, 31)),
        ("2026年11月30日", date(2026, 11, 30)),
        ("6月30日前", date(Y, 6, 30)),
        ("6月30号", date(Y, 6, 30)),
        ("6月上旬", date(Y, 6, 10)),
        ("6月中旬", date(Y, 6, 20)),
        ("6月下旬", date(Y, 6, 30)),
        ("2026.6", date(2026, 6, 30)),
        ("2026.06.30", date(2026, 6, 30)),
        ("2026-06-30", date(2026, 6, 30)),
        ("2026/6/30", date(2026, 6, 30)),
        ("3月—6月", date(Y, 6, 30)),
        ("3-6月", date(Y, 6, 30)),
        ("2026年3月至12月底", date(2026, 12, 31)),
        ("2027年3月底前", date(2027, 3, 31)),
        ("2027年底前", date(2027, 12, 31)),
        ("十二月底前", date(Y, 12, 31)),
        ("二〇二六年六月底", date(2026, 6, 30)),
        ("２０２６年６月３０日", date(2026, 6, 30)),
        (" 6 月 底 前 ", date(Y, 6, 30)),
        ("2026年", date(2026, 12, 31)),
    ],
)
def test_deadline_texts(text: str, due: date) -> None:
    deadline = parse_deadline(text, Y)
    assert (deadline.due, deadline.error, deadline.warning, deadline.open_ended) == (due, None, None, False)
    assert deadline.text == text.strip()


def test_plan_year_is_used() -> None:
    assert parse_deadline("6月底前", 2030).due == date(2030, 6, 30)


def test_year_carries_into_a_range() -> None:
    assert parse_deadline("2027年3月至6月", Y).due == date(2027, 6, 30)


def test_milestones() -> None:
    deadline = parse_deadline("6月底前完成设计，12月底前建成投用", Y)
    assert deadline.due == date(Y, 12, 31)
    assert deadline.milestones == [("完成设计", date(Y, 6, 30)), ("建成投用", date(Y, 12, 31))]


def test_milestone_label_before_the_date() -> None:
    deadline = parse_deadline("完成设计：6月底前；建成投用：12月底前", Y)
    assert deadline.milestones == [("完成设计", date(Y, 6, 30)), ("建成投用", date(Y, 12, 31))]


@pytest.mark.parametrize("text", ["2026年3月至12月底", "3月、6月、9月、12月底前分别报送", "6月底前"])
def test_single_group_has_no_milestones(text: str) -> None:
    assert parse_deadline(text, Y).milestones == []


@pytest.mark.parametrize(
    "text",
    [
        "持续推进",
        "长期坚持",
        "长期",
        "持续开展",
        "常态化",
        "每月",
        "每季度",
        "每半年",
        "每年",
        "按月",
        "按季度",
        "定期",
        "常态化推进，定期调度",
    ],
)
def test_open_ended(text: str) -> None:
    deadline = parse_deadline(text, Y)
    assert (deadline.due, deadline.open_ended, deadline.warning, deadline.error, deadline.text) == (
        None,
        True,
        None,
        None,
        text,
    )


@pytest.mark.parametrize(
    ("text", "shown"), [("2月30日", "2月30日"), ("13月底前", "13月"), ("2026-02-30", "2026-02-30")]
)
def test_nonexistent_date_is_an_error(text: str, shown: str) -> None:
    deadline = parse_deadline(text, Y)
    assert deadline.due is None
    assert deadline.error == f"日期不存在：{shown}"


@pytest.mark.parametrize("text", ["尽快", "按要求完成", "近期"])
def test_unrecognised_is_a_warning(text: str) -> None:
    deadline = parse_deadline(text, Y)
    assert deadline.due is None and deadline.error is None and not deadline.open_ended
    assert deadline.warning is not None
    assert text in deadline.warning


def test_cells() -> None:
    excel_cell = datetime(2026, 6, 30, 0, 0)  # noqa: DTZ001 - Excel dates are naive
    assert parse_deadline(excel_cell, Y) == parse_deadline(date(2026, 6, 30), Y)
    assert parse_deadline(date(2026, 6, 30), Y).text == "2026-06-30"
    assert parse_deadline(2026.6, Y).due == date(2026, 6, 30)  # "2026.6" typed into Excel
    assert parse_deadline(2027, Y).due == date(2027, 12, 31)
    assert parse_deadline(46203, Y).due == date(2026, 6, 30)  # an Excel serial in a General-format cell
    assert parse_deadline(None, Y).text == "" and parse_deadline("  ", Y).warning is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_month_day_round_trips(day: date) -> None:
    assert parse_deadline(f"{day.month}月{day.day}日", day.year).due == day
    assert parse_deadline(f"{day.year}年{day.month}月{day.day}日前", Y).due == day


@given(st.integers(1, 12), st.integers(1, 40))
def test_invalid_days_are_errors(month: int, day: int) -> None:
    deadline = parse_deadline(f"{month}月{day}日", Y)
    valid = day <= calendar.monthrange(Y, month)[1]
    assert (deadline.due is not None) == valid
    assert (deadline.error is not None) == (not valid)


@given(st.one_of(st.text(max_size=80), st.integers(), st.floats(), st.none()))
def test_never_raises(value: str | int | float | None) -> None:
    deadline = parse_deadline(value, Y)
    assert deadline.due is None or isinstance(deadline.due, date)
