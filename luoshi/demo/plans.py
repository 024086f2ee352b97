"""The demo's two plans: the "1264" strategy of the year and the national high-tech zone creation plan.

The plan text is written out below as data; dates, statuses and ticked milestones are derived from `today`,
so the year always looks in progress: work past its deadline is mostly done, a few lagging items are overdue.
"""

import calendar
import random
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from luoshi.demo.org import DemoOrg
from luoshi.plans.actions import (
    add_item,
    add_milestone,
    add_target,
    create_plan,
    issue_plan,
    set_milestone_done,
    update_item,
)
from luoshi.plans.choices import Direction, ItemStatus
from luoshi.plans.models import Plan, PlanItem

SEED = 1264


@dataclass(frozen=True)
class Tgt:
    indicator: str
    value: Decimal
    unit: str
    decrease: bool = False

    @property
    def text(self) -> str:
        return f"{self.indicator}{self.value:f}{self.unit}"


def t(indicator: str, value: int | str, unit: str, *, decrease: bool = False) -> Tgt:
    return Tgt(indicator, Decimal(str(value)), unit, decrease)


@dataclass(frozen=True)
class N:
    """A node of a plan as written: leaves are measures and carry their own deadline."""

    title: str
    lead: str = ""
    co: str = ""  # co-units, by name or alias, separated by spaces
    due: str = ""  # the deadline of a measure as the plan writes it; parents take their latest child's
    text: str = ""
    targets: tuple[Tgt, ...] = ()
    goal: str = ""  # the target in words when the targets alone read badly
    milestones: tuple[tuple[str, int], ...] = ()  # (title, month it is due at the end of)
    lag: bool = False  # behind schedule: overdue once its deadline passes, not started before
    kids: tuple["N", ...] = ()


@dataclass(frozen=True)
class PlanSpec:
    title: str
    level_names: tuple[str, ...]
    code_styles: tuple[str, ...]  # per level: "" (no code), "一、", "（一）", "1.", "（1）"
    numbered_across: int  # the level whose numbers run on across parents (the 22 measures), 0 for none
    dated_from: int  # the first level that gets a deadline; the goal and directions have none
    nodes: tuple[N, ...]


_CN_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    if not tens:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _code(style: str, n: int) -> str:
    return {
        "": "",
        "一、": f"{_chinese_number(n)}、",
        "（一）": f"（{_chinese_number(n)}）",
        "1.": f"{n}.",
        "（1）": f"（{n}）",
    }[style]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_QUARTERS = {"一": 3, "二": 6, "三": 9, "四": 12}


def _deadline(text: str, year: int) -> date | None:
    """The date a deadline written in the plan's words falls on; None for work with no end (持续推进)."""
    if text == "持续推进":
        return None
    if text == "年底前":
        return date(year, 12, 31)
    if text == "上半年":
        return date(year, 6, 30)
    if m := re.fullmatch(r"(\d{1,2})月底前", text):
        return _month_end(year, int(m[1]))
    if m := re.fullmatch(r"第([一二三四])季度", text):
        return _month_end(year, _QUARTERS[m[1]])
    raise ValueError(f"unknown deadline {text!r}")


def _deadline_text(day: date) -> str:
    """How a parent's deadline (its latest measure's, always a month end) reads."""
    return "年底前" if day.month == 12 else f"{day.month}月底前"


@dataclass
class Resolved:
    """A node with what `today` makes of it: code, dates and status."""

    node: N
    code: str
    start: date | None
    due: date | None
    due_text: str
    status: str
    kids: list["Resolved"] = field(default_factory=list)


