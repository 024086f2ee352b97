"""What the demo ledger says of each project in words: 建设内容及规模 from its category, size and name, and
形象进度 from the stage it has reached. Drawn with the builder's seeded generator, so a rebuild says the same."""

import random
from decimal import Decimal

from luoshi.projects.choices import Category, Stage

# What each kind of project builds, with {area} (square metres) and {extra} filled in per project.
CONTENT = {
    Category.INDUSTRIAL: (
        "新建生产厂房、研发楼及配套用房，总建筑面积约{area}平方米，购置{extra}等生产设备，建设智能化生产线",
        "建设标准化厂房和中试车间，总建筑面积约{area}平方米，引进{extra}，形成规模化生产能力",
        "改扩建生产车间约{area}平方米，新上{extra}，配套建设仓储物流及环保设施",
    ),
    Category.INFRASTRUCTURE: (
        "新建道路约{km}公里，同步建设给排水、电力、通信等综合管线，总用地约{area}平方米",
        "建设{extra}，配套建设雨污分流管网和绿化工程，总用地约{area}平方米",
        "实施道路拓宽及配套管网改造约{km}公里，新建{extra}",
    ),
    Category.SOCIAL: (
        "新建{extra}，总建筑面积约{area}平方米，配套建设地下车库及室外工程",
        "建设{extra}及配套用房，总建筑面积约{area}平方米",
    ),
    Category.INVESTMENT_ATTRACTION: (
        "建设区域总部及研发中心，总建筑面积约{area}平方米，引进{extra}",
        "租赁改造载体约{area}平方米，建设研发、检测及展示中心，引进{extra}",
    ),
}
EXTRAS = {
    Category.INDUSTRIAL: ("数控加工中心、自动化装配线", "洁净生产线及检测设备", "智能仓储和在线检测系统"),
    Category.INFRASTRUCTURE: (
        "雨水泵站一座",
        "220千伏变电站一座",
        "公交首末站及停车场",
        "污水处理厂扩容工程",
    ),
    Category.SOCIAL: ("九年一贯制学校一所", "社区卫生服务中心", "人才公寓约800套", "全民健身中心"),
    Category.INVESTMENT_ATTRACTION: ("研发团队约200人", "上下游配套企业10余家", "国家级检测认证机构"),
}

# 形象进度 as a site report reads, by stage reached; {n} is a share or a count that varies.
PROGRESS = {
    Stage.PLANNING: (
        "正在开展项目谋划和前期论证，编制可行性研究报告",
        "完成项目建议书编制，正在对接用地规划",
    ),
    Stage.NEGOTIATING: (
        "与意向企业开展第{n}轮洽谈，正在细化合作条件",
        "已完成项目考察，正在磋商投资协议条款",
    ),
    Stage.SIGNED: (
        "已签订投资协议，正在办理用地预审和规划许可",
        "已签约，完成方案设计，施工图审查进行中",
        "已签约，正在进行场地平整和临时设施建设",
    ),
    Stage.STARTED: (
        "基础施工完成约{n}%，主体结构施工进行中",
        "桩基工程已完成，地下室结构施工完成约{n}%",
        "已开工建设，土方开挖完成约{n}%",
    ),
    Stage.CAPPED: (
        "主体结构已封顶，二次结构和机电安装完成约{n}%",
        "主体已封顶，外立面装饰施工完成约{n}%",
    ),
    Stage.COMPLETED: ("已竣工验收，正在进行设备安装调试", "工程已竣工，生产设备进场约{n}%"),
    Stage.IN_PRODUCTION: ("已投产，产能利用率约{n}%，正在爬坡", "一期已投产，二期设备调试中"),
    Stage.FULL_PRODUCTION: ("已全面达产，年产值持续增长", "已达产运营，正在谋划二期扩能"),
}


def content(rng: random.Random, category: str, total_wan: Decimal) -> str:
    """建设内容及规模: building area grows with the investment (about 4,000 yuan a square metre)."""
    area = max(2000, int(total_wan) * 10000 // 4000 // 100 * 100)
    text = rng.choice(CONTENT[Category(category)])
    extra = rng.choice(EXTRAS[Category(category)])
    return text.format(area=f"{area:,}", extra=extra, km=f"{rng.uniform(1.2, 8.5):.1f}")


def progress(rng: random.Random, stage: int) -> str:
    return rng.choice(PROGRESS[Stage(stage)]).format(n=rng.randrange(3, 9) * 10 + rng.choice((0, 5)))
