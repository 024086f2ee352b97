from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.plans import actions
from luoshi.plans.models import Milestone, PlanItem, Target


def _url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"zone": "alpha", **kwargs})


def _item_data(world: World, **override: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "1.",
        "title": "培育高新技术企业",
        "description": "",
        "goal": "",
        "lead_unit": world.tech.pk,
        "co_units": [world.dev.pk],
        "start_date": "2026-01-01",
        "due_date": "2026-06-30",
        "due_text": "6月底前",
        "status": "in_progress",
        "weight": "2",
    }
    return data | override


def test_edit_item_and_see_history(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    response = client.post(
        _url("plans:item_edit", item_id=world.item_a.pk), _item_data(world, due_date="2026-07-31")
    )
    assert response.status_code == 302
    item = PlanItem.objects.get(pk=world.item_a.pk)
    assert item.due_date == date(2026, 7, 31) and list(item.co_units.all()) == [world.dev]
    body = client.get(_url("front:item_detail", item_id=item.pk)).content.decode()
    assert (
        "修改记录" in body
        and "2026-06-30" in body
        and "2026-07-31" in body
        and "新增配合单位：区发展和改革局" in body
    )


def test_item_form_errors_write_nothing(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    foreign_unit = world.other_plan.items.get().lead_unit
    assert foreign_unit is not None
    cases: list[tuple[dict[str, object], str]] = [
        ({"due_date": "2026-01-01", "start_date": "2026-02-01"}, "完成时限不能早于开始日期"),
        ({"weight": "-1"}, "权重不能为负数"),
        ({"due_date": "2026-02-30"}, "errorlist"),
        ({"title": ""}, "errorlist"),
        ({"lead_unit": foreign_unit.pk}, "errorlist"),
        ({"status": "finished"}, "errorlist"),
    ]
    for override, message in cases:
        response = client.post(
            _url("plans:item_edit", item_id=world.item_a.pk), _item_data(world, **override)
        )
        assert response.status_code == 200 and message in response.content.decode(), override
    item = PlanItem.objects.get(pk=world.item_a.pk)
    assert item.due_date == date(2026, 6, 30) and item.weight == 1 and item.history.count() == 1


def test_add_child_item(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    url = _url("plans:item_create", plan_id=world.plan.pk) + f"?parent={world.item_a.pk}"
    assert "新增第3级" in client.get(url).content.decode()  # the plan names two levels only
    response = client.post(url, _item_data(world, code="（1）", title="开展高企培训"))
    child = PlanItem.objects.get(title="开展高企培训")
    assert response.status_code == 302 and child.parent == world.item_a and child.depth == 3


def test_parent_from_another_plan_is_refused(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    other = world.other_plan.items.get()
    url = _url("plans:item_create", plan_id=world.plan.pk) + f"?parent={other.pk}"
    assert client.get(url).status_code == 404


def test_liaison_updates_status_and_milestones(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("liaison"))
    client.post(_url("plans:item_status", item_id=world.item_a.pk), {"status": "done"})
    assert PlanItem.objects.get(pk=world.item_a.pk).status == "done"
    client.post(
        _url("plans:milestone_create", item_id=world.item_a.pk),
        {"title": "完成申报", "due_date": "2026-05-31", "weight": "1"},
    )
    milestone = Milestone.objects.get(item=world.item_a)
    client.post(_url("plans:milestone_toggle", milestone_id=milestone.pk))
    milestone.refresh_from_db()
    assert milestone.done and milestone.done_on is not None
    body = client.get(_url("front:item_detail", item_id=world.item_a.pk)).content.decode()
    assert "完成申报" in body and _url("plans:item_edit", item_id=world.item_a.pk) not in body


def test_units_tick_milestones_but_only_the_office_deletes_them(
    world: World, login: Callable[[User], Client]
) -> None:
    """Security issue, defect 9: a co-unit's liaison deleted the office's overdue milestone (which removes what
    the MILESTONE rule checks). Units may tick it done; only the office deletes it."""
    milestone = actions.add_milestone(world.item_b, "完成建设", date(2026, 3, 31), Decimal("1"), None)
    delete = _url("plans:milestone_delete", milestone_id=milestone.pk)
    page = _url("front:item_detail", item_id=world.item_b.pk)
    for persona in ("liaison", "unithead", "liaison_dev"):  # co-unit 区科技创新局, and the lead unit
        client = login(world.user(persona))
        assert client.post(delete).status_code == 404, persona
        assert delete not in client.get(page).content.decode()
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    login(world.user("liaison")).post(_url("plans:milestone_toggle", milestone_id=milestone.pk))
    milestone.refresh_from_db()
    assert milestone.done
    client = login(world.user("supervisor"))
    assert delete in client.get(page).content.decode()
    assert client.post(delete).status_code == 302 and not Milestone.objects.filter(pk=milestone.pk).exists()


def test_bad_status_and_milestone_input(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("liaison"))
    client.post(_url("plans:item_status", item_id=world.item_a.pk), {"status": "finished"})
    assert PlanItem.objects.get(pk=world.item_a.pk).status == "not_started"
    response = client.post(
        _url("plans:milestone_create", item_id=world.item_a.pk),
        {"title": "", "due_date": "2026-13-01", "weight": "-1"},
        follow=True,
    )
    assert not Milestone.objects.exists()
    assert "权重不能为负数" in response.content.decode()


def test_targets_through_the_web(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    data = {
        "indicator": "新增高新技术企业",
        "unit_of_measure": "家",
        "baseline": "80",
        "target_value": "100",
        "direction": "increase",
    }
    client.post(_url("plans:target_create", item_id=world.item_a.pk), data)
    target = Target.objects.get()
    client.post(_url("plans:target_edit", target_id=target.pk), data | {"target_value": "120"})
    target.refresh_from_db()
    assert target.target_value == 120
    response = client.post(_url("plans:target_edit", target_id=target.pk), data | {"target_value": "很多"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    client.post(_url("plans:target_delete", target_id=target.pk))
    assert not Target.objects.exists()


def test_liaison_cannot_touch_targets_of_own_item(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("liaison"))
    assert client.get(_url("plans:target_create", item_id=world.item_a.pk)).status_code == 404


def test_move_up_down_and_to_another_parent(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    url = _url("plans:item_move", item_id=world.item_b.pk)
    client.post(url, {"direction": "up"})
    titles = list(PlanItem.objects.filter(plan=world.plan).values_list("title", flat=True))
    assert titles == ["科技创新", "建设创新平台", "培育高新技术企业", "扩大有效投资"]
    client.post(url, {"direction": "up"})  # already first: nothing happens
    client.post(url, {"direction": "down"})
    assert (
        list(PlanItem.objects.filter(plan=world.plan).values_list("title", flat=True))[1]
        == "培育高新技术企业"
    )
    body = client.get(_url("front:item_detail", item_id=world.item_b.pk)).content.decode()
    assert (
        f'<option value="{world.item_a.pk}"' in body and f'<option value="{world.task.pk}" selected' in body
    )
    client.post(url, {"parent": world.item_a.pk})
    moved = PlanItem.objects.get(pk=world.item_b.pk)
    assert moved.parent_id == world.item_a.pk and moved.depth == 3


def test_move_errors(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    response = client.post(
        _url("plans:item_move", item_id=world.task.pk), {"parent": world.item_a.pk}, follow=True
    )
    assert "不能把事项移动到它自己或它的下级之下" in response.content.decode()
    assert client.post(_url("plans:item_move", item_id=world.item_a.pk), {"parent": "abc"}).status_code == 404
    other = world.other_plan.items.get()
    assert (
        client.post(_url("plans:item_move", item_id=world.item_a.pk), {"parent": other.pk}).status_code == 404
    )
    assert PlanItem.objects.get(pk=world.item_a.pk).parent_id == world.task.pk