class _Resolver:
    def __init__(self, spec: PlanSpec, today: date, rng: random.Random):
        self.spec, self.year, self.today, self.rng = spec, today.year, today, rng
        self.running = 0

    def resolve(self, node: N, depth: int, position: int) -> Resolved:
        if depth == self.spec.numbered_across:
            self.running += 1
            position = self.running
        code = _code(self.spec.code_styles[depth - 1], position)
        if not node.kids:
            return self._leaf(node, code)
        kids = [self.resolve(kid, depth + 1, i) for i, kid in enumerate(node.kids, 1)]
        dated = depth >= self.spec.dated_from
        due = max((k.due for k in kids if k.due), default=None) if dated else None
        start = min((k.start for k in kids if k.start), default=None) if dated else None
        statuses = {k.status for k in kids}
        if statuses == {ItemStatus.DONE}:
            status = ItemStatus.DONE
        elif statuses == {ItemStatus.NOT_STARTED}:
            status = ItemStatus.NOT_STARTED
        else:
            status = ItemStatus.IN_PROGRESS
        due_text = (_deadline_text(due) if due else "持续推进") if dated else ""
        return Resolved(node, code, start, due, due_text, status, kids)

    def _leaf(self, node: N, code: str) -> Resolved:
        # Both draws happen for every measure, so the sequence does not depend on `today`.
        roll, span = self.rng.random(), self.rng.choice((2, 3, 5, 8))
        due = _deadline(node.due, self.year)
        # Work starts a few months before its deadline, and no later than its first milestone.
        months = [due.month - span] if due else [1]
        start = date(self.year, max(1, min(months + [m - 1 for _t, m in node.milestones])), 1)
        today = self.today
        if start > today:
            status = ItemStatus.NOT_STARTED
        elif due is None:
            status = ItemStatus.IN_PROGRESS
        elif due < today:
            status = ItemStatus.IN_PROGRESS if node.lag else ItemStatus.DONE
        elif node.lag:
            status = ItemStatus.NOT_STARTED
        elif roll < 0.1:
            status = ItemStatus.DONE  # finished ahead of its deadline
        elif roll < 0.8:
            status = ItemStatus.IN_PROGRESS
        else:
            status = ItemStatus.NOT_STARTED
        return Resolved(node, code, start, due, node.due, status)


def build_plan(spec: PlanSpec, org: DemoOrg, today: date, rng: random.Random) -> Plan:
    user = org.users["admin"]
    resolver = _Resolver(spec, today, rng)
    tree = [resolver.resolve(node, 1, i) for i, node in enumerate(spec.nodes, 1)]
    title = spec.title.format(year=today.year)
    plan = create_plan(org.zone, today.year, title, list(spec.level_names), user)
    _write(plan, None, tree, org, today, user)
    issue_plan(plan, user)
    return plan


def _write(
    plan: Plan,
    parent: PlanItem | None,
    resolved: list[Resolved],
    org: DemoOrg,
    today: date,
    user: User,
) -> None:
    for r in resolved:
        node = r.node
        fields = {
            "code": r.code,
            "title": node.title,
            "description": node.text,
            "goal": node.goal or "；".join(target.text for target in node.targets),
            "lead_unit": org.unit(node.lead) if node.lead else None,
            "start_date": r.start,
            "due_date": r.due,
            "due_text": r.due_text,
            "status": r.status,
        }
        item = add_item(plan, parent, fields, [org.unit(name) for name in node.co.split()], user)
        for target in node.targets:
            direction = Direction.DECREASE if target.decrease else Direction.INCREASE
            add_target(
                item,
                {
                    "indicator": target.indicator,
                    "unit_of_measure": target.unit,
                    "target_value": target.value,
                    "direction": direction,
                },
                user,
            )
        _write_milestones(item, r, today, user)
        _write(plan, item, r.kids, org, today, user)


def _write_milestones(item: PlanItem, r: Resolved, today: date, user: User) -> None:
    due_dates = [min(_month_end(today.year, month), r.due or date.max) for _title, month in r.node.milestones]
    if r.status == ItemStatus.DONE:
        done = [True] * len(due_dates)
    elif r.status == ItemStatus.NOT_STARTED:
        done = [False] * len(due_dates)
    else:
        done = [d < today for d in due_dates]
        if r.node.lag and any(done):
            done[max(i for i, d in enumerate(done) if d)] = False  # the step it is stuck on
    for (title, _month), due, is_done in zip(r.node.milestones, due_dates, done, strict=True):
        milestone = add_milestone(item, title, due, Decimal("1"), user)
        if is_done:
            set_milestone_done(milestone, True, min(due, today), user)


# The supervision office's changes after issuing: (plan, measure title, new deadline, co-unit to add).
SUPERVISOR_EDITS: tuple[tuple[int, str, str, str], ...] = (
    (0, "筹集青年人才公寓", "11月底前", ""),
    (0, "推进低效片区和工业园区更新", "", "高新区科创发展集团"),
    (1, "编制高新区总体发展规划", "7月底前", ""),
    (1, "实施主导产业“链长制”", "", "区科技创新局"),
)


