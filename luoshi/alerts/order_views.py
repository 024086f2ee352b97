"""Pages of supervision orders: the list, a new order (by hand or from a warning), the order with its history and
the steps the reader may take, and its prints."""

from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.alerts import orders, prints, queries
from luoshi.alerts.choices import LEADER_EVENTS, OrderState
from luoshi.alerts.forms import (
    CloseForm,
    FeedbackForm,
    HandForm,
    InstructForm,
    OrderForm,
    ReturnForm,
    UrgeForm,
    prefill_from_warning,
)
from luoshi.alerts.models import SupervisionOrder
from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.lib.downloads import attachment
from luoshi.lib.htmx import render_page
from luoshi.org.choices import Role
from luoshi.org.queries import Access, visible_units
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.plans.queries import visible_items

PAGE_SIZE = 50
DEFAULT_DAYS = 15  # a non-urgent leader's instruction: 15 days (docs/domain.md §4.1)


def _filters(access: Access, request: HttpRequest) -> queries.OrderFilters:
    unit_id, state = request.GET.get("unit", ""), request.GET.get("state", "")
    return queries.OrderFilters(
        state=state if state in queries.ORDER_FILTER_STATES else "",
        unit=visible_units(access).filter(pk=int(unit_id)).first() if unit_id.isdigit() else None,
        overdue=request.GET.get("overdue") == "1",
    )


@require_safe
@zone_view
def order_list(request: ZoneRequest, access: Access) -> HttpResponse:
    filters, today = _filters(access, request), timezone.localdate()
    orders_page = Paginator(queries.filtered_orders(access, filters, today), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": orders_page.get_page(request.GET.get("page")),
        "today": today,
        "query": query.urlencode(),
        "states": OrderState.choices,
        "units": visible_units(access).only("id", "name") if access.zone_wide else [],
        "can_issue": queries.can_issue_orders(access),
        "nav": "orders",
    }
    return render_page(request, "alerts/order_list.html", context, partial="results")


def _initial(request: ZoneRequest, access: Access) -> dict[str, object]:
    """A new order's starting values: from ?warning= or ?item= when given."""
    initial: dict[str, object] = {"deadline": timezone.localdate() + timedelta(days=DEFAULT_DAYS)}
    warning_id, item_id = request.GET.get("warning", ""), request.GET.get("item", "")
    if warning_id.isdigit():
        initial |= prefill_from_warning(queries.get_warning(access, int(warning_id)))
    elif item_id.isdigit():
        item = visible_items(access).filter(pk=int(item_id)).first()
        if item is not None:
            initial |= {"item": item.pk, "unit": item.lead_unit_id, "subject": f"{item.code}{item.title}"}
    return initial


