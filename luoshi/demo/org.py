"""The demo zone's organisation: parks, units modelled on the seed articles, and one account per role."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet

from luoshi.org.actions import add_member, create_park, create_person, create_unit, create_zone
from luoshi.org.choices import Role, UnitType
from luoshi.org.models import Unit, Zone
from luoshi.reporting.zone_settings import set_approval_step

ZONE_CODE = "demo"
ZONE_NAME = "高新区（演示）"
ZONE_SHORT_NAME = "演示高新区"
# Printed by the command for everyone to read: the demo must never run with real people's accounts.
PASSWORD = "luoshi-demo"

PARKS = ("核心园区", "蓝色硅谷园区", "智能制造园区", "新材料园区")


@dataclass(frozen=True)
class UnitSpec:
    name: str
    aliases: tuple[str, ...] = ()
    type: str = UnitType.DEPARTMENT
    parent: str | None = None
    park: str | None = None


UNITS: tuple[UnitSpec, ...] = (
    # The thirteen departments that report at the leaders' arena (一把手擂台), in the order they spoke.
    UnitSpec("区发展和改革局", ("区发改局", "发改局")),
    UnitSpec("区工业和信息化局", ("区工信局", "工信局")),
    UnitSpec("区财政局", ("财政局",)),
    UnitSpec("区住房和城乡建设局", ("区住建局", "住建局")),
    UnitSpec("区文化和旅游局", ("区文旅局", "文旅局")),
    UnitSpec("区交通运输局", ("区交通局", "交通局")),
    UnitSpec("区商务局", ("商务局",)),
    UnitSpec("区国际招商促进中心", ("区招商中心", "招商中心")),
    UnitSpec("区城市更新和城市建设指挥部办公室", ("区城市更新指挥部", "区城建指挥部")),
    UnitSpec("区科技创新局", ("区科技局", "科技局")),
    UnitSpec("区人力资源和社会保障局", ("区人社局", "人社局")),
    UnitSpec("区市场监督管理局", ("区市场监管局", "市场监管局")),
    UnitSpec("区自然资源局", ("自然资源局",)),
    # Departments the guarantees (党建、营商环境、安全) and the statistics need.
    UnitSpec("区党群工作部", ("党群工作部", "区党群部")),
    UnitSpec("区行政审批服务局", ("区审批局", "行政审批局")),
    UnitSpec("区应急管理局", ("区应急局", "应急局")),
    UnitSpec("区教育和体育局", ("区教体局", "教体局")),
    UnitSpec("区统计局", ("统计局",)),
    UnitSpec("区金融服务中心", ("区金融中心", "金融中心")),
    # The office that issues the plan and follows it up; not a line department, so it stays out of rankings.
    UnitSpec("区委区政府督查室", ("督查室", "区督查室"), UnitType.OTHER),
    UnitSpec("红岛经济区", ("红岛经济区管委", "红岛片区"), UnitType.FUNCTIONAL_AREA, park="核心园区"),
    UnitSpec("蓝色硅谷核心区", ("蓝谷核心区", "蓝色硅谷"), UnitType.FUNCTIONAL_AREA, park="蓝色硅谷园区"),
    UnitSpec("智能制造产业园", ("智造园", "智能制造园区"), UnitType.FUNCTIONAL_AREA, park="智能制造园区"),
    UnitSpec("新材料产业园", ("新材料园", "新材料园区"), UnitType.FUNCTIONAL_AREA, park="新材料园区"),
    UnitSpec("红岛街道", ("红岛街道办事处",), UnitType.TOWN, parent="红岛经济区", park="核心园区"),
    UnitSpec("河套街道", ("河套街道办事处",), UnitType.TOWN, parent="红岛经济区", park="核心园区"),
    UnitSpec("温泉街道", ("温泉街道办事处",), UnitType.TOWN, parent="蓝色硅谷核心区", park="蓝色硅谷园区"),
    UnitSpec("高新区城投集团", ("区城投集团", "城投集团"), UnitType.STATE_ENTERPRISE),
    UnitSpec("高新区科创发展集团", ("区科创集团", "科创集团"), UnitType.STATE_ENTERPRISE),
    UnitSpec("创建国家高新区工作专班", ("创建专班", "创建办"), UnitType.TASK_FORCE),
)

SCIENCE_BUREAU = "区科技创新局"


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    role: str
    unit: str = ""


ACCOUNTS: tuple[Account, ...] = (
    Account("admin", "张磊", Role.ADMIN),
    Account("supervisor", "李敏", Role.SUPERVISOR, "区委区政府督查室"),
    Account("leader", "陈志远", Role.LEADER),
    # A deputy in charge of (分管) one unit: the cockpit puts it first; an escalated order can be handed to him.
    Account("leader2", "王海涛", Role.LEADER, "区住房和城乡建设局"),
    Account("unithead", "刘洋", Role.UNIT_HEAD, SCIENCE_BUREAU),
    Account("liaison", "赵静", Role.LIAISON, SCIENCE_BUREAU),
    # A liaison of another unit, for checking that one unit cannot see or touch another's items.
    Account("liaison2", "孙浩", Role.LIAISON, "区发展和改革局"),
    Account("viewer", "周琳", Role.VIEWER),
    # 三权分立: reads the security audit trail and nothing else.
    Account("auditor", "吴桐", Role.AUDITOR),
    # Outside accounts, tied to their enterprise and bank by luoshi.demo.innovation.
    Account("qiye", "王晓", Role.ENTERPRISE, "演示企业"),
    Account("yinhang", "陈晨", Role.INSTITUTION, "青岛银行高新区支行"),
)
# The other units' liaisons, named so every report in the demo shows who handed it in. On record only: they
# cannot sign in (a password each would cost the build a second per ten people).
STAFF_NAMES = (
    "王晓东",
    "李丽华",
    "张建军",
    "刘海燕",
    "陈志强",
    "杨秀英",
    "黄文博",
    "赵雪梅",
    "吴国栋",
    "周春燕",
    "徐立新",
    "孙婷婷",
    "马俊杰",
    "朱玉兰",
    "胡振华",
    "郭晓燕",
    "何建平",
    "高淑芬",
    "林志刚",
    "罗美玲",
    "郑宏伟",
    "梁晓红",
    "谢永强",
    "宋佳琪",
    "唐德胜",
    "许慧敏",
    "韩立军",
    "冯雅静",
    "邓文涛",
    "曹丽娟",
)


# The other units' heads, on record the same way: the demo zone has the approval step on (reports pass the unit
# head before the office), and each unit's history shows who approved its reports.
HEAD_NAMES = (
    "钱卫东",
    "孔祥瑞",
    "曾凡荣",
    "彭建华",
    "吕志明",
    "苏文静",
    "蒋国华",
    "蔡明远",
    "贾晓峰",
    "丁海波",
    "魏振东",
    "薛红梅",
    "叶长青",
    "阎立平",
    "余秋实",
    "潘国庆",
    "杜晓光",
    "戴永红",
    "夏建国",
    "钟瑞林",
    "汪洪涛",
    "田丰收",
    "任建设",
    "姜文华",
    "范玉成",
    "方志勇",
    "石秀兰",
    "姚明辉",
    "谭德远",
    "廖春生",
)


def _unit_staff(role: str, prefix: str, names: tuple[str, ...]) -> list[Account]:
    covered = {a.unit for a in ACCOUNTS if a.role == role}
    units = [spec.name for spec in UNITS if spec.name not in covered]
    return [
        Account(f"{prefix}{n:02d}", name, role, unit)
        for n, (name, unit) in enumerate(zip(names, units, strict=False), start=1)
    ]


def staff() -> list[Account]:
    """A liaison and a head for each unit that has no demo account of that role, in the units' order."""
    return [*_unit_staff(Role.LIAISON, "lx", STAFF_NAMES), *_unit_staff(Role.UNIT_HEAD, "fz", HEAD_NAMES)]


