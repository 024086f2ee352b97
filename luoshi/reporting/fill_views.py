"""The weekly filling page: every due item of the user's units, open ones first with what the unit reported last
time and where the plan says it should be now, drafts saved as people type, and one button to hand in every
ready report of a period."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.plans.models import PlanItem
from luoshi.reporting import actions, queries
from luoshi.reporting.actions import ReportRefused
from luoshi.reporting.choices import HANDED_IN, ReportStatus
from luoshi.reporting.forms import ReportForm, figure, unit_choices
from luoshi.reporting.models import Period, Report
from luoshi.reporting.review_queries import planned_for

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


@dataclass
class Card:
    """One item's report form on the filling page, with what it is judged against."""

    period: Period
    item: PlanItem
    report: Report | None
    form: ReportForm
    error: str = ""
    previous: Report | None = None  # the unit's last handed-in report for an earlier period
    planned: Decimal | None = None  # the plan's cumulative % at the period's end

    @property
    def editable(self) -> bool:
        return self.report is None or self.report.status in EDITABLE

    @property
    def handed_in(self) -> bool:
        return self.report is not None and not self.editable

    @property
    def dom_id(self) -> str:
        return f"{self.period.pk}-{self.item.pk}"

    @property
    def progress(self) -> Decimal | None:
        """The progress the card shows: the saved report's, else the starting point taken from last time."""
        if self.report is not None:
            return self.report.progress
        return self.previous.progress if self.previous else None

    @property
    def gap(self) -> Decimal | None:
        """Percentage points ahead (+) or behind (−) the plan."""
        if self.progress is None or self.planned is None:
            return None
        return self.progress - self.planned

    @property
    def shows_regress(self) -> bool:
        """Whether the backwards-progress reason is on screen from the start (the page's script shows it as soon
        as the progress typed falls below last period's)."""
        form = self.form
        if form.errors.get("regress_reason") or str(form["regress_reason"].value() or "").strip():
            return True
        before = self.previous.progress if self.previous else None
        return before is not None and self.progress is not None and self.progress < before

    @property
    def gap_text(self) -> str:
        return "" if self.gap is None else ("+" if self.gap > 0 else "") + figure(self.gap)

    @property
    def order(self) -> tuple[int, str]:
        """Returned reports first, then the rest still to hand in, then the handed-in ones (folded)."""
        rank = 0 if self.report and self.report.status == ReportStatus.RETURNED else 1
        return (2 if self.handed_in else rank, self.item.path)


def _items(access: Access, period: Period) -> QuerySet[PlanItem]:
    """The period's due items the user's units lead, each with the id of its last handed-in report for an
    earlier period (the same report queries.previous_progress compares against)."""
    earlier = Report.objects.filter(
        item=OuterRef("pk"), status__in=HANDED_IN, period__starts_on__lt=period.starts_on
    ).order_by("-period__starts_on", "-version")
    return (
        queries.due_items(period)
        .filter(lead_unit_id__in=access.unit_ids)
        .select_related("lead_unit")
        .prefetch_related("targets__latest", "milestones", "trajectory")
        .annotate(previous_id=Subquery(earlier.values("pk")[:1]))
        .order_by("path")
    )


def _cards(access: Access, period: Period, choices: list[tuple[int | str, str]] | None) -> list[Card]:
    items = list(_items(access, period))
    latest = queries.latest_reports(PlanItem.objects.filter(pk__in=[i.pk for i in items]), period)
    ids = [i.previous_id for i in items if i.previous_id]  # type: ignore[attr-defined]
    previous = (
        {r.item_id: r for r in Report.objects.filter(pk__in=ids).select_related("period")} if ids else {}
    )
    cards = []
    for item in items:
        report, before = latest.get(item.pk), previous.get(item.pk)
        form = ReportForm(item=item, report=report, unit_choices=choices, previous=before)
        cards.append(Card(period, item, report, form, previous=before, planned=planned_for(item, period)))
    return sorted(cards, key=lambda card: card.order)


def _attach_submitters(reports: list[Report]) -> None:
    """Who handed each report in, read at once for the folded cards' summary."""
    ids = {r.submitted_by_id for r in reports if r.submitted_by_id}
    people = User.objects.in_bulk(ids) if ids else {}
    for report in reports:
        if report.submitted_by_id in people:
            report.submitted_by = people[report.submitted_by_id]