def apply_supervisor_edits(plans: list[Plan], org: DemoOrg) -> None:
    """A little history, so item pages show who moved a deadline or brought in another unit."""
    supervisor = org.users["supervisor"]
    for plan_index, title, due_text, co_unit in SUPERVISOR_EDITS:
        item = PlanItem.objects.get(plan=plans[plan_index], title=title)
        if due_text:
            changes = {"due_date": _deadline(due_text, plans[plan_index].year), "due_text": due_text}
            update_item(item, changes, supervisor)
        if co_unit:
            units = [link.unit for link in item.co_unit_links.select_related("unit")]
            update_item(item, {}, supervisor, co_units=[*units, org.unit(co_unit)])


# The plan text, laid out by hand as the plan document reads: a measure's first line says who does it by when.
# fmt: off
_SCIENCE = N("实施科技创新能力提升行动", "区科技创新局", "区财政局 区工业和信息化局", kids=(
    N("培育壮大创新主体", "区科技创新局", kids=(
        N("实施高新技术企业倍增计划", "区科技局", "区财政局 区市场监管局", "年底前",
          "建立高企培育库，对入库企业开展“一对一”辅导，落实高企认定奖励政策。", (t("新增高新技术企业", 100, "家"),),
          milestones=(("建立高企培育库", 3), ("完成年度高企申报", 6), ("认定结果公示", 11))),
        N("开展科技型中小企业评价入库", "区科技局", "红岛经济区 蓝色硅谷核心区 智能制造产业园", "9月底前",
          "分园区建立入库企业台账，组织政策宣讲和申报辅导。", (t("入库科技型中小企业", 1000, "家"),)),
        N("深化企业创新积分制试点", "区科技局", "区财政局 区金融服务中心", "第三季度",
          "发布年度企业创新积分榜单，推动“创新积分贷”扩面增量。", (t("创新积分贷授信额度", 20, "亿元"),),
          lag=True),
    )),
    N("建设高能级创新平台", "区科技创新局", kids=(
        N("争创省级以上创新平台", "区科技局", "区发改局 区工信局", "年底前",
          "争创省级以上重点实验室、技术创新中心、工程研究中心等创新平台。", (t("新增省级以上创新平台", 15, "个"),)),
        N("开展新型研发机构绩效评价", "区科技局", "区财政局", "6月底前",
          "建立“有进有出”的动态管理机制，评价结果与支持资金挂钩。",
          milestones=(("印发评价办法", 3), ("完成年度评价", 6))),
        N("推动重大科研设施开放共享", "蓝色硅谷核心区", "区科技局 温泉街道", "年底前",
          "依托蓝色硅谷海洋科技创新平台，建设大型科研仪器共享服务平台。", (t("入网共享大型科研仪器", 300, "台"),)),
    )),
    N("加快科技成果转移转化", "区科技创新局", kids=(
        N("完善技术转移服务体系", "区科技局", "区市场监管局 高新区科创发展集团", "上半年",
          "培育技术经理人队伍，建设技术转移转化服务机构。", (t("技术合同成交额", 80, "亿元"),)),
        N("实施“揭榜挂帅”攻关项目", "区科技局", "区工信局 区财政局", "5月底前",
          "围绕主导产业发布关键核心技术攻关榜单，组织企业揭榜攻关。", (t("发布揭榜挂帅项目", 10, "项"),),
          milestones=(("征集技术需求", 3), ("发布榜单", 5)), lag=True),
        N("提升知识产权创造运用水平", "区市场监管局", "区科技局", "年底前",
          "开展高价值专利培育，推进知识产权质押融资。", (t("每万人口高价值发明专利拥有量", 45, "件"),)),
    )),
))