OUTSIDE = (Role.ENTERPRISE, Role.INSTITUTION)
USERNAMES = tuple(a.username for a in (*ACCOUNTS, *staff()))


@dataclass
class DemoOrg:
    zone: Zone
    units: dict[str, Unit]  # by name and by every alias, as the plan data refers to them
    users: dict[str, User]  # by username

    def unit(self, name: str) -> Unit:
        return self.units[name]


def build_org() -> DemoOrg:
    zone = create_zone(ZONE_CODE, ZONE_NAME, ZONE_SHORT_NAME)
    parks = {name: create_park(zone, name, position) for position, name in enumerate(PARKS)}
    users = {a.username: create_person(a.username, PASSWORD, a.full_name) for a in ACCOUNTS}
    users |= {a.username: create_person(a.username, None, a.full_name) for a in staff()}
    admin = users["admin"]
    units: dict[str, Unit] = {}
    for position, spec in enumerate(UNITS):
        unit = create_unit(
            zone,
            spec.name,
            type=spec.type,
            parent=units[spec.parent] if spec.parent else None,
            park=parks[spec.park] if spec.park else None,
            aliases="\n".join(spec.aliases),
            position=position,
            user=admin,
        )
        for key in (spec.name, *spec.aliases):
            units[key] = unit
    for account in (*ACCOUNTS, *staff()):
        if account.role not in OUTSIDE:
            add_member(zone, users[account.username], account.role, units.get(account.unit), by=admin)
    set_approval_step(zone, True, admin)
    return DemoOrg(zone=zone, units=units, users=users)


def demo_users(zone: Zone) -> QuerySet[User]:
    return get_user_model().objects.filter(username__in=USERNAMES, memberships__zone=zone).distinct()


def taken_usernames() -> list[str]:
    """Demo usernames already held by someone outside the demo zone, whom the demo must not take over."""
    users = get_user_model().objects.filter(username__in=USERNAMES).exclude(memberships__zone__code=ZONE_CODE)
    return sorted(users.values_list("username", flat=True))