@zone_view
def order_new(request: ZoneRequest, access: Access) -> HttpResponse:
    queries.require_order_issuer(access)
    form = OrderForm(
        access, request.POST or None, initial=None if request.POST else _initial(request, access)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = orders.issue_order(
                access.zone,
                data["subject"],
                data["unit"],
                data["requirement"],
                data["deadline"],
                request.user,
                item=data["item"],
                warning=data["warning"],
                leader=data["leader"],
            )
        except orders.OrderRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已交办督办单%(number)s") % {"number": order.display_number})
            return redirect("alerts:order_detail", access.zone.code, order.pk)
    source = form["warning"].value() or None
    context = {"form": form, "from_warning": source, "nav": "orders"}
    return render(request, "alerts/order_form.html", context)


def _detail(
    request: ZoneRequest, access: Access, order: SupervisionOrder, **bound: forms.Form
) -> HttpResponse:
    """The order page; `bound` holds a step's form that came back with errors."""
    today = timezone.localdate()
    steps = queries.order_steps(access, order, today)
    events = list(queries.order_events(order))
    context = {
        "order": order,
        "events": events,
        "trail": [e for e in events if e.kind in LEADER_EVENTS],
        "steps": steps,
        "lead": _leader_steps(request, access, order),
        "overdue": order.is_overdue(today),
        "feedback_form": bound.get("feedback") or FeedbackForm(initial={"feedback": order.feedback}),
        "return_form": bound.get("reason") or ReturnForm(),
        "close_form": bound.get("close") or CloseForm(),
        "instruct_form": bound.get("instruct") or InstructForm(),
        "urge_form": bound.get("urge") or UrgeForm(),
        "hand_form": bound.get("hand") or HandForm(access, order.leader),
        "nav": "orders",
    }
    return render(request, "alerts/order_detail.html", context)


@require_safe
@zone_view
def order_detail(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    return _detail(request, access, queries.get_order(access, order_id))


def _take(
    request: ZoneRequest, order: SupervisionOrder, step: Callable[[], object], done: str
) -> HttpResponse:
    """Take a step and go back to the order: a refusal (taken meanwhile, wrong state) is shown, not raised."""
    try:
        step()
    except orders.OrderRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("alerts:order_detail", order.zone.code, order.pk)


@require_POST
@zone_view
def order_sign(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = queries.get_order_for_step(access, order_id, "sign")
    return _take(request, order, lambda: orders.sign_order(order, request.user), _("已签收"))


@require_POST
@zone_view
def order_feedback(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = queries.get_order_for_step(access, order_id, "feedback")
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _detail(request, access, order, feedback=form)
    text = form.cleaned_data["feedback"]
    return _take(request, order, lambda: orders.submit_feedback(order, text, request.user), _("已提交反馈"))


@require_POST
@zone_view
def order_return(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = queries.get_order_for_step(access, order_id, "return")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _detail(request, access, order, reason=form)
    reason = form.cleaned_data["reason"]
    return _take(request, order, lambda: orders.return_feedback(order, reason, request.user), _("已退回"))


@require_POST
@zone_view
def order_close(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = queries.get_order_for_step(access, order_id, "close")
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, access, order, close=form)
    data = form.cleaned_data
    return _take(
        request,
        order,
        lambda: orders.close_order(order, data["evaluation"], data["comment"], request.user),
        _("已办结"),
    )


@require_POST
@zone_view
def order_escalate(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = queries.get_order_for_step(access, order_id, "escalate")
    return _take(request, order, lambda: orders.escalate_order(order, request.user), _("已提请领导督办"))


# The leader's steps on an escalated order: 批示, 催办, 转交 -----------------------------------------------------


def _leader_steps(request: ZoneRequest, access: Access, order: SupervisionOrder) -> dict[str, bool]:
    """Which of the leader's steps the reader may take now (the page's forms): the order's leader (see
    orders.leads_order), from the escalation until it is closed; 催办 only while feedback is owed."""
    open_ = (
        Role.LEADER in access.roles
        and orders.leader_steps_open(order)
        and orders.leads_order(order, request.user)
    )
    return {"any": open_, "instruct": open_, "hand": open_, "urge": open_ and orders.urge_open(order)}


def _order_for_leader(access: Access, order_id: int) -> SupervisionOrder:
    """The order if the reader is a leader of its zone, else 404; whether they lead this order and its state
    allows the step is the action's to say (a handover or a closing meanwhile is refused with a message)."""
    if Role.LEADER not in access.roles:
        raise Http404
    return queries.get_order(access, order_id)


@require_POST
@zone_view
def order_instruct(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = _order_for_leader(access, order_id)
    form = InstructForm(request.POST)
    if not form.is_valid():
        return _detail(request, access, order, instruct=form)
    text = form.cleaned_data["text"]
    done = _("已批示，责任单位和督查室已收到")
    return _take(request, order, lambda: orders.instruct_order(order, text, request.user), done)


@require_POST
@zone_view
def order_urge(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = _order_for_leader(access, order_id)
    form = UrgeForm(request.POST)
    if not form.is_valid():
        return _detail(request, access, order, urge=form)
    note = form.cleaned_data["note"]
    done = _("已催办，责任单位已收到")
    return _take(request, order, lambda: orders.urge_order(order, note, request.user), done)


@require_POST
@zone_view
def order_hand(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = _order_for_leader(access, order_id)
    form = HandForm(access, order.leader, request.POST)
    if not form.is_valid():
        return _detail(request, access, order, hand=form)
    to, note = form.cleaned_data["to"], form.cleaned_data["note"]
    done = _("已转交%(leader)s") % {"leader": orders.person_name(to)}
    return _take(request, order, lambda: orders.hand_order(order, to, note, request.user), done)


@require_safe
@zone_view
def order_docx(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = queries.get_order(access, order_id)
    content = prints.order_docx(order)
    record(Event.PRINT, request=request, obj=order, detail={"format": "docx"})
    return attachment(content, DOCX, f"{order.display_number}.docx")


@require_safe
@zone_view
def order_pdf(request: ZoneRequest, access: Access, order_id: int) -> HttpResponse:
    order = queries.get_order(access, order_id)
    try:
        content = prints.order_pdf(order)
    except prints.PrintUnavailable as unavailable:
        messages.error(request, str(unavailable))
        return redirect("alerts:order_detail", access.zone.code, order.pk)
    record(Event.PRINT, request=request, obj=order, detail={"format": "pdf"})
    return attachment(content, "application/pdf", f"{order.display_number}.pdf")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
