from django.urls import reverse

from luoshi.plans.models import ItemCoUnit, Plan, PlanItem


def _big_plan(world, n_tasks: int = 50, per_task: int = 99) -> Plan:
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


def test_plan_page_of_5000_items_in_at_most_10_queries(world, login, django_assert_max_num_queries):
    plan = _big_plan(world)
    assert plan.items.count() == 5000
    client = login(world.user("supervisor"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": plan.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-path="') == 5000
    assert "措施49-98" in body


def test_liaison_page_is_bounded_too(world, login, django_assert_max_num_queries):
    plan = _big_plan(world, n_tasks=10, per_task=20)
    client = login(world.user("liaison"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": plan.pk}))
    body = response.content.decode()
    assert body.count('data-path="') == 100  # the odd measures: led by 区科技创新局
    assert "措施0-0" not in body and "措施0-1" in body


def test_filters(world, login):
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": world.plan.pk})
    body = client.get(url, {"unit": world.dev.pk}).content.decode()
    assert "建设创新平台" in body and "扩大有效投资" in body and "培育高新技术企业" not in body
    body = client.get(url, {"q": "创新平台"}).content.decode()
    assert body.count('data-path="') == 1


def test_htmx_filter_returns_only_the_tree_fragment(world, login):
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": world.plan.pk})
    body = client.get(url, {"status": "not_started"}, headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith('<div id="tree">')
    assert "<html" not in body


def test_bad_filter_values_are_ignored(world, login):
    client = login(world.user("supervisor"))
    url = reverse("plans:plan_detail", kwargs={"zone": "alpha", "plan_id": world.plan.pk})
    response = client.get(url, {"unit": "abc", "status": "nonsense"})
    assert response.status_code == 200
    assert response.content.decode().count('data-path="') == 4