_TALENT = N("实施人才集聚增效行动", "区人力资源和社会保障局", "区科技创新局", kids=(
    N("精准引进高层次人才", "区人社局", kids=(
        N("实施“高新英才”计划", "区人社局", "区科技局 区招商中心", "年底前",
          "面向主导产业靶向引才，落实安家补贴、项目资助等政策。", (t("引进高层次人才", 200, "人"),)),
        N("举办高层次人才创新创业大赛", "区人社局", "区科技局 区财政局", "第三季度",
          "设立海内外分赛场，推动获奖项目落地转化。", (t("落地人才项目", 30, "个"),),
          milestones=(("发布大赛公告", 4), ("完成初赛", 6), ("举办总决赛", 8))),
    )),
    N("集聚青年和技能人才", "区人社局", kids=(
        N("开展“百校千企”校园引才活动", "区人社局", "红岛街道 河套街道", "5月底前",
          "组织重点企业赴高校招聘，建设大学生实习实训基地。", (t("吸引高校毕业生来区就业创业", 8000, "人"),)),
        N("筹集青年人才公寓", "区住建局", "区人社局 高新区城投集团", "10月底前",
          "盘活存量房源，落实青年人才住房补贴。", (t("筹集人才公寓", 2000, "套"),),
          milestones=(("确定房源清单", 4), ("完成装修改造", 8), ("人才入住", 10)), lag=True),
        N("建设技能人才实训基地", "区人社局", "区工信局 智能制造产业园", "8月底前",
          "推行企业新型学徒制，开展职业技能等级认定。", (t("新增高技能人才", 1500, "人"),)),
    )),
    N("优化人才服务保障", "区人社局", kids=(
        N("升级人才服务“一站式”平台", "区人社局", "区行政审批服务局 区财政局", "6月底前",
          "人才政策集中公开、在线申报，实现政策兑现“免申即享”。"),
        N("兑现人才政策资金", "区财政局", "区人社局 区科技局", "年底前",
          "按季度集中兑现，资金直达人才和企业。", (t("兑现人才政策资金", "1.5", "亿元"),)),
    )),
))

_FINANCE = N("实施金融服务提升行动", "区金融服务中心", "区财政局", kids=(
    N("壮大科技金融规模", "区金融服务中心", kids=(
        N("设立科技创新母基金", "高新区科创发展集团", "区财政局 区金融服务中心", "6月底前",
          "以母基金撬动社会资本，重点投向早期科技项目。", (t("带动形成基金规模", 50, "亿元"),)),
        N("扩大科技信贷投放", "区金融服务中心", "区科技局 区人社局", "年底前",
          "推广“科技成果转化贷”“人才贷”等产品，完善风险补偿机制。", (t("新增科技信贷投放", 30, "亿元"),)),
    )),
    N("推动企业上市挂牌", "区金融服务中心", kids=(
        N("实施企业上市“育苗”工程", "区金融服务中心", "区发改局 区市场监管局", "年底前",
          "建立上市后备企业库，实行“一企一策”精准培育。", (t("新增上市企业", 3, "家"), t("上市后备企业", 50, "家"))),
        N("开展投融资对接活动", "区金融服务中心", "高新区科创发展集团 区科技局", "11月底前",
          "常态化组织路演和银企对接。", (t("投融资对接活动", 20, "场"),)),
    )),
))

_PROJECTS = N("实施项目落地攻坚行动", "区发展和改革局", "区国际招商促进中心 区城市更新和城市建设指挥部办公室", kids=(
    N("抓好重点项目建设", "区发改局", kids=(
        N("扩大有效投资", "区发改局", "区住建局 区自然资源局 区统计局", "年底前",
          "谋划储备一批重大项目，争取专项债券和中央预算内资金。", (t("固定资产投资", 120, "亿元"), t("固定资产投资增速", 10, "%"))),
        N("推进省市重点项目建设", "区发改局", "区城市更新指挥部 红岛经济区 智能制造产业园", "第三季度",
          "实行项目建设“周调度、月通报”。", (t("省市重点项目开工率", 100, "%"),),
          milestones=(("集中开工", 3), ("完成年度投资过半", 6), ("全部开工", 9))),
        N("建立重点项目“挂图作战”机制", "区城市更新指挥部", "区发改局 区委区政府督查室", "持续推进",
          "绘制项目作战图，每周跟踪、每月通报。"),
    )),
    N("强化招商引资", "区招商中心", kids=(
        N("开展产业链精准招商", "区招商中心", "区工信局 区商务局", "年底前",
          "绘制产业链招商图谱，实行“链长+链主”招商。", (t("引进过亿元项目", 50, "个"),)),
        N("扩大利用外资", "区商务局", "区招商中心", "年底前",
          "开展驻点招商，加强与世界500强企业对接。", (t("实际使用外资", 3, "亿美元"),)),
        N("推动签约项目落地开工", "区招商中心", "区发改局 红岛经济区 新材料产业园", "6月底前",
          "建立在谈项目“红黄绿”清单，实行项目专员全程代办。", (t("签约项目开工率", 60, "%"),),
          lag=True),
    )),
    N("强化要素保障", "区自然资源局", kids=(
        N("盘活低效工业用地", "区自然资源局", "区发改局 高新区城投集团", "年底前",
          "开展批而未供和闲置土地专项处置。", (t("供应工业用地", 3000, "亩"),)),
        N("推行工业用地“标准地”出让", "区自然资源局", "区行政审批服务局", "5月底前",
          "新出让工业用地全部按“标准地”供应。", (t("工业用地“标准地”出让比例", 100, "%"),)),
        N("做好征迁和配套保障", "区城市更新指挥部", "区住建局 高新区城投集团", "6月底前",
          "同步推进重点项目征迁和水电气暖配套。"),
    )),
))

