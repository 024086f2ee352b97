"""The bulletin's words from its facts (bulletins.drafting): fixed sentences with the numbers filled in, the same
facts always giving the same text. Pure: the facts are written here by hand, no database."""

import copy
from datetime import date
from typing import Any

import pytest

from luoshi.bulletins import drafting
from luoshi.bulletins.document import Bulletin

DATED = date(2026, 12, 3)


def _unit(name: str, rank: int, **figures: Any) -> dict[str, Any]:
    row = {"rank": rank, "name": name, "red": 0, "overdue": 0, "behind": 0, "open_items": 2, "owed": 8}
    return row | {"on_time": 8, "on_time_rate": 100.0} | figures


# November 2026 in a small zone.
BASE: dict[str, Any] = {
    "zone": "甲高新区",
    "period": {
        "kind": "month",
        "year": 2026,
        "index": 11,
        "label": "2026-11",
        "name": "2026年11月",
        "starts_on": "2026-11-01",
        "ends_on": "2026-11-30",
        "as_of": "2026-11-30",
    },
    "pace": {"on_pace": 5, "behind": 2, "overdue": 1, "done": 2},
    "lagging_total": 3,
    "lagging_items": [
        {
            "code": "2.",
            "title": "建设创新平台",
            "unit": "区发展和改革局",
            "due": "2026-10-31",
            "overdue": True,
        },
        {
            "code": "3.",
            "title": "扩大有效投资",
            "unit": "区发展和改革局",
            "due": "2026-12-31",
            "overdue": False,
        },
        {"code": "", "title": "无期限事项", "unit": "", "due": "", "overdue": False},
    ],
    "weeks": 8,
    "ranking": [
        _unit("区发展和改革局", 1, red=1, overdue=1, behind=1, on_time=0, on_time_rate=0.0),
        _unit("区财政局", 2),
        _unit("督查室", 3, open_items=0, owed=0, on_time=0, on_time_rate=None),
    ],
    "praised": [_unit("区财政局", 2)],
    "criticised": [
        _unit("区发展和改革局", 1, red=1, overdue=1, behind=1)
        | {"overdue_items": ["建设创新平台"], "red_warnings": ["建设创新平台：逾期未完成"]}
    ],
    "orders": {"issued": 3, "closed": 2, "open": 2, "overdue": 1, "escalated": 0},
    "projects": {
        "count": 2,
        "month": 11,
        "annual": 18000.0,
        "actual": 14600.0,
        "started": ["外贸综合服务中心"],
        "completed": [],
        "behind": [
            {
                "name": "外贸综合服务中心",
                "unit": "区商务局",
                "annual": 12000.0,
                "actual": 8600.0,
                "completion": 100 * 8600 / 12000,
                "time_share": 100 * 11 / 12,
                "gap_pp": 20.0,
            }
        ],
    },
    "goals": [
        {
            "title": "科技创新",
            "scheme": "国家高新区综合评价",
            "benchmark": "2025年对标",
            "rank": 3,
            "target_rank": 2,
            "score": 50.0,
            "target_score": 62.5,
            "at_stake": 9.0,
            "indicators": [
                {"name": "每万人发明专利授权数", "points": 6.0, "linked": 2, "lagging": 1},
                {"name": "研发经费占营业收入比例", "points": 2.5, "linked": 1, "lagging": 0},
                {"name": "单位增加值综合能耗", "points": 0.5, "linked": 0, "lagging": 0},
            ],
            "push": [
                {
                    "kind": "item",
                    "title": "建设创新平台",
                    "unit": "区发展和改革局",
                    "points": 6.0,
                    "indicators": ["每万人发明专利授权数"],
                    "health": "red",
                },
                {
                    "kind": "project",
                    "title": "研发中心大楼",
                    "unit": "",
                    "points": 2.5,
                    "indicators": ["研发经费占营业收入比例", "每万人发明专利授权数"],
                    "health": "behind",
                },
            ],
        }
    ],
}


def facts(**changes: Any) -> dict[str, Any]:
    """November 2026 in a small zone (a copy: tests change it); `changes` replace top-level keys."""
    return copy.deepcopy(BASE) | changes


def previous(**pace: int) -> dict[str, Any]:
    before = facts()
    before["period"] = before["period"] | {"index": 10, "label": "2026-10", "name": "2026年10月"}
    before["pace"] = before["pace"] | pace
    return before


def draft(now: dict[str, Any], before: dict[str, Any] | None = None) -> Bulletin:
    return drafting.draft(now, before, office="甲高新区督查室", number=3, dated=DATED)


def section(bulletin: Bulletin, title: str) -> list[str]:
    (found,) = [s for s in bulletin.sections if s.title.endswith("、" + title)]
    return found.paragraphs


def test_the_same_facts_give_the_same_bulletin() -> None:
    first = draft(facts(), previous())
    again = draft(copy.deepcopy(facts()), copy.deepcopy(previous()))
    assert first == again and first.as_json() == again.as_json() and first.content() == again.content()


