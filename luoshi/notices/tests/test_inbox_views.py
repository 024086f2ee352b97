from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.conftest import World
from luoshi.notices import actions
from luoshi.notices.choices import NoticeKind
from luoshi.notices.models import Notification


def _url(name: str, zone: str = "alpha", **kwargs: object) -> str:
    return reverse(f"notices:{name}", kwargs={"zone": zone, **kwargs})


def _notify(world: World, persona: str, key: str, link: str = "/z/alpha/plans/1/") -> Notification:
    actions.notify(
        world.zone, [world.user(persona)], NoticeKind.WARNING, f"预警 {key}", "事项逾期", link, key
    )
    return Notification.objects.get(dedupe_key=key, recipient=world.user(persona))


def test_everyone_sees_only_their_own(
    world: World, login: Callable[[User], Client], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _notify(world, "liaison", "mine-1")
    _notify(world, "liaison", "mine-2")
    _notify(world, "liaison_dev", "theirs")
    actions.notify(world.other_zone, [world.user("liaison")], NoticeKind.OTHER, "乙区通知", "", "", "beta")
    client = login(world.user("liaison"))
    with django_assert_max_num_queries(6):
        body = client.get(_url("inbox")).content.decode()
    assert "预警 mine-1" in body and "预警 mine-2" in body
    assert "预警 theirs" not in body and "乙区通知" not in body
    for persona in ("viewer", "admin"):
        assert "预警 mine" not in login(world.user(persona)).get(_url("inbox")).content.decode()


def test_unread_filter_and_paging(world: World, login: Callable[[User], Client]) -> None:
    first = _notify(world, "viewer", "old")
    for i in range(50):
        _notify(world, "viewer", f"k{i}")
    actions.mark_read(first)
    client = login(world.user("viewer"))
    page = client.get(_url("inbox")).content.decode()
    assert "预警 k49" in page and "预警 old" not in page and "更早的通知" in page
    older = client.get(_url("inbox"), {"before": Notification.objects.filter(dedupe_key="k0").get().pk})
    assert "预警 old" in older.content.decode()
    unread = client.get(_url("inbox"), {"show": "unread"}).content.decode()
    assert "预警 k0" in unread and "更早的通知" not in unread


def test_mark_one_read_with_and_without_htmx(world: World, login: Callable[[User], Client]) -> None:
    a, b = _notify(world, "liaison", "a"), _notify(world, "liaison", "b")
    client = login(world.user("liaison"))
    assert client.get(_url("notice_read", notice_id=a.pk)).status_code == 405
    response = client.post(_url("notice_read", notice_id=a.pk))
    assert response.status_code == 302 and response["Location"] == _url("inbox")
    response = client.post(_url("notice_read", notice_id=b.pk), HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert f'id="notice-{b.pk}"' in fragment and "<html" not in fragment and "已读" in fragment
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_open_marks_read_and_follows_only_local_links(world: World, login: Callable[[User], Client]) -> None:
    local = _notify(world, "liaison", "local")
    foreign = _notify(world, "liaison", "foreign", link="https://evil.example.com/")
    client = login(world.user("liaison"))
    assert client.get(_url("notice_open", notice_id=local.pk))["Location"] == "/z/alpha/plans/1/"
    assert client.get(_url("notice_open", notice_id=foreign.pk))["Location"] == _url("inbox")
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_mark_all_read_touches_only_mine_in_this_zone(world: World, login: Callable[[User], Client]) -> None:
    _notify(world, "liaison", "a")
    _notify(world, "liaison", "b")
    theirs = _notify(world, "liaison_dev", "c")
    actions.notify(world.other_zone, [world.user("liaison")], NoticeKind.OTHER, "乙区", "", "", "beta")
    response = login(world.user("liaison")).post(_url("inbox_read_all"), follow=True)
    assert "已将 2 条通知标为已读" in response.content.decode()
    assert set(Notification.objects.filter(read_at__isnull=True)) == {
        theirs,
        Notification.objects.get(dedupe_key="beta"),
    }


def test_someone_elses_notification_does_not_exist(world: World, login: Callable[[User], Client]) -> None:
    notice = _notify(world, "liaison", "private")
    for persona in ("liaison_dev", "admin", "viewer"):
        client = login(world.user(persona))
        assert client.get(_url("notice_open", notice_id=notice.pk)).status_code == 404
        assert client.post(_url("notice_read", notice_id=notice.pk)).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_outsiders_and_anonymous_users(world: World, login: Callable[[User], Client], client: Client) -> None:
    assert client.get(_url("inbox")).status_code == 302  # to the login page
    outsider = login(world.user("outsider"))
    assert outsider.get(_url("inbox")).status_code == 404
    assert outsider.get(_url("inbox", zone="beta")).status_code == 200
    assert login(world.user("nobody")).get(_url("inbox")).status_code == 404