_INDUSTRY = N("实施产业培育提质行动", "区工业和信息化局", "区科技创新局 区商务局", kids=(
    N("做强主导产业", "区工信局", kids=(
        N("壮大智能制造产业集群", "区工信局", "智能制造产业园", "年底前",
          "培育链主企业，带动配套企业集聚。", (t("规模以上工业增加值增速", 8, "%"),)),
        N("培育专精特新中小企业", "区工信局", "区科技局 区市场监管局", "第三季度",
          "建立梯度培育库，落实专精特新企业奖励政策。", (t("新培育专精特新中小企业", 50, "家"),)),
        N("推动工业企业技术改造", "区工信局", "区财政局", "10月底前",
          "支持企业智能化、绿色化改造。", (t("实施技改项目", 60, "个"),)),
    )),
    N("培育“四新”经济", "区发改局", kids=(
        N("发展虚拟现实、人工智能等新兴产业", "区发改局", "区工信局 区科技局 蓝色硅谷核心区", "年底前",
          "打造“四新”经济应用场景，培育新业态新模式。", (t("“四新”经济增加值占比", 40, "%"),)),
        N("加快新材料产业园二期建设", "新材料产业园", "区招商中心 高新区城投集团", "年底前",
          "完善园区基础设施，推动新材料项目集聚。", (t("新引进新材料项目", 10, "个"),),
          milestones=(("完成二期规划", 3), ("主体工程开工", 7), ("首批项目入驻", 12))),
        N("培育软件和信息技术服务业", "区工信局", "蓝色硅谷核心区", "年底前",
          "建设软件产业园，引进培育软件骨干企业。", (t("软件业务收入", 100, "亿元"),)),
    )),
    N("发展现代服务业", "区商务局", kids=(
        N("发展总部经济和楼宇经济", "区商务局", "区发改局 区财政局", "6月底前",
          "落实总部企业认定和扶持政策。", (t("新认定总部企业", 10, "家"),)),
        N("培育文旅消费新业态", "区文化和旅游局", "区商务局 红岛街道", "年底前",
          "举办文旅节会，打造夜间文旅消费集聚区。", (t("举办文旅节会活动", 12, "场"), t("接待游客", 300, "万人次"))),
        N("推进跨境电商发展", "区商务局", "区交通运输局", "年底前",
          "建设跨境电商产业园和海外仓。", (t("跨境电商交易额增速", 20, "%"),)),
    )),
))

_CITY = N("实施城市品质提升行动", "区城市更新和城市建设指挥部办公室", "区住房和城乡建设局 区交通运输局", kids=(
    N("完善城市基础设施", "区交通局", kids=(
        N("推进主干路网建设", "区交通局", "区住建局 高新区城投集团", "年底前",
          "打通断头路，完善园区与主城区快速联系通道。", (t("新建改建道路", 15, "公里"),),
          milestones=(("完成前期手续", 3), ("全面开工", 5), ("主体完工", 10))),
        N("优化公交线网", "区交通局", "红岛经济区 蓝色硅谷核心区", "9月底前",
          "实现主要园区、社区公交全覆盖。", (t("开通优化公交线路", 10, "条"),)),
        N("推进海绵城市建设", "区住建局", "高新区城投集团", "年底前",
          "同步建设地下综合管廊和雨污分流设施。", (t("新增海绵城市达标面积", 2, "平方公里"),)),
    )),
    N("系统实施城市更新", "区城市更新指挥部", kids=(
        N("改造提升老旧小区", "区住建局", "红岛街道 河套街道", "11月底前",
          "完善水电气暖和加装电梯等配套设施。", (t("改造老旧小区", 20, "个"), t("惠及居民", 5000, "户")),
          lag=True),
        N("推进低效片区和工业园区更新", "区城市更新指挥部", "区自然资源局 高新区城投集团", "9月底前",
          "按“一片区一方案”推进低效片区更新改造。", (t("启动更新片区", 3, "个"),)),
    )),
    N("提升公共服务水平", "区教育和体育局", kids=(
        N("新建改扩建中小学和幼儿园", "区教体局", "区住建局 高新区城投集团", "8月底前",
          "确保秋季开学前投入使用。", (t("新建改扩建学校", 5, "所"), t("新增学位", 4000, "个"))),
        N("打造“15分钟生活圈”", "河套街道", "区住建局 红岛街道", "年底前",
          "建设社区综合服务中心和便民服务网点。", (t("建设社区综合服务中心", 6, "处"),)),
        N("开展城市精细化管理", "区城市更新指挥部", "区住建局 温泉街道", "第二季度",
          "创建市级精品示范街区。", (t("创建精品示范街区", 4, "条"),)),
    )),
))

