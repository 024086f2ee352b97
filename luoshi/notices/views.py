from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.lib.htmx import render_page
from luoshi.notices import actions, queries
from luoshi.notices.choices import OutboxStatus
from luoshi.notices.forms import EndpointForm
from luoshi.notices.models import WebhookEndpoint
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view

INBOX_PAGE = 50
OUTBOX_PAGE = 100


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_safe
@zone_view
def inbox(request: ZoneRequest, access: Access) -> HttpResponse:
    notices = queries.inbox(access)
    unread_only = request.GET.get("show") == "unread"
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    before = _int(request.GET.get("before"))
    if before:  # "older": keyset paging, no COUNT over a long inbox
        notices = notices.filter(pk__lt=before)
    page = list(notices[: INBOX_PAGE + 1])
    context = {
        "notices": page[:INBOX_PAGE],
        "older": page[INBOX_PAGE - 1].pk if len(page) > INBOX_PAGE else None,
        "unread_only": unread_only,
        "nav": "inbox",
    }
    return render_page(request, "notices/inbox.html", context, partial="list")


@require_safe
@zone_view
def notice_open(request: ZoneRequest, access: Access, notice_id: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way (a real link: works without JS)."""
    notice = queries.get_notification(access, notice_id)
    actions.mark_read(notice)
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect(notice.link)
    return redirect("notices:inbox", access.zone.code)


@require_POST
@zone_view
def notice_read(request: ZoneRequest, access: Access, notice_id: int) -> HttpResponse:
    notice = queries.get_notification(access, notice_id)
    actions.mark_read(notice)
    if request.htmx:
        return render(request, "notices/inbox.html#notice", {"n": notice})
    return redirect("notices:inbox", access.zone.code)


@require_POST
@zone_view
def inbox_read_all(request: ZoneRequest, access: Access) -> HttpResponse:
    count = actions.mark_all_read(access.zone, request.user)
    messages.success(request, _("已将 %(count)d 条通知标为已读") % {"count": count})
    return redirect("notices:inbox", access.zone.code)


@require_safe
@zone_view
def endpoint_list(request: ZoneRequest, access: Access) -> HttpResponse:
    context = {"endpoints": queries.zone_endpoints(access), "nav": "notices"}
    return render(request, "notices/endpoint_list.html", context)


@zone_view
def endpoint_create(request: ZoneRequest, access: Access) -> HttpResponse:
    queries.zone_endpoints(access)  # admins and the supervision office only
    form = EndpointForm(request.POST or None, zone=access.zone)
    if request.method == "POST" and form.is_valid():
        endpoint = actions.create_endpoint(access.zone, form.cleaned_data, request.user, request)
        messages.success(request, _("已新增群机器人“%(name)s”") % {"name": endpoint.name})
        return redirect("notices:endpoint_list", access.zone.code)
    return render(request, "notices/endpoint_form.html", {"form": form, "nav": "notices"})


@zone_view
def endpoint_edit(request: ZoneRequest, access: Access, endpoint_id: int) -> HttpResponse:
    endpoint = queries.get_endpoint(access, endpoint_id)
    # The form gets its own copy: update_endpoint compares the saved values with the cleaned ones.
    form = EndpointForm(
        request.POST or None, zone=access.zone, instance=WebhookEndpoint.objects.get(pk=endpoint.pk)
    )
    if request.method == "POST" and form.is_valid():
        actions.update_endpoint(endpoint, form.cleaned_data, request.user, request)
        messages.success(request, _("已保存"))
        return redirect("notices:endpoint_list", access.zone.code)
    context = {"form": form, "endpoint": endpoint, "nav": "notices"}
    return render(request, "notices/endpoint_form.html", context)


@require_POST
@zone_view
def endpoint_deactivate(request: ZoneRequest, access: Access, endpoint_id: int) -> HttpResponse:
    endpoint = queries.get_endpoint(access, endpoint_id)
    actions.deactivate_endpoint(endpoint, request.user, request)
    messages.success(request, _("已停用群机器人“%(name)s”") % {"name": endpoint.name})
    return redirect("notices:endpoint_list", access.zone.code)


@require_POST
@zone_view
def endpoint_test(request: ZoneRequest, access: Access, endpoint_id: int) -> HttpResponse:
    endpoint = queries.get_endpoint(access, endpoint_id)
    if not endpoint.is_active:
        messages.error(request, _("群机器人已停用，请先启用"))
        return redirect("notices:endpoint_list", access.zone.code)
    outcome = actions.send_test_message(endpoint, request.user, request)
    # The status and the platform's code only: the answer's body is neither kept nor shown.
    codes = {
        "status": outcome.status_code or "—",
        "code": "—" if outcome.platform_code is None else outcome.platform_code,
        "error": outcome.error,
    }
    if outcome.ok:
        messages.success(
            request, _("测试消息已送达（HTTP %(status)s，平台错误码 %(code)s），请在群里查看") % codes
        )
    else:
        messages.error(
            request, _("测试消息发送失败：%(error)s（HTTP %(status)s，平台错误码 %(code)s）") % codes
        )
    return redirect("notices:endpoint_list", access.zone.code)


@require_safe
@zone_view
def outbox_list(request: ZoneRequest, access: Access) -> HttpResponse:
    outbox = queries.zone_outbox(access)
    status = request.GET.get("status", "")
    shown = outbox.filter(status=status) if status in OutboxStatus.values else outbox
    totals = dict(outbox.order_by().values_list("status").annotate(n=Count("pk")))
    context = {
        "outbox": shown[:OUTBOX_PAGE],
        "status": status,
        "statuses": [(value, label, totals.get(value, 0)) for value, label in OutboxStatus.choices],
        "nav": "notices",
    }
    return render(request, "notices/outbox_list.html", context)


@require_POST
@zone_view
def outbox_retry(request: ZoneRequest, access: Access, message_id: int) -> HttpResponse:
    message = queries.get_outbox_message(access, message_id)
    if actions.retry_message(message):
        messages.success(request, _("已重新排入发送队列"))
    else:
        messages.error(request, _("这条消息不是“已放弃”状态，无需重试"))
    return redirect("notices:outbox_list", access.zone.code)
