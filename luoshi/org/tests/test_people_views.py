from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import PASSWORD, World
from luoshi.org.models import Membership


def _url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"zone": "alpha", **kwargs})


def test_admin_adds_a_liaison_who_can_then_log_in(
    world: World, login: Callable[[User], Client], client: Client
) -> None:
    admin = login(world.user("admin"))
    data = {
        "username": "zhang",
        "full_name": "张三",
        "password": "Luoshi#2026x",
        "role": "liaison",
        "unit": world.dev.pk,
    }
    response = admin.post(_url("org:person_create"), data)
    person = User.objects.get(username="zhang")
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert (membership.zone, membership.role, membership.unit) == (world.zone, "liaison", world.dev)
    client.logout()
    assert client.login(username="zhang", password="Luoshi#2026x")


def test_person_form_errors(world: World, login: Callable[[User], Client]) -> None:
    admin = login(world.user("admin"))
    cases = [
        ({"username": "liaison"}, "已被使用"),
        ({"role": "liaison", "unit": ""}, "必须指定单位"),
        ({"password": "123"}, "errorlist"),
        ({"username": "有 空格"}, "用户名只能包含"),
    ]
    for override, expected in cases:
        data = {
            "username": "li",
            "full_name": "李四",
            "password": "Luoshi#2026x",
            "role": "viewer",
            **override,
        }
        response = admin.post(_url("org:person_create"), data)
        assert response.status_code == 200, override
        assert expected in response.content.decode(), override
    assert not User.objects.filter(username="li").exists()


def test_roles_password_and_deactivation(
    world: World, login: Callable[[User], Client], client: Client
) -> None:
    admin = login(world.user("admin"))
    liaison = world.user("liaison")
    admin.post(_url("org:membership_add", user_id=liaison.pk), {"role": "viewer"})
    assert set(Membership.objects.filter(user=liaison).values_list("role", flat=True)) == {
        "liaison",
        "viewer",
    }
    admin.post(_url("org:person_password", user_id=liaison.pk), {"password": "Another#Pass9"})
    admin.post(_url("org:person_active", user_id=liaison.pk), {"active": "0"})
    liaison.refresh_from_db()
    assert not liaison.is_active and liaison.check_password("Another#Pass9")
    for membership in Membership.objects.filter(user=liaison):
        admin.post(_url("org:membership_remove", membership_id=membership.pk))
    assert not Membership.objects.filter(user=liaison).exists()


def test_admin_cannot_lock_themselves_out(world: World, login: Callable[[User], Client]) -> None:
    admin_user = world.user("admin")
    admin = login(admin_user)
    admin.post(_url("org:person_active", user_id=admin_user.pk), {"active": "0"})
    admin.post(_url("org:membership_remove", membership_id=admin_user.memberships.get().pk))
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.memberships.filter(role="admin").exists()


def test_login_page_and_wrong_password(world: World, client: Client) -> None:
    response = client.post(reverse("login"), {"username": "liaison", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    response = client.post(reverse("login"), {"username": "liaison", "password": PASSWORD})
    assert response.status_code == 302