_PARTY = N("强化党建引领保障", "区党群工作部", kids=(
    N("加强基层党组织建设", "区党群工作部", kids=(
        N("实施“红色引擎”工程", "区党群工作部", "红岛经济区 蓝色硅谷核心区 智能制造产业园", "6月底前",
          "推进“两新”组织党组织应建尽建。", (t("新建“两新”组织党组织", 20, "个"),)),
        N("开展党建引领物业服务提升行动", "红岛街道", "区住建局 河套街道", "持续推进",
          "推动社区党组织、业委会、物业企业协同治理。"),
    )),
    N("深化作风能力提升", "区党群工作部", kids=(
        N("开展“一把手擂台”", "区党群工作部", "区委区政府督查室", "年底前",
          "组织承担重要经济指标的13个区直部门“一把手”亮成绩、摆问题、谈打算。",
          milestones=(("半年擂台赛", 7), ("全年擂台赛", 12))),
        N("健全督查督办机制", "区委区政府督查室", "区党群工作部", "持续推进",
          "落实“周调度、月通报、季考核”，对慢作为、不作为预警督办。", (t("重点任务按期办结率", 95, "%"),)),
    )),
))

_REFORM = N("强化改革创新保障", "区发展和改革局", kids=(
    N("深化体制机制改革", "区发改局", kids=(
        N("深化“管委会+公司”改革", "区发改局", "高新区城投集团 高新区科创发展集团 区财政局", "9月底前",
          "推动区属国有企业市场化运营。"),
        N("推进“一区多园”协同发展", "区发改局", "红岛经济区 蓝色硅谷核心区 智能制造产业园 新材料产业园 区财政局", "第三季度",
          "建立园区统计核算和利益共享机制。"),
    )),
    N("推进重点领域改革", "区党群工作部", kids=(
        N("推行全员岗位聘任制和绩效薪酬改革", "区党群工作部", "区人社局 区财政局", "6月底前",
          "实行“以岗定薪、按绩取酬”。",
          lag=True),
        N("深化区属国有企业改革", "区财政局", "高新区城投集团 高新区科创发展集团", "年底前",
          "优化国有资本布局，提升资产运营效益。", (t("国有资产总额", 800, "亿元"),)),
    )),
))

_BUSINESS = N("强化营商环境保障", "区行政审批服务局", kids=(
    N("提升政务服务效能", "区审批局", kids=(
        N("推进“一网通办”“一次办好”", "区审批局", "区市场监管局", "6月底前",
          "推动政务服务事项全程网办。", (t("政务服务事项网上可办率", 100, "%"),)),
        N("压减企业开办时间", "区市场监管局", "区审批局", "3月底前",
          "推行企业开办“一窗通办、一日办结”。", (t("企业开办时间", "0.5", "个工作日", decrease=True),),
          goal="企业开办时间压减至0.5个工作日以内"),
    )),
    N("优化涉企服务", "区工信局", kids=(
        N("建立“企业服务专员”制度", "区工信局", "区商务局 区招商中心", "年底前",
          "为重点企业配备服务专员，解决企业诉求。", (t("解决企业诉求", 500, "件"),)),
        N("兑现惠企政策资金", "区财政局", "区科技局 区工信局", "年底前",
          "推行惠企政策“免申即享”。", (t("兑现惠企政策资金", 10, "亿元"),)),
    )),
))

