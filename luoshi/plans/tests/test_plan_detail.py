from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.conftest import World
from luoshi.plans import actions as plan_actions
from luoshi.plans.models import ItemCoUnit, Plan, PlanItem


def _big_plan(world: World, n_tasks: int = 50, per_task: int = 99) -> Plan:
    """A plan of n_tasks × (1 + per_task) items (5,000 by default), written in bulk."""
    plan = Plan.objects.create(
        zone=world.zone, year=2026, title="大计划", level_names=["任务", "措施"], status="issued"
    )
    tasks = [
        PlanItem(
            zone=world.zone, plan=plan, path=PlanItem.segment(t), depth=1, title=f"任务{t}", code=f"{t + 1}."
        )
        for t in range(n_tasks)
    ]
    PlanItem.objects.bulk_create(tasks)
    measures = [
        PlanItem(
            zone=world.zone,
            plan=plan,
            parent=task,
            path=task.path + PlanItem.segment(m),
            depth=2,
            title=f"措施{t}-{m}",
            lead_unit=world.tech if m % 2 else world.dev,
        )
        for t, task in enumerate(tasks)
        for m in range(per_task)
    ]
    PlanItem.objects.bulk_create(measures, batch_size=1000)
    ItemCoUnit.objects.bulk_create(
        [ItemCoUnit(zone=world.zone, item=m, unit=world.office) for m in measures[::3]], batch_size=1000
    )
    return plan


def test_plan_page_of_5000_items_in_at_most_10_queries(
    world: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    plan = _big_plan(world)
    assert plan.items.count() == 5000
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": plan.pk})
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    # 50 tasks fit the page; their 4,950 measures would not, so they open on demand.
    assert body.count('data-path="') == 50
    assert body.count("toggle lazy") == 50
    assert '<span class="stat">5000</span>' in body  # the overview still counts the whole plan
    task = plan.items.get(path="001d")
    children_url = reverse(
        "plans:plan_children", kwargs={"zone": "alpha", "plan_id": plan.pk, "item_id": task.pk}
    )
    assert f'hx-get="{children_url}"' in body
    with django_assert_max_num_queries(8):
        children = client.get(children_url).content.decode()
    assert children.count('data-path="001d') == 99 and "措施49-98" in children


def test_expand_all_renders_every_row(world: World, login: Callable[[User], Client]) -> None:
    plan = _big_plan(world, n_tasks=10, per_task=60)
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": plan.pk})
    assert client.get(url).content.decode().count('data-path="') == 10
    assert client.get(url, {"expand": "all"}).content.decode().count('data-path="') == 610


def test_small_plans_open_fully(world: World, login: Callable[[User], Client]) -> None:
    plan = _big_plan(world, n_tasks=10, per_task=20)
    body = login(world.user("supervisor")).get(
        reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": plan.pk})
    )
    assert body.content.decode().count('data-path="') == 210
    assert "toggle lazy" not in body.content.decode()


def test_long_filtered_lists_page_on(world: World, login: Callable[[User], Client]) -> None:
    plan = _big_plan(world, n_tasks=12, per_task=99)  # 588 measures led by 区科技创新局
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": plan.pk})
    first = client.get(url, {"unit": world.tech.pk}).content.decode()
    assert first.count('data-path="') == 500
    assert f"unit={world.tech.pk}&amp;offset=500" in first
    rest = client.get(url, {"unit": world.tech.pk, "offset": 500}).content.decode()
    assert rest.count('data-path="') == 88 and "<html" not in rest


def test_children_of_an_item_the_user_cannot_see_are_empty(
    world: World, login: Callable[[User], Client]
) -> None:
    client = login(world.user("liaison"))
    url = reverse(
        "plans:plan_children", kwargs={"zone": "alpha", "plan_id": world.plan.pk, "item_id": world.task.pk}
    )
    body = client.get(url).content.decode()
    assert "培育高新技术企业" in body and "扩大有效投资" not in body
    other = reverse(
        "plans:plan_children", kwargs={"zone": "alpha", "plan_id": world.other_plan.pk, "item_id": 1}
    )
    assert client.get(other).status_code == 404


def test_children_of_an_item_of_another_plan_or_zone_are_404(
    world: World, login: Callable[[User], Client]
) -> None:
    """Security issue, defect 12: plans/<p>/children/<item of another plan or zone>/ answered 200, empty."""
    second = plan_actions.create_plan(world.zone, 2026, "第二个计划", ["任务"], None)
    elsewhere = plan_actions.add_item(second, None, {"title": "别的计划的任务"}, [], None)
    beta_item = world.other_plan.items.get()
    client = login(world.user("supervisor"))
    for item in (elsewhere, beta_item):
        url = reverse(
            "plans:plan_children", kwargs={"zone": "alpha", "plan_id": world.plan.pk, "item_id": item.pk}
        )
        assert client.get(url).status_code == 404


def test_liaison_page_is_bounded_too(
    world: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    plan = _big_plan(world, n_tasks=10, per_task=20)
    client = login(world.user("liaison"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": plan.pk}))
    body = response.content.decode()
    assert body.count('data-path="') == 100  # the odd measures: led by 区科技创新局
    assert "措施0-0" not in body and "措施0-1" in body


def test_filters(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": world.plan.pk})
    body = client.get(url, {"unit": world.dev.pk}).content.decode()
    assert "建设创新平台" in body and "扩大有效投资" in body and "培育高新技术企业" not in body
    body = client.get(url, {"q": "创新平台"}).content.decode()
    assert body.count('data-path="') == 1


def test_htmx_filter_returns_only_the_tree_fragment(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": world.plan.pk})
    body = client.get(url, {"status": "not_started"}, headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith('<div id="tree">')
    assert "<html" not in body


def test_bad_filter_values_are_ignored(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": world.plan.pk})
    response = client.get(url, {"unit": "abc", "status": "nonsense"})
    assert response.status_code == 200
    assert response.content.decode().count('data-path="') == 4