def test_the_header() -> None:
    bulletin = draft(facts())
    assert bulletin.title == "关于2026年11月全区重点工作推进情况的通报"
    assert (bulletin.office, bulletin.number, bulletin.year, bulletin.period) == (
        "甲高新区督查室",
        3,
        2026,
        "2026-11",
    )
    assert bulletin.dated == DATED and bulletin.draft


def test_sections_numbered_in_chinese() -> None:
    assert [s.title for s in draft(facts()).sections] == [
        "一、总体推进情况",
        "二、目标推进情况",
        "三、重点项目推进情况",
        "四、工作成效较好的单位",
        "五、需要督促改进的单位",
        "六、督查督办情况",
        "七、下月工作重点",
    ]


def test_the_overall_numbers() -> None:
    first = section(draft(facts()), "总体推进情况")[0]
    assert first == (
        "截至2026年11月30日，全区2026年度工作计划共分解末级事项10项，其中已完成2项、按序时推进5项、进度滞后2项、"
        "逾期未完成1项，完成率20.0%。"
    )
    empty = facts(pace={"on_pace": 0, "behind": 0, "overdue": 0, "done": 0})
    assert "共分解末级事项0项" in section(draft(empty), "总体推进情况")[0]
    assert section(draft(empty), "总体推进情况")[0].endswith("完成率—。")


def test_the_change_from_the_last_bulletin() -> None:
    paragraphs = section(draft(facts(), previous(done=1, behind=3, overdue=1)), "总体推进情况")
    assert paragraphs[1] == "与2026年10月相比，已完成增加1项，进度滞后减少1项，逾期未完成持平。"


def test_without_a_last_bulletin() -> None:
    paragraphs = section(draft(facts(), None), "总体推进情况")
    assert paragraphs == [paragraphs[0], "上期未印发通报，本期起逐期对比。"]


def test_a_goal_not_reached() -> None:
    paragraphs = section(draft(facts()), "目标推进情况")
    assert paragraphs == [
        "围绕“科技创新”目标，按国家高新区综合评价（2025年对标）测算，我区综合得分50.00分，居第3位，"
        "距第2位目标（需62.50分）还差12.50分。",
        "失分较多的指标依次为：每万人发明专利授权数（可争取6.00分，对应的2项事项和项目中1项滞后）；"
        "研发经费占营业收入比例（可争取2.50分，对应的1项事项和项目均未滞后）；"
        "单位增加值综合能耗（可争取0.50分，尚无推进事项或项目对应）。",
    ]


def test_a_goal_reached() -> None:
    goal = facts()["goals"][0] | {"rank": 2, "score": 63.0, "target_score": 62.5, "indicators": []}
    assert section(draft(facts(goals=[goal])), "目标推进情况") == [
        "围绕“科技创新”目标，按国家高新区综合评价（2025年对标）测算，我区综合得分63.00分，居第2位，已达到第2位的目标。"
    ]


def test_a_goal_without_a_benchmark() -> None:
    goal = facts()["goals"][0] | {"benchmark": "", "rank": None, "score": None, "target_score": None}
    goal |= {"indicators": [], "push": []}
    assert section(draft(facts(goals=[goal])), "目标推进情况") == [
        "围绕“科技创新”目标：国家高新区综合评价尚无可用的对标数据，暂无法测算位次。"
    ]


def test_the_projects() -> None:
    assert section(draft(facts()), "重点项目推进情况") == [
        "全区2026年共安排重点项目2个，年度计划投资1.80亿元。截至11月底累计完成投资1.46亿元，完成年度计划的81.1%，"
        "序时进度91.7%，慢于序时进度10.6个百分点。",
        "本期新开工项目1个（外贸综合服务中心），竣工项目0个。",
        "1个项目投资完成率低于序时进度，其中落后20个百分点以上的0个，详见附件3。",
    ]


def test_praised_units() -> None:
    assert section(draft(facts()), "工作成效较好的单位") == [
        "区财政局（按时报送8次，在推事项2项）等1个单位近8周报送全部按时，所负责事项无逾期、无滞后、无红色预警，予以通报表扬。"
    ]


def test_criticised_units_with_etc_when_more_than_named() -> None:
    unit = facts()["criticised"][0] | {
        "overdue": 4,
        "overdue_items": ["甲事项", "乙事项", "丙事项"],
        "red": 2,
        "red_warnings": ["丁项目：投资滞后", "戊事项：逾期"],
    }
    red_only = _unit("区商务局", 2, red=1) | {
        "overdue_items": [],
        "red_warnings": ["外贸综合服务中心：投资滞后序时"],
    }
    assert section(draft(facts(criticised=[unit, red_only])), "需要督促改进的单位") == [
        "以下2个单位存在逾期未完成事项或未解除的红色预警，予以通报：",
        "1. 区发展和改革局：4项事项逾期未完成（甲事项、乙事项、丙事项等）；2条红色预警未解除（丁项目：投资滞后；戊事项：逾期）。",
        "2. 区商务局：1条红色预警未解除（外贸综合服务中心：投资滞后序时）。",
        "请上述单位逐项分析原因，制定整改措施，于下月5日前将整改情况书面报督查室。",
    ]
    more_red = red_only | {"red": 5}
    assert (
        "（外贸综合服务中心：投资滞后序时等）"
        in section(draft(facts(criticised=[more_red])), "需要督促改进的单位")[1]
    )