_SAFETY = N("强化安全稳定保障", "区应急管理局", kids=(
    N("抓好安全生产", "区应急局", kids=(
        N("开展重点行业领域隐患排查整治", "区应急局", "区住建局 区交通局 区市场监管局", "6月底前",
          "压实企业主体责任，建立隐患排查整改闭环。", (t("重点企业隐患排查覆盖率", 100, "%"),)),
        N("实现生产安全事故“双下降”", "区应急局", "红岛经济区 蓝色硅谷核心区 智能制造产业园 新材料产业园", "年底前",
          "事故起数和死亡人数同比双下降。", (t("生产安全事故起数降幅", 10, "%"),)),
    )),
    N("防范化解重大风险", "区应急局", kids=(
        N("开展防范非法集资宣传", "区金融服务中心", "区市场监管局 红岛街道 河套街道", "6月底前",
          "集中开展宣传月活动，稳妥化解存量风险。"),
        N("完善应急预案体系", "区应急局", "红岛街道 河套街道 温泉街道", "10月底前",
          "修订综合应急预案，开展综合应急演练。", (t("开展综合应急演练", 4, "次"),)),
    )),
))

STRATEGY_1264 = PlanSpec(
    title="{year}年全面实施“1264”发展战略重点任务分工方案",
    level_names=("目标", "方向", "行动", "任务", "措施"),
    code_styles=("", "一、", "（一）", "1.", "（1）"),
    numbered_across=0,
    dated_from=3,
    nodes=(
        N("力争五年重回全国高新区前十", "区发展和改革局", "区科技创新局 区统计局 创建国家高新区工作专班",
          text="锚定“一个目标”，在国家高新区综合评价中争先进位，确保年年有进步、五年大突破。",
          targets=(t("全国高新区综合评价排名", 10, "位", decrease=True),), goal="全国高新区综合评价排名进入前10位",
          kids=(
            # The two directions carry the six key actions; which action sits under which direction is our
            # reading, the speech lists them without assigning them.
            N("创建创新驱动发展示范区", "区科技创新局", kids=(_SCIENCE, _TALENT, _FINANCE)),
            N("创建高质量发展先行区", "区发展和改革局", kids=(_PROJECTS, _INDUSTRY, _CITY)),
            # The four guarantees underpin both directions, so they form a third branch under the goal with
            # the guarantees at the level of the actions: every measure then sits at the same depth.
            N("强化四个保障", "区党群工作部", kids=(_PARTY, _REFORM, _BUSINESS, _SAFETY)),
        )),
    ),
)