def _revised_after_return(reports: list[Report]) -> set[int]:
    """Returned reports their unit has changed since the latest return: saved again after it by someone other
    than who returned them. One query, however many."""
    since = Q()
    for report in reports:
        if report.status == ReportStatus.RETURNED and report.reviewed_at is not None:
            since |= Q(id=report.pk, history_date__gt=report.reviewed_at) & ~Q(
                history_user_id=report.reviewed_by_id
            )
    if not since:
        return set()
    return set(Report.history.filter(since).values_list("id", flat=True))


def _ready(cards: list[Card]) -> list[Card]:
    """Reports "全部报送" hands in: complete drafts, and returned reports revised since they came back."""
    saved = [c for c in cards if c.report is not None and c.editable and c.report.work_done.strip()]
    revised = _revised_after_return([c.report for c in saved if c.report is not None])
    return [
        c
        for c in saved
        if c.report is not None and (c.report.status == ReportStatus.DRAFT or c.report.pk in revised)
    ]


@dataclass
class Section:
    """One open period on the page: its cards, and the counter and "submit all" bar over them."""

    period: Period
    cards: list[Card]

    @property
    def done(self) -> int:
        return sum(card.handed_in for card in self.cards)

    @property
    def overdue(self) -> bool:
        return timezone.now() > self.period.due_at

    @property
    def open_cards(self) -> list[Card]:
        return [card for card in self.cards if card.editable]

    @property
    def done_cards(self) -> list[Card]:
        return [card for card in self.cards if card.handed_in]

    @cached_property
    def ready(self) -> list[Card]:
        return _ready(self.cards)

    @property
    def confirm_text(self) -> str:
        ready = self.ready
        lines = [f"{n}. {card.item.title}" for n, card in enumerate(ready[:12], 1)]
        if len(ready) > 12:
            lines.append(_("……等 %(n)d 项") % {"n": len(ready)})
        head = _("确认报送以下 %(n)d 项（%(period)s）？报送后不能再修改。") % {
            "n": len(ready),
            "period": self.period.label,
        }
        return "\n".join([head, *lines])


def _sections(access: Access, now: datetime, bound: Card | None = None) -> list[Section]:
    """The filling page's periods and their cards; `bound` replaces its item's card (a form sent back with
    errors, shown where it was filled in)."""
    sections = []
    choices = unit_choices(access.zone.pk)
    for period in queries.open_periods(access, now):
        cards = _cards(access, period, choices)
        if bound is not None and bound.period.pk == period.pk:
            cards = [bound if card.item.pk == bound.item.pk else card for card in cards]
        if cards:
            sections.append(Section(period, cards))
    return sections


def _section(access: Access, period: Period) -> Section:
    return Section(period, _cards(access, period, None))


@require_safe
@zone_view
def fill(request: ZoneRequest, access: Access) -> HttpResponse:
    """This period's reports for the user's unit: every due item in one page."""
    now = timezone.now()
    context = {"sections": _sections(access, now), "now": now, "nav": "reports"}
    return render(request, "reporting/fill.html", context)


def _previous(item: PlanItem, period: Period) -> Report | None:
    earlier = Report.objects.filter(item=item, status__in=HANDED_IN, period__starts_on__lt=period.starts_on)
    return earlier.select_related("period").order_by("-period__starts_on", "-version").first()


