from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from pytest_django import DjangoAssertNumQueries

from luoshi.conftest import World
from luoshi.notices import actions
from luoshi.notices.choices import NoticeKind
from luoshi.notices.context import unread
from luoshi.notices.models import Notification
from luoshi.org.queries import access_for


def test_counts_my_unread_notices_in_one_query(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    liaison = world.user("liaison")
    for key in ("a", "b", "c"):
        actions.notify(world.zone, [liaison], NoticeKind.OTHER, key, "", "", key)
    actions.notify(world.zone, [world.user("liaison_dev")], NoticeKind.OTHER, "d", "", "", "d")
    actions.mark_read(Notification.objects.get(dedupe_key="a"))
    request = RequestFactory().get("/z/alpha/")
    request.user = liaison
    request.access = access_for(liaison, "alpha")  # type: ignore[attr-defined]  # as the zone middleware does
    with django_assert_num_queries(1):
        assert unread(request) == {"unread_notices": 2}


def test_nothing_outside_a_zone_or_when_logged_out(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    request = RequestFactory().get("/")
    request.user = world.user("liaison")
    with django_assert_num_queries(0):
        assert unread(request) == {}
    request.user = AnonymousUser()
    assert unread(request) == {}
