"""The demo's supervision orders: three issued from red warnings, at three points of their life; and the office's
triage of the older warnings (notes, two dismissals), leaving this week's and a few older ones to triage."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from luoshi.alerts import orders, triage
from luoshi.alerts.choices import EventKind, RuleCode
from luoshi.alerts.models import SupervisionOrder, Warning, WarningEvent
from luoshi.demo.org import DemoOrg

# (unit, days ago issued, days given, what happened since)
ORDERS = [
    ("区科技创新局", 12, 10, "answered"),  # feedback in, waiting for the office's review
    ("区工业和信息化局", 20, 14, "silent"),  # overdue without feedback: the sweep escalates it
    ("区科技创新局", 30, 15, "closed"),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


NEW_SHARE = 6  # one warning in six opened this week; the rest over the weeks before the oldest order


def date_warnings(org: DemoOrg, now: datetime) -> None:
    """The first sweep opens every warning at once; in a zone that has run for weeks they opened over time.
    Loading history, as the reports are: each warning and its 触发 record are dated back, most to the weeks
    before the orders taken from them, a few to this week (the cockpit's 近7天新增)."""
    oldest = max(ago for _unit, ago, _days, _story in ORDERS)
    warnings = list(Warning.objects.filter(zone=org.zone).order_by("pk"))
    for n, warning in enumerate(warnings):
        ago = 1 + n % 6 if n % NEW_SHARE == 0 else oldest + 1 + (n * 7) % 35
        warning.opened_at = now - timedelta(days=ago, hours=n % 5)
    Warning.objects.bulk_update(warnings, ["opened_at"], batch_size=500)
    opened = {w.pk: w.opened_at for w in warnings}
    events = list(WarningEvent.objects.filter(warning__zone=org.zone, kind=EventKind.OPENED))
    for event in events:
        event.at = opened[event.warning_id]
    WarningEvent.objects.bulk_update(events, ["at"], batch_size=500)


def build_orders(org: DemoOrg, today: date) -> list[SupervisionOrder]:
    supervisor, leader = org.users["supervisor"], org.users["leader"]
    liaison = org.users["liaison"]  # 区科技创新局's
    issued: list[SupervisionOrder] = []
    for unit_name, ago, days, story in sorted(ORDERS, key=lambda o: -o[1]):  # numbered in the order issued
        unit = org.unit(unit_name)
        warning = (
            Warning.objects.filter(zone=org.zone, unit=unit, level="red", item__isnull=False)
            .exclude(pk__in=[o.warning_id for o in issued])
            .select_related("item")
            .order_by("pk")
            .first()
        )
        if warning is None or warning.item is None:
            continue
        start = today - timedelta(days=ago)
        order = orders.issue_order(
            org.zone,
            f"{warning.item.title}：{warning.text}"[:200],
            unit,
            "请查明原因，制定整改措施，明确完成时间，并于办理时限前书面反馈。",
            start + timedelta(days=days),
            supervisor,
            item=warning.item,
            warning=warning,
            leader=leader,
            now=_at(start, 9),
        )
        if story in ("answered", "closed"):
            orders.sign_order(order, liaison, _at(start, 15))
            orders.submit_feedback(
                order,
                "已召开专题调度会，明确整改措施三条，预计两周内恢复序时进度。",
                liaison,
                _at(start + timedelta(days=5), 10),
            )
        if story == "closed":
            orders.close_order(
                order, "good", "整改措施具体，按期反馈。", supervisor, _at(start + timedelta(days=6), 10)
            )
        issued.append(order)
    return issued


NOTES = [
    "已电话联系责任单位联络员，要求本周内报送整改计划。",
    "已在周调度会上点名，责任单位承诺月底前追上序时进度。",
    "已纳入本月督查通报，持续跟踪。",
    "已与分管领导沟通，由责任单位主要负责同志牵头推进。",
]
# One dismissal per rule where the demo's facts would, in a real zone, have a reason outside the unit's hands.
DISMISSALS = {
    RuleCode.PROJECT_STATS: "项目入库申请已于上月提交市统计局，正在审核，非责任单位原因，予以核销。",
    RuleCode.FORECAST: "该事项完成时限已经区政府常务会议研究调整，按新时限跟踪，予以核销。",
}
UNTRIAGED_EVERY = 5  # every fifth older warning still waits for the office


def triage_warnings(org: DemoOrg, now: datetime) -> None:
    """The office has been through the warnings of the weeks before this one: a note on most, two dismissed."""
    supervisor = org.users["supervisor"]
    older = Warning.objects.filter(
        zone=org.zone,
        resolved_at__isnull=True,
        triaged_at__isnull=True,
        opened_at__lt=now - timedelta(days=7),
    )
    dismissed: set[str] = set()
    for n, warning in enumerate(older.order_by("opened_at", "pk")):
        at = warning.opened_at + timedelta(days=1, hours=2)
        if warning.rule in DISMISSALS and warning.rule not in dismissed:
            triage.dismiss_warning(warning, DISMISSALS[RuleCode(warning.rule)], supervisor, at)
            dismissed.add(warning.rule)
        elif n % UNTRIAGED_EVERY != UNTRIAGED_EVERY - 1:
            triage.note_warning(warning, NOTES[n % len(NOTES)], supervisor, at)
