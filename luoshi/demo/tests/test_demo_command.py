"""`luoshi demo`: the demo zone's structure, its accounts, and building it again."""

from collections.abc import Iterator
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from luoshi.demo.org import ACCOUNTS, PASSWORD, SCIENCE_BUREAU, ZONE_CODE
from luoshi.org.actions import create_person
from luoshi.org.choices import Role, UnitType
from luoshi.org.models import Membership, Unit, Zone
from luoshi.plans.choices import ItemStatus, PlanStatus
from luoshi.plans.models import ItemCoUnit, Milestone, Plan, PlanItem, Target

SHANGHAI = ZoneInfo("Asia/Shanghai")
MID_YEAR = datetime(2025, 7, 15, 9, 30, tzinfo=SHANGHAI)
NEXT_SPRING = datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)

pytestmark = pytest.mark.django_db

# An item as a user sees it: plan, path, code, title, start, due, due text, status, lead unit, co-units,
# targets and milestones (title, due, done, done on).
Row = tuple[
    str, str, str, str, date | None, date | None, str, str, str | None, list[str], list[str],
    list[tuple[str, date | None, bool, date | None]],
]  # fmt: skip


def run_demo(*args: str, when: datetime = MID_YEAR) -> str:
    out = StringIO()
    with time_machine.travel(when, tick=False):
        call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def output() -> str:
    return run_demo()


