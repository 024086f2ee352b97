from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.org.models import Unit


def _url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"zone": "alpha", **kwargs})


def test_create_and_edit_unit_with_history(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    data = {"name": "区财政局", "type": "department", "aliases": "财政局", "position": 5, "is_active": "on"}
    assert client.post(_url("org:unit_create"), data).status_code == 302
    unit = Unit.objects.get(zone=world.zone, name="区财政局")
    data |= {"name": "区财政局（国资局）", "parent": world.dev.pk}
    assert client.post(_url("org:unit_edit", unit_id=unit.pk), data).status_code == 302
    unit.refresh_from_db()
    assert unit.parent == world.dev
    record = unit.history.first()
    assert record.history_user == world.user("supervisor") and record.name == "区财政局（国资局）"


def test_unit_form_errors(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    response = client.post(
        _url("org:unit_create"), {"name": "区科技创新局", "type": "department", "position": 0}
    )
    assert "本园区已有名为“区科技创新局”的单位" in response.content.decode()
    response = client.post(_url("org:unit_create"), {"name": "新单位", "type": "spaceship", "position": 0})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    # A unit cannot sit under its own child.
    child = Unit.objects.create(zone=world.zone, name="科技园", parent=world.tech)
    data = {"name": "区科技创新局", "type": "department", "position": 0, "parent": child.pk}
    response = client.post(_url("org:unit_edit", unit_id=world.tech.pk), data)
    assert "上级单位不能是本单位或其下级单位" in response.content.decode()
    world.tech.refresh_from_db()
    assert world.tech.parent is None


def test_parent_from_another_zone_is_refused(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    foreign = Unit.objects.get(zone=world.other_zone)
    response = client.post(
        _url("org:unit_create"), {"name": "新单位", "type": "department", "position": 0, "parent": foreign.pk}
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(name="新单位").exists()


def test_parks_add_rename_and_errors(world: World, login: Callable[[User], Client]) -> None:
    from luoshi.org.models import Park

    client = login(world.user("supervisor"))
    client.post(_url("org:park_create"), {"name": "蓝色硅谷园区"})
    park = Park.objects.get(zone=world.zone)
    client.post(_url("org:park_edit", park_id=park.pk), {"name": "蓝谷园区"})
    park.refresh_from_db()
    assert park.name == "蓝谷园区"
    response = client.post(_url("org:park_create"), {"name": "蓝谷园区"}, follow=True)
    assert "已有名为“蓝谷园区”的园区" in response.content.decode()
    response = client.post(_url("org:park_create"), {"name": "  "}, follow=True)
    assert Park.objects.filter(zone=world.zone).count() == 1
    assert login(world.user("liaison")).post(_url("org:park_create"), {"name": "x"}).status_code == 404
    assert (
        login(world.user("viewer")).post(_url("org:park_edit", park_id=park.pk), {"name": "x"}).status_code
        == 404
    )
    outsider = login(world.user("outsider"))
    assert outsider.post(_url("org:park_edit", park_id=park.pk), {"name": "x"}).status_code == 404
