"""The 督查通报's words, written from its facts (bulletins.facts) by fixed sentences with the numbers filled in:
the same facts always give the same text. Pure: no database, so the tests feed it facts by hand.

The sections follow the bulletins offices issue: 总体推进情况 (with the change from the last bulletin's facts),
目标推进情况, 重点项目推进情况, the units doing well and those to improve (criticism only from open red warnings
and overdue items), 督查督办情况 and 下月工作重点; then three annexes."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from luoshi.bulletins.document import AnnexTable, Bulletin, Section

CHINESE_NUMBERS = "一二三四五六七八九十"
FAR_BEHIND_PP = 20.0  # points behind 序时进度 the project paragraph singles out


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return _("%(y)d年%(m)d月%(d)d日") % {"y": d.year, "m": d.month, "d": d.day}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _yi(wan: float) -> str:
    return f"{wan / 10000:,.2f}"


def _wan(wan: float) -> str:
    return f"{wan:,.2f}".rstrip("0").rstrip(".")


def _names(names: list[str]) -> str:
    return "、".join(names)


def title(facts: dict[str, Any]) -> str:
    return _("关于%(period)s全区重点工作推进情况的通报") % {"period": facts["period"]["name"]}


def _change(now: int, before: int, label: str) -> str:
    diff = now - before
    if diff > 0:
        return _("%(label)s增加%(n)d项") % {"label": label, "n": diff}
    if diff < 0:
        return _("%(label)s减少%(n)d项") % {"label": label, "n": -diff}
    return _("%(label)s持平") % {"label": label}


def overall(facts: dict[str, Any], previous: dict[str, Any] | None) -> Section:
    p = facts["pace"]
    total = p["on_pace"] + p["behind"] + p["overdue"] + p["done"]
    first = _(
        "截至%(day)s，全区%(year)d年度工作计划共分解末级事项%(total)d项，其中已完成%(done)d项、按序时推进"
        "%(on_pace)d项、进度滞后%(behind)d项、逾期未完成%(overdue)d项，完成率%(rate)s。"
    ) % {
        "day": _day(facts["period"]["as_of"]),
        "year": facts["period"]["year"],
        "total": total,
        "done": p["done"],
        "on_pace": p["on_pace"],
        "behind": p["behind"],
        "overdue": p["overdue"],
        "rate": _pct(100 * p["done"] / total if total else None),
    }
    paragraphs = [first]
    if previous is not None:
        before = previous["pace"]
        changes = [
            _change(p["done"], before["done"], _("已完成")),
            _change(p["behind"], before["behind"], _("进度滞后")),
            _change(p["overdue"], before["overdue"], _("逾期未完成")),
        ]
        paragraphs.append(
            _("与%(period)s相比，%(changes)s。")
            % {"period": previous["period"]["name"], "changes": "，".join(changes)}
        )
    else:
        paragraphs.append(_("上期未印发通报，本期起逐期对比。"))
    return Section(_("总体推进情况"), paragraphs)


def _goal_paragraphs(goal: dict[str, Any]) -> list[str]:
    if goal["rank"] is None:
        return [
            _("围绕“%(title)s”目标：%(scheme)s尚无可用的对标数据，暂无法测算位次。")
            % {"title": goal["title"], "scheme": goal["scheme"]}
        ]
    standing = _(
        "围绕“%(title)s”目标，按%(scheme)s（%(benchmark)s）测算，我区综合得分%(score).2f分，居第%(rank)d位"
    ) % {
        "title": goal["title"],
        "scheme": goal["scheme"],
        "benchmark": goal["benchmark"],
        "score": goal["score"],
        "rank": goal["rank"],
    }
    if goal["rank"] <= goal["target_rank"]:
        standing += _("，已达到第%(target)d位的目标。") % {"target": goal["target_rank"]}
    else:
        standing += _("，距第%(target)d位目标（需%(needed).2f分）还差%(gap).2f分。") % {
            "target": goal["target_rank"],
            "needed": goal["target_score"],
            "gap": goal["target_score"] - goal["score"],
        }
    paragraphs = [standing]
    if goal["indicators"]:
        lines = [_indicator(i) for i in goal["indicators"]]
        paragraphs.append(_("失分较多的指标依次为：%(list)s。") % {"list": "；".join(lines)})
    return paragraphs


def _indicator(i: dict[str, Any]) -> str:
    numbers = {"name": i["name"], "points": i["points"], "linked": i["linked"], "lagging": i["lagging"]}
    if not i["linked"]:
        return _("%(name)s（可争取%(points).2f分，尚无推进事项或项目对应）") % numbers
    if not i["lagging"]:
        return _("%(name)s（可争取%(points).2f分，对应的%(linked)d项事项和项目均未滞后）") % numbers
    return _("%(name)s（可争取%(points).2f分，对应的%(linked)d项事项和项目中%(lagging)d项滞后）") % numbers


def goals(facts: dict[str, Any]) -> Section:
    paragraphs = [line for goal in facts["goals"] for line in _goal_paragraphs(goal)]
    return Section(_("目标推进情况"), paragraphs or [_("本年度计划尚未设定对标目标。")])


def projects(facts: dict[str, Any]) -> Section:
    p = facts["projects"]
    if not p["count"]:
        return Section(_("重点项目推进情况"), [_("本年度尚未录入重点项目。")])
    completion = 100 * p["actual"] / p["annual"] if p["annual"] else None
    time_share = 100 * p["month"] / 12
    first = _(
        "全区%(year)d年共安排重点项目%(count)d个，年度计划投资%(annual)s亿元。截至%(month)d月底累计完成投资"
        "%(actual)s亿元，完成年度计划的%(completion)s，序时进度%(time)s"
    ) % {
        "year": facts["period"]["year"],
        "count": p["count"],
        "annual": _yi(p["annual"]),
        "month": p["month"],
        "actual": _yi(p["actual"]),
        "completion": _pct(completion),
        "time": _pct(time_share),
    }
    if completion is not None:
        diff = completion - time_share
        word = _("快于") if diff >= 0 else _("慢于")
        first += _("，%(word)s序时进度%(pp).1f个百分点") % {"word": word, "pp": abs(diff)}
    paragraphs = [first + "。"]
    moves = []
    for key, label in (("started", _("新开工")), ("completed", _("竣工"))):
        names = p[key]
        moves.append(
            _("%(label)s项目%(n)d个（%(names)s）") % {"label": label, "n": len(names), "names": _names(names)}
            if names
            else _("%(label)s项目0个") % {"label": label}
        )
    paragraphs.append(_("本期%(moves)s。") % {"moves": "，".join(moves)})
    behind = p["behind"]
    if behind:
        far = sum(1 for b in behind if b["gap_pp"] > FAR_BEHIND_PP)
        paragraphs.append(
            _("%(n)d个项目投资完成率低于序时进度，其中落后%(pp)d个百分点以上的%(far)d个，详见附件3。")
            % {"n": len(behind), "pp": int(FAR_BEHIND_PP), "far": far}
        )
    return Section(_("重点项目推进情况"), paragraphs)


def praised(facts: dict[str, Any]) -> Section:
    units = facts["praised"]
    if not units:
        return Section(
            _("工作成效较好的单位"),
            [_("本期没有同时做到按时报送、无逾期、无滞后、无红色预警的单位。")],
        )
    named = [
        _("%(name)s（按时报送%(owed)d次，在推事项%(open)d项）")
        % {"name": u["name"], "owed": u["owed"], "open": u["open_items"]}
        for u in units
    ]
    return Section(
        _("工作成效较好的单位"),
        [
            _(
                "%(names)s等%(n)d个单位近%(weeks)d周报送全部按时，所负责事项无逾期、无滞后、无红色预警，予以通报表扬。"
            )
            % {"names": _names(named), "n": len(units), "weeks": facts["weeks"]}
        ],
    )


def criticised(facts: dict[str, Any]) -> Section:
    units = facts["criticised"]
    if not units:
        return Section(_("需要督促改进的单位"), [_("截至期末，全区没有逾期未完成事项和未解除的红色预警。")])
    paragraphs = [_("以下%(n)d个单位存在逾期未完成事项或未解除的红色预警，予以通报：") % {"n": len(units)}]
    for n, u in enumerate(units, 1):
        parts = []
        if u["overdue"]:
            parts.append(
                _("%(n)d项事项逾期未完成（%(items)s）")
                % {
                    "n": u["overdue"],
                    "items": _names(u["overdue_items"]) + _("等") * (u["overdue"] > len(u["overdue_items"])),
                }
            )
        if u["red"]:
            parts.append(
                _("%(n)d条红色预警未解除（%(warnings)s）")
                % {"n": u["red"], "warnings": _more(u["red_warnings"], u["red"], "；")}
            )
        paragraphs.append(f"{n}. {u['name']}：{'；'.join(parts)}。")
    paragraphs.append(_("请上述单位逐项分析原因，制定整改措施，于下月5日前将整改情况书面报督查室。"))
    return Section(_("需要督促改进的单位"), paragraphs)


def _more(named: list[str], count: int, joiner: str) -> str:
    """The named ones, and 等 when there are more than named."""
    return joiner.join(named) + (_("等") if count > len(named) else "")


def orders(facts: dict[str, Any]) -> Section:
    o = facts["orders"]
    return Section(
        _("督查督办情况"),
        [
            _(
                "本期共下发督办单%(issued)d件，办结%(closed)d件；截至期末在办%(open)d件，其中超过办理时限"
                "%(overdue)d件、已提请领导督办%(escalated)d件。"
            )
            % o
        ],
    )


def focus(facts: dict[str, Any]) -> Section:
    pushes = [p for goal in facts["goals"] for p in goal["push"]]
    if not pushes:
        return Section(_("下月工作重点"), [_("下月继续对照年度计划推进各项工作，督查室将持续跟踪滞后事项。")])
    paragraphs = [_("对照目标差距，下月重点推进以下事项和项目：")]
    for n, p in enumerate(pushes, 1):
        paragraphs.append(
            _("%(n)d. %(title)s（%(unit)s）：关系%(indicators)s，涉及可争取分值%(points).2f分。")
            % {
                "n": n,
                "title": p["title"],
                "unit": p["unit"] or _("未明确牵头单位"),
                "indicators": _names(p["indicators"]),
                "points": p["points"],
            }
        )
    return Section(_("下月工作重点"), paragraphs)


def _ranking_table(facts: dict[str, Any]) -> AnnexTable:
    rows = [
        [
            str(r["rank"]),
            r["name"],
            str(r["red"]),
            str(r["overdue"]),
            str(r["behind"]),
            str(r["open_items"]),
            _pct(r["on_time_rate"]),
        ]
        for r in facts["ranking"]
    ]
    columns = [
        _("排名"),
        _("单位"),
        _("红色预警"),
        _("逾期事项"),
        _("滞后事项"),
        _("在推事项"),
        _("按时报送率"),
    ]
    return AnnexTable(
        _("单位排名"), columns, rows, _("按红色预警、按时报送率、逾期事项、滞后占比依次排序，问题多的在前。")
    )


def _items_table(facts: dict[str, Any]) -> AnnexTable:
    rows = [
        [
            str(n),
            i["code"],
            i["title"],
            i["unit"],
            _day(i["due"]) if i["due"] else "",
            _("逾期未完成") if i["overdue"] else _("进度滞后"),
        ]
        for n, i in enumerate(facts["lagging_items"], 1)
    ]
    note = ""
    if facts["lagging_total"] > len(rows):
        note = _("共%(total)d项，列前%(n)d项。") % {"total": facts["lagging_total"], "n": len(rows)}
    columns = [_("序号"), _("编号"), _("事项"), _("牵头单位"), _("完成时限"), _("状态")]
    return AnnexTable(_("滞后事项清单"), columns, rows, note)


def _projects_table(facts: dict[str, Any]) -> AnnexTable:
    rows = [
        [
            str(n),
            b["name"],
            b["unit"],
            _wan(b["annual"]),
            _wan(b["actual"]),
            _pct(b["completion"]),
            _pct(b["time_share"]),
            f"{b['gap_pp']:.1f}",
        ]
        for n, b in enumerate(facts["projects"]["behind"], 1)
    ]
    columns = [
        _("序号"),
        _("项目"),
        _("牵头单位"),
        _("年度计划（万元）"),
        _("累计完成（万元）"),
        _("完成率"),
        _("序时进度"),
        _("落后（百分点）"),
    ]
    return AnnexTable(_("投资滞后项目"), columns, rows)


def _numbered(sections: list[Section]) -> list[Section]:
    return [Section(f"{CHINESE_NUMBERS[n]}、{s.title}", s.paragraphs) for n, s in enumerate(sections)]


def _annexed(tables: list[AnnexTable]) -> list[AnnexTable]:
    return [
        AnnexTable(_("附件%(n)d：%(title)s") % {"n": n, "title": t.title}, t.columns, t.rows, t.note)
        for n, t in enumerate(tables, 1)
    ]


def draft(
    facts: dict[str, Any], previous: dict[str, Any] | None, *, office: str, number: int, dated: date
) -> Bulletin:
    """The bulletin the facts tell (`previous`: the last bulletin's facts, for the change)."""
    sections = [
        overall(facts, previous),
        goals(facts),
        projects(facts),
        praised(facts),
        criticised(facts),
        orders(facts),
        focus(facts),
    ]
    tables = [_ranking_table(facts), _items_table(facts), _projects_table(facts)]
    return Bulletin(
        office=office,
        number=number,
        year=facts["period"]["year"],
        period=facts["period"]["label"],
        title=title(facts),
        dated=dated,
        sections=_numbered(sections),
        tables=_annexed(tables),
        draft=True,
    )