@pytest.fixture(scope="class")
def built(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """One build for the tests that only read it, rolled back after them; a build takes about half a second."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield run_demo()
        transaction.set_rollback(True)


def strategy() -> Plan:
    return Plan.objects.get(zone__code=ZONE_CODE, title__contains="1264")


def creation() -> Plan:
    return Plan.objects.get(zone__code=ZONE_CODE, title__contains="创建国家高新区")


def measures(plan: Plan) -> QuerySet[PlanItem]:
    return plan.items.filter(depth=len(plan.level_names))


def snapshot() -> list[Row]:
    """What a user sees of the demo plans, without ids."""
    items = (
        PlanItem.objects.filter(zone__code=ZONE_CODE)
        .select_related("plan", "lead_unit")
        .prefetch_related("co_unit_links__unit", "targets", "milestones")
        .order_by("plan__title", "path")
    )
    return [
        (
            item.plan.title,
            item.path,
            item.code,
            item.title,
            item.start_date,
            item.due_date,
            item.due_text,
            item.status,
            item.lead_unit.name if item.lead_unit else None,
            [link.unit.name for link in item.co_unit_links.all()],
            [str(t) for t in item.targets.all()],
            [(m.title, m.due_date, m.done, m.done_on) for m in item.milestones.all()],
        )
        for item in items
    ]


def row_counts() -> dict[str, int]:
    models: list[type[Model]] = [
        Zone,
        Unit,
        Membership,
        Plan,
        PlanItem,
        ItemCoUnit,
        Target,
        Milestone,
        get_user_model(),
    ]
    counts = {m.__name__: m._default_manager.count() for m in models}
    counts |= {f"history of {m.__name__}": m.history.count() for m in models if hasattr(m, "history")}
    return counts


def unit_name(membership: Membership) -> str:
    assert membership.unit is not None
    return membership.unit.name


class TestTheDemo:
    """What one build at mid-year holds."""

    def test_creation_plan_has_4_tasks_and_22_measures(self, built: str) -> None:
        plan = creation()
        assert plan.level_names == ["任务", "措施"]
        tasks = plan.items.filter(depth=1)
        assert [t.code for t in tasks] == ["一、", "二、", "三、", "四、"]
        assert measures(plan).count() == plan.items.filter(depth=2).count() == 22
        assert [m.code for m in measures(plan)] == [f"{n}." for n in range(1, 23)]
        assert not measures(plan).filter(Q(co_units=None) | Q(due_text="")).exists()

    def test_1264_plan_has_1_goal_2_directions_6_actions_4_guarantees(self, built: str) -> None:
        plan = strategy()
        assert plan.level_names == ["目标", "方向", "行动", "任务", "措施"]
        [goal] = plan.items.filter(depth=1)
        assert goal.title == "力争五年重回全国高新区前十"
        branches = {b.title: b for b in goal.children.all()}
        assert list(branches) == ["创建创新驱动发展示范区", "创建高质量发展先行区", "强化四个保障"]
        actions = PlanItem.objects.filter(
            parent__in=[branches["创建创新驱动发展示范区"], branches["创建高质量发展先行区"]]
        )
        assert sorted(a.title for a in actions) == sorted(
            f"实施{name}行动"
            for name in (
                "科技创新能力提升",
                "项目落地攻坚",
                "产业培育提质",
                "人才集聚增效",
                "金融服务提升",
                "城市品质提升",
            )
        )
        guarantees = branches["强化四个保障"].children.all()
        assert [g.title for g in guarantees] == [
            f"强化{n}保障" for n in ("党建引领", "改革创新", "营商环境", "安全稳定")
        ]
        assert [g.code for g in guarantees] == ["（一）", "（二）", "（三）", "（四）"]
        tasks = plan.items.filter(depth=4).annotate(n=Count("children"))
        assert all(
            2 <= n <= 4
            for n in plan.items.filter(depth=3).annotate(n=Count("children")).values_list("n", flat=True)
        )
        assert all(2 <= n <= 4 for n in tasks.values_list("n", flat=True))
        assert measures(plan).filter(code="（1）").count() == tasks.count()

    def test_every_measure_has_a_lead_unit_and_a_deadline(self, built: str) -> None:
        for plan in (strategy(), creation()):
            assert plan.status == PlanStatus.ISSUED
            assert not measures(plan).filter(Q(lead_unit=None) | Q(due_text="")).exists()
            assert not plan.items.filter(children__isnull=True).exclude(depth=len(plan.level_names)).exists()
        assert Target.objects.filter(item__plan=strategy()).count() > 40

    def test_units_follow_the_seed_articles(self, built: str) -> None:
        zone = Zone.objects.get(code=ZONE_CODE)
        assert "演示" in zone.name and zone.parks.count() >= 3
        units = Unit.objects.filter(zone=zone)
        assert {UnitType(u.type) for u in units} >= {
            UnitType.DEPARTMENT,
            UnitType.FUNCTIONAL_AREA,
            UnitType.TOWN,
            UnitType.STATE_ENTERPRISE,
            UnitType.TASK_FORCE,
        }
        assert units.get(name="区发展和改革局").alias_list == ["区发改局", "发改局"]
        assert "区科技局" in units.get(name=SCIENCE_BUREAU).alias_list
        parent = units.get(name="红岛街道").parent
        assert parent is not None and parent.name == "红岛经济区"
        assert units.filter(name__contains="督查室").exists()

    def test_every_role_has_an_account(self, built: str) -> None:
        members = Membership.objects.filter(zone__code=ZONE_CODE).select_related("user", "unit")
        assert {m.role for m in members} == set(Role.values)
        by_user = {m.user.username: m for m in members}
        assert unit_name(by_user["supervisor"]) == "区委区政府督查室"
        assert unit_name(by_user["unithead"]) == unit_name(by_user["liaison"]) == SCIENCE_BUREAU
        assert unit_name(by_user["liaison2"]) == "区发展和改革局"
        for account in ACCOUNTS:
            user = authenticate(username=account.username, password=PASSWORD)
            assert user is not None and user.first_name == account.full_name
        for username in ("admin", "supervisor", "leader", "unithead", "liaison", "viewer", PASSWORD):
            assert username in built
        assert "http://127.0.0.1:8000/" in built

    def test_liaisons_unit_leads_and_co_operates_in_both_plans(self, built: str) -> None:
        science = Unit.objects.get(zone__code=ZONE_CODE, name=SCIENCE_BUREAU)
        for plan in (strategy(), creation()):
            assert measures(plan).filter(lead_unit=science).count() >= 3
            assert measures(plan).filter(co_units=science).count() >= 2
        # The other liaison's unit has items of its own that the science bureau has no part in.
        development = Unit.objects.get(zone__code=ZONE_CODE, name="区发展和改革局")
        assert PlanItem.objects.filter(lead_unit=development).exclude(co_units=science).exists()

    def test_the_year_is_in_progress(self, built: str) -> None:
        today = MID_YEAR.date()
        items = PlanItem.objects.filter(zone__code=ZONE_CODE, depth__gt=1)
        assert {
            d.year for d in items.exclude(due_date=None).values_list("due_date", flat=True) if d is not None
        } == {2025}
        past = measures(strategy()).filter(due_date__lt=today) | measures(creation()).filter(
            due_date__lt=today
        )
        overdue = past.exclude(status=ItemStatus.DONE)
        assert past.count() >= 15
        assert 2 <= overdue.count() <= past.count() // 4
        assert set(overdue.values_list("status", flat=True)) == {ItemStatus.IN_PROGRESS}
        future = items.filter(due_date__gt=today).values_list("status", flat=True)
        assert {ItemStatus.IN_PROGRESS, ItemStatus.NOT_STARTED} <= set(future)
        milestones = Milestone.objects.filter(item__zone__code=ZONE_CODE)
        assert not milestones.filter(item__status=ItemStatus.DONE, done=False).exists()
        assert not milestones.filter(done=True, done_on__gt=today).exists()
        assert milestones.filter(done=True).exists() and milestones.filter(done=False).exists()

    def test_the_supervisor_has_edited_a_few_items(self, built: str) -> None:
        supervisor = get_user_model().objects.get(username="supervisor")
        moved = PlanItem.history.filter(history_user=supervisor, history_type="~")
        assert moved.count() == 2
        item = PlanItem.objects.get(zone__code=ZONE_CODE, title="筹集青年人才公寓")
        assert [r.due_text for r in item.history.order_by("history_id")] == ["10月底前", "11月底前"]
        added = ItemCoUnit.history.filter(history_user=supervisor, history_type="+")
        assert added.count() == 2


def test_a_second_run_without_reset_changes_nothing(output: str) -> None:
    before = row_counts()
    again = run_demo()
    assert row_counts() == before
    assert "已存在" in again and "liaison2" in again


def test_reset_rebuilds_the_same_data(output: str) -> None:
    zone_id = Zone.objects.get(code=ZONE_CODE).pk
    before, counts = snapshot(), row_counts()
    assert len(before) == 101 + 26
    run_demo("--reset")
    assert Zone.objects.get(code=ZONE_CODE).pk != zone_id
    assert snapshot() == before
    assert {k: v for k, v in row_counts().items() if not k.startswith("history")} == {
        k: v for k, v in counts.items() if not k.startswith("history")
    }


def test_a_build_on_another_date_shifts_the_year(output: str) -> None:
    before = snapshot()
    run_demo("--reset", when=NEXT_SPRING)
    after = snapshot()
    assert {p.year for p in Plan.objects.filter(zone__code=ZONE_CODE)} == {2026}
    assert [row[3] for row in after] == [row[3] for row in before]
    assert [row[5] and row[5].replace(year=2025) for row in after] == [row[5] for row in before]
    done_before = sum(row[7] == ItemStatus.DONE for row in before)
    assert sum(row[7] == ItemStatus.DONE for row in after) < done_before


def test_does_not_take_over_someone_elses_username() -> None:
    create_person("admin", "not-the-demo-password")
    with pytest.raises(CommandError, match="admin"):
        run_demo()
    assert not Zone.objects.filter(code=ZONE_CODE).exists()


def test_prints_the_address_make_demo_serves_on(output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make demo PORT=8777` passes --url; without it LUOSHI_DEMO_URL, else Django's default address."""
    assert "http://127.0.0.1:8000/" in output
    again = run_demo("--url", "http://0.0.0.0:8777/")
    assert "http://0.0.0.0:8777/" in again and "8000" not in again
    monkeypatch.setenv("LUOSHI_DEMO_URL", "http://10.1.2.3:9000/")
    assert "http://10.1.2.3:9000/" in run_demo()


def test_make_demo_passes_host_and_port() -> None:
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    assert "$(BIN)/luoshi demo --url http://$(HOST):$(PORT)/" in makefile
