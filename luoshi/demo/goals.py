"""The demo's line of sight: the 1264 plan's goal "力争五年重回全国高新区前十" measured by the national ranking,
aiming at tenth place; the national indicators linked to the measures meant to move them (by their titles in the
demo plans), and the major key projects carried by the measure that pushes key projects."""

from django.contrib.auth.models import User

from luoshi.assessment.models import Indicator, Scheme
from luoshi.goals import actions, binding
from luoshi.goals.choices import BindingSource
from luoshi.org.models import Zone
from luoshi.plans.models import PlanItem, Target
from luoshi.projects.models import Project

GOAL = "力争五年重回全国高新区前十"
TARGET_RANK = 10
# indicator code → the measures meant to move it
MOVERS = {
    "NHZ1.1": ("加快建设研发平台", "争创省级以上创新平台"),
    "NHZ1.3": ("提高企业研发投入", "开展新型研发机构绩效评价"),
    "NHZ1.4": ("提升知识产权创造运用水平", "强化知识产权创造保护"),
    "NHZ2.3": ("促进科技成果转化",),
    "NHZ2.6": ("实施高新技术企业倍增计划", "加大高新技术企业培育力度"),
    "NHZ3.1": ("推动绿色低碳发展",),
    "NHZ3.5": ("精准引进高层次人才", "集聚青年和技能人才"),
    "NHZ4.1": ("扩大开放合作",),
    "NHZ4.3": ("强化知识产权创造保护",),
    "NHZ5.4": ("推进数字经济与实体经济融合",),
    "NHZ5.6": ("实施企业上市“育苗”工程",),
}
PROJECT_MEASURE = "推进省市重点项目建设"  # carries the major projects (not their sub-projects)
DIGITAL = ("推进数字经济与实体经济融合", ("集成电路", "软件", "数字", "智能"))  # and the digital ones
# Targets whose reported value feeds the national indicator they count in: indicator → (measure, target).
FEEDERS = {
    "NHZ2.6": ("实施高新技术企业倍增计划", "新增高新技术企业"),
    "NHZ5.6": ("实施企业上市“育苗”工程", "新增上市企业"),
}


def build_goals(zone: Zone, scheme: Scheme, user: User) -> int:
    """Returns how many indicators are linked."""
    items = {title: item for title, item in ((i.title, i) for i in PlanItem.objects.filter(zone=zone))}
    actions.set_goal(items[GOAL], scheme, TARGET_RANK, user)
    library = {i.code: i for i in Indicator.objects.filter(zone=zone, code__in=MOVERS)}
    for code, titles in MOVERS.items():
        actions.link_indicators([items[t] for t in titles if t in items], [library[code]], user)
    majors = list(Project.objects.filter(zone=zone, parent__isnull=True))
    actions.link_projects(majors, [items[PROJECT_MEASURE]], user)
    measure, words = DIGITAL
    digital = [p for p in majors if any(w in p.name or w in p.chain for w in words)]
    actions.link_projects(digital, [items[measure]], user)
    for code, (title, name) in FEEDERS.items():
        target = Target.objects.get(item=items[title], indicator=name)
        binding.bind_target(target, library[code], BindingSource.TARGET, user)
    return len(library)