CREATION_PLAN = PlanSpec(
    title="{year}年创建国家高新区工作任务分工方案",
    level_names=("任务", "措施"),
    code_styles=("一、", "1."),
    numbered_across=2,  # the 22 measures are numbered straight through, as the plan counts them
    dated_from=1,
    nodes=(
        N("着力提升自主创新能力", "区科技创新局", "区发展和改革局", kids=(
            N("加快建设研发平台", "区科技局", "区发改局 区工信局", "9月底前",
              "支持龙头企业、高校院所共建研发机构。", (t("新建省级以上研发机构", 10, "家"), t("省级以上研发机构总数", 60, "家"))),
            N("提高企业研发投入", "区科技局", "区统计局 区财政局", "年底前",
              "落实研发费用加计扣除和研发投入后补助政策。", (t("全社会研发投入强度", "4.5", "%"), t("有研发活动的规上企业占比", 50, "%"))),
            N("加大高新技术企业培育力度", "区科技局", "区财政局 红岛经济区 智能制造产业园", "年底前",
              "实行高企培育“入库一批、认定一批”。", (t("高新技术企业总数", 500, "家"),)),
            N("促进科技成果转化", "区科技局", "区市场监管局 高新区科创发展集团", "年底前",
              "建设中试基地和概念验证中心。", (t("技术合同成交额", 50, "亿元"),)),
            N("强化知识产权创造保护", "区市场监管局", "区科技局", "年底前",
              "建设知识产权快速维权中心。", (t("每万名从业人员发明专利拥有量", 120, "件"),)),
            N("建设科技企业孵化载体", "区科技局", "高新区科创发展集团 蓝色硅谷核心区", "第三季度",
              "构建“众创空间+孵化器+加速器”孵化链条。", (t("新增省级以上孵化器和众创空间", 5, "家"), t("在孵企业", 800, "家")),
              milestones=(("完成载体摸底", 4), ("提交认定申报", 6), ("通过省级认定", 9))),
        )),
        N("着力培育壮大主导产业", "区工业和信息化局", "区国际招商促进中心", kids=(
            N("编制主导产业发展规划", "区发改局", "区工信局 区自然资源局", "4月底前",
              "明确“一区多园”各园区产业定位。",
              milestones=(("形成规划初稿", 3), ("规划印发", 4))),
            N("实施主导产业“链长制”", "区工信局", "区招商中心", "年底前",
              "每条产业链明确一名区级领导任链长。", (t("主导产业营业收入占比", 60, "%"),)),
            N("开展主导产业精准招商", "区招商中心", "区工信局 区商务局", "年底前",
              "瞄准主导产业头部企业开展以商招商。", (t("引进主导产业项目", 30, "个"), t("项目总投资", 200, "亿元"))),
            N("推进数字经济与实体经济融合", "区工信局", "区科技局", "11月底前",
              "推动企业“上云用数赋智”。", (t("建设智能工厂和数字化车间", 20, "个"),),
              lag=True),
            N("培育专精特新企业", "区工信局", "区科技局 区市场监管局", "第三季度",
              "建立专精特新企业梯度培育体系。", (t("新增省级以上专精特新企业", 30, "家"),)),
            N("推动绿色低碳发展", "区发改局", "区工信局 区应急局", "年底前",
              "推进园区循环化改造和清洁生产。", (t("单位工业增加值能耗降幅", 3, "%"),)),
        )),
        N("着力优化创新创业生态", "区科技创新局", "区人力资源和社会保障局", kids=(
            N("完善科技创新政策体系", "区科技局", "区财政局", "3月底前",
              "出台支持科技创新的若干政策措施。",
              milestones=(("政策征求意见", 2), ("政策印发", 3))),
            N("集聚创新创业人才", "区人社局", "区科技局", "年底前",
              "落实人才住房、子女入学等服务保障。", (t("引进各类人才", 5000, "人"), t("其中高层次人才", 100, "人"))),
            N("构建科技金融服务体系", "区财政局", "区金融服务中心 高新区科创发展集团", "9月底前",
              "设立天使投资基金和科技成果转化基金。", (t("科技类基金规模", 10, "亿元"),)),
            N("优化园区政务服务", "区审批局", "红岛经济区 蓝色硅谷核心区 智能制造产业园 新材料产业园", "6月底前",
              "推行“一窗受理、集成服务”，实现园区事园区办。"),
            N("扩大开放合作", "区商务局", "区招商中心 区科技局", "9月底前",
              "与先进国家高新区建立结对合作关系。", (t("共建合作园区", 2, "个"),)),
        )),
        N("着力完善园区功能和体制机制", "区发展和改革局", "创建国家高新区工作专班", kids=(
            N("编制高新区总体发展规划", "区自然资源局", "区发改局", "6月底前",
              "与国土空间规划衔接，明确四至范围和空间布局。",
              lag=True),
            N("完善基础设施配套", "高新区城投集团", "区住建局 区交通局", "年底前",
              "建设道路、标准厂房等基础设施。", (t("新建道路", 10, "公里"), t("新建标准厂房", 20, "万平方米"))),
            N("理顺园区管理体制", "区党群工作部", "区发改局 高新区城投集团", "6月底前",
              "建立“管委会+公司”运营模式。"),
            N("建立创新发展统计监测体系", "区统计局", "区科技局 区发改局", "持续推进",
              "按季度开展高新区创新发展监测评价。"),
            N("做好创建申报和迎评工作", "创建国家高新区工作专班", "区科技局 区发改局", "11月底前",
              "对照国家高新区认定条件逐项准备申报材料。",
              milestones=(("完成申报材料初稿", 6), ("完成省级推荐", 9), ("迎接实地考察", 11))),
        )),
    ),
)
# fmt: on

PLANS = (STRATEGY_1264, CREATION_PLAN)


def build_plans(org: DemoOrg, today: date) -> list[Plan]:
    rng = random.Random(SEED)
    plans = [build_plan(spec, org, today, rng) for spec in PLANS]
    apply_supervisor_edits(plans, org)
    return plans