@require_POST
@zone_view
def save(request: ZoneRequest, access: Access, period_id: int, item_id: int) -> HttpResponse:
    """Save (and submit) one item's report. What was saved and what was not is said on the page, with or
    without JavaScript; a form with errors comes back filled in, never as a silent redirect. An automatic save
    (`autosave`, sent by the page as people type) answers with a status line only, never replacing the form
    being typed in."""
    period = queries.get_period(access, period_id)
    item = queries.get_item_to_report(access, item_id)
    report = queries.latest_reports(PlanItem.objects.filter(pk=item.pk), period).get(item.pk)
    previous = _previous(item, period)
    form = ReportForm(request.POST, request.FILES, item=item, report=report, previous=previous)
    autosave = bool(request.POST.get("autosave")) and bool(request.htmx)
    if not form.is_valid():
        if autosave:
            return _autosaved(request, access, period, item, _form_problem(form))
        card = Card(period, item, report, form, previous=previous, planned=planned_for(item, period))
        return _sent_back(request, access, card, _("报告未保存，请按提示修改"))
    now, upload = timezone.now(), form.cleaned_data.get("evidence")
    submit = bool(request.POST.get("submit")) and not autosave
    try:
        filed = actions.file_report(item, period, form.to_input(), upload, submit, request.user, now)
    except ReportRefused as refused:
        error = _("报告未保存：%(reason)s") % {"reason": refused}
        if autosave:
            return _autosaved(request, access, period, item, error)
        card = Card(period, item, report, form, error, previous, planned_for(item, period))
        return _sent_back(request, access, card, error)
    error = ""
    if filed.file_refused:
        what = {"name": upload.name if upload else "", "reason": filed.file_refused}
        if filed.report.status in EDITABLE:
            error = _("已保存报告内容，尚未提交；附件“%(name)s”未上传：%(reason)s") % what
        else:
            error = _("附件“%(name)s”未上传：%(reason)s") % what
    if autosave:
        return _autosaved(request, access, period, item, error, saved_at=now)
    if request.htmx:
        return _card_response(request, access, period, item.pk, error)
    if error:
        messages.warning(request, error)
    elif filed.report.status == ReportStatus.DRAFT:
        messages.success(request, _("已保存草稿：%(title)s") % {"title": item.title})
    else:
        messages.success(request, _("已提交：%(title)s") % {"title": item.title})
    return redirect("reporting:fill", access.zone.code)


def _form_problem(form: ReportForm) -> str:
    """A form's errors in one line, for the status line of an automatic save."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        said = "；".join(str(error) for error in errors)
        parts.append(f"{label}：{said}" if label and str(label) not in said else said)
    return _("尚未保存：%(problems)s") % {"problems": "；".join(parts)}


def _autosaved(
    request: ZoneRequest,
    access: Access,
    period: Period,
    item: PlanItem,
    error: str,
    saved_at: datetime | None = None,
) -> HttpResponse:
    """The status line of an automatic save, with the card's badge, files and the section's counter swapped
    out of band so the page tells the truth without a reload."""
    section = _section(access, period)
    card = next(c for c in section.cards if c.item.pk == item.pk)
    context = {"card": card, "section": section, "error": error, "saved_at": saved_at}
    return render(request, "reporting/fill_autosave.html", context)


def _card_response(
    request: ZoneRequest,
    access: Access,
    period: Period,
    item_id: int,
    error: str = "",
    bound: Card | None = None,
) -> HttpResponse:
    """One card as it now stands (or `bound`, a form sent back), with its section's bar swapped out of band."""
    section = _section(access, period)
    card = bound or next(c for c in section.cards if c.item.pk == item_id)
    card.error = card.error or error
    return render(request, "reporting/fill_card.html", {"card": card, "section": section, "oob": True})


def _sent_back(request: ZoneRequest, access: Access, card: Card, message: str) -> HttpResponse:
    if request.htmx:
        card.error = card.error or message
        return _card_response(request, access, card.period, card.item.pk, bound=card)
    messages.error(request, message)
    now = timezone.now()
    context = {"sections": _sections(access, now, bound=card), "now": now, "nav": "reports"}
    return render(request, "reporting/fill.html", context)


@require_POST
@zone_view
def submit_all(request: ZoneRequest, access: Access, period_id: int) -> HttpResponse:
    """全部报送: hand in every ready report of the period for the user's items, all or none."""
    period = queries.get_period(access, period_id)
    cards = _section(access, period).ready
    ready = [card.report for card in cards if card.report is not None and queries.can_fill(access, card.item)]
    if not ready:
        messages.warning(request, _("%(period)s没有可报送的草稿") % {"period": period.label})
        return redirect("reporting:fill", access.zone.code)
    try:
        actions.submit_reports(ready, request.user, timezone.now())
    except ReportRefused as refused:
        messages.error(request, _("未报送：%(reason)s") % {"reason": refused})
    else:
        messages.success(
            request, _("已报送 %(n)d 份报告（%(period)s）") % {"n": len(ready), "period": period.label}
        )
    return redirect("reporting:fill", access.zone.code)
