from collections.abc import Callable
from urllib.parse import quote

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.plans.models import Plan


def _url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"zone": "alpha", **kwargs})


def test_create_plan(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    data = {"title": "2026年招商引资攻坚", "year": 2026, "level_names": "战役 / 任务、措施"}
    response = client.post(_url("plans:plan_create"), data)
    plan = Plan.objects.get(title="2026年招商引资攻坚")
    assert response["Location"] == _url("plans:plan_detail", plan_id=plan.pk)
    assert plan.level_names == ["战役", "任务", "措施"] and plan.status == "draft"


def test_plan_form_errors(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    for data, message in [
        ({"title": "2026年重点工作", "year": 2026, "level_names": "任务"}, "该年度已有同名计划"),
        ({"title": "x", "year": 1999, "level_names": "任务"}, "errorlist"),
        ({"title": "x", "year": 2026, "level_names": " / "}, "至少填写一个层级名称"),
        ({"title": "", "year": 2026, "level_names": "任务"}, "errorlist"),
    ]:
        response = client.post(_url("plans:plan_create"), data)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert Plan.objects.filter(zone=world.zone).count() == 1


def test_edit_issue_withdraw_delete(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    client.post(
        _url("plans:plan_edit", plan_id=world.plan.pk),
        {"title": "改名", "year": 2026, "level_names": "任务/措施"},
    )
    world.plan.refresh_from_db()
    assert world.plan.title == "改名"
    # Issued plans cannot be deleted.
    client.post(_url("plans:plan_delete", plan_id=world.plan.pk))
    assert Plan.objects.filter(pk=world.plan.pk).exists()
    client.post(_url("plans:plan_issue", plan_id=world.plan.pk), {"withdraw": "1"})
    world.plan.refresh_from_db()
    assert world.plan.status == "draft"
    client.post(_url("plans:plan_delete", plan_id=world.plan.pk))
    assert not Plan.objects.filter(pk=world.plan.pk).exists()


def test_export_download(world: World, login: Callable[[User], Client]) -> None:
    response = login(world.user("liaison")).get(_url("plans:plan_export", plan_id=world.plan.pk))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith("filename*=UTF-8''" + quote("2026年重点工作.xlsx"))
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(response.content)).active
    texts = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "2.建设创新平台" in texts and "3.扩大有效投资" not in texts  # the liaison exports their own items