def test_orders() -> None:
    assert section(draft(facts()), "督查督办情况") == [
        "本期共下发督办单3件，办结2件；截至期末在办2件，其中超过办理时限1件、已提请领导督办0件。"
    ]


def test_next_months_focus() -> None:
    assert section(draft(facts()), "下月工作重点") == [
        "对照目标差距，下月重点推进以下事项和项目：",
        "1. 建设创新平台（区发展和改革局）：关系每万人发明专利授权数，涉及可争取分值6.00分。",
        "2. 研发中心大楼（未明确牵头单位）：关系研发经费占营业收入比例、每万人发明专利授权数，涉及可争取分值2.50分。",
    ]


@pytest.mark.parametrize(
    "key, value, title, fallback",
    [
        ("goals", [], "目标推进情况", "本年度计划尚未设定对标目标。"),
        ("praised", [], "工作成效较好的单位", "本期没有同时做到按时报送、无逾期、无滞后、无红色预警的单位。"),
        ("criticised", [], "需要督促改进的单位", "截至期末，全区没有逾期未完成事项和未解除的红色预警。"),
        ("goals", [], "下月工作重点", "下月继续对照年度计划推进各项工作，督查室将持续跟踪滞后事项。"),
    ],
)
def test_empty_sections_say_so(key: str, value: Any, title: str, fallback: str) -> None:
    assert section(draft(facts(**{key: value})), title) == [fallback]


def test_no_projects() -> None:
    projects = facts()["projects"] | {"count": 0, "annual": 0.0, "actual": 0.0, "started": [], "behind": []}
    assert section(draft(facts(projects=projects)), "重点项目推进情况") == ["本年度尚未录入重点项目。"]


def test_projects_without_an_annual_plan_and_none_behind() -> None:
    projects = facts()["projects"] | {"annual": 0.0, "actual": 0.0, "started": [], "behind": []}
    assert section(draft(facts(projects=projects)), "重点项目推进情况") == [
        "全区2026年共安排重点项目2个，年度计划投资0.00亿元。截至11月底累计完成投资0.00亿元，完成年度计划的—，序时进度91.7%。",
        "本期新开工项目0个，竣工项目0个。",
    ]


def test_the_annex_tables() -> None:
    ranking, items, projects = draft(facts()).tables
    assert ranking.title == "附件1：单位排名"
    assert ranking.columns == ["排名", "单位", "红色预警", "逾期事项", "滞后事项", "在推事项", "按时报送率"]
    assert ranking.rows == [
        ["1", "区发展和改革局", "1", "1", "1", "2", "0.0%"],
        ["2", "区财政局", "0", "0", "0", "2", "100.0%"],
        ["3", "督查室", "0", "0", "0", "0", "—"],
    ]
    assert ranking.note == "按红色预警、按时报送率、逾期事项、滞后占比依次排序，问题多的在前。"
    assert items.title == "附件2：滞后事项清单"
    assert items.columns == ["序号", "编号", "事项", "牵头单位", "完成时限", "状态"]
    assert items.rows == [
        ["1", "2.", "建设创新平台", "区发展和改革局", "2026年10月31日", "逾期未完成"],
        ["2", "3.", "扩大有效投资", "区发展和改革局", "2026年12月31日", "进度滞后"],
        ["3", "", "无期限事项", "", "", "进度滞后"],
    ]
    assert items.note == ""  # all listed
    assert projects.title == "附件3：投资滞后项目"
    assert projects.columns == [
        "序号", "项目", "牵头单位", "年度计划（万元）", "累计完成（万元）", "完成率", "序时进度", "落后（百分点）",
    ]  # fmt: skip
    assert projects.rows == [
        ["1", "外贸综合服务中心", "区商务局", "12,000", "8,600", "71.7%", "91.7%", "20.0"]
    ]
    assert projects.note == ""


def test_the_items_annex_says_when_it_lists_only_the_first() -> None:
    (_ranking, items, _projects) = draft(facts(lagging_total=126)).tables
    assert len(items.rows) == 3 and items.note == "共126项，列前3项。"


def test_the_json_contract() -> None:
    found = draft(facts(), previous()).as_json()
    assert set(found) == {"number", "period", "sections", "tables"}
    assert (found["number"], found["period"]) == (3, "2026-11")
    assert len(found["sections"]) == 7 and all(set(s) == {"title", "paragraphs"} for s in found["sections"])
    assert len(found["tables"]) == 3 and all(set(t) == {"title", "columns", "rows"} for t in found["tables"])
    assert found["sections"][0]["title"] == "一、总体推进情况"
    assert all(isinstance(p, str) for s in found["sections"] for p in s["paragraphs"])


def test_the_content_kept_for_editing() -> None:
    bulletin = draft(facts())
    content = bulletin.content()
    assert set(content) == {"title", "sections", "tables"}
    assert content["title"] == bulletin.title
    assert [t["note"] for t in content["tables"]] == [t.note for t in bulletin.tables]
