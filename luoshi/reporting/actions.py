"""Writes for reporting. Each is atomic and recorded (django-simple-history); state changes re-read the row
under the transaction's lock so a double click or two tabs cannot submit or review a report twice."""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from luoshi.lib.history import Actor, changed_by
from luoshi.lib.periods import spans_between
from luoshi.org.models import Unit
from luoshi.plans import actions as plan_actions
from luoshi.plans.choices import ItemStatus
from luoshi.plans.models import Milestone, Plan, PlanItem
from luoshi.reporting import queries, review_notices
from luoshi.reporting.calendars import CALENDAR_REACH, period_deadlines
from luoshi.reporting.choices import ReportStatus
from luoshi.reporting.evidence import EVIDENCE_KINDS, EVIDENCE_MAX_BYTES, evidence_name, evidence_path
from luoshi.reporting.models import (
    Cycle,
    Evidence,
    Period,
    Problem,
    Report,
    ReportMilestone,
    ReportValue,
    TrajectoryPoint,
)
from luoshi.reporting.pulses import refresh_item_pulse, refresh_pulses
from luoshi.reporting.queries import work_calendar
from luoshi.sheets.guard import UploadRefused, check_upload


class ReportRefused(Exception):
    """A report write the rules do not allow; the message says why, in the user's language."""


CYCLE_FIELDS = (
    "cadence",
    "due_weekday",
    "due_day",
    "due_time",
    "due_early",
    "grace_days",
    "starts_on",
    "active",
)


@transaction.atomic
def save_cycle(plan: Plan, values: dict[str, Any], user: Actor, cycle: Cycle | None = None) -> Cycle:
    cycle = cycle or Cycle(zone_id=plan.zone_id, plan=plan, starts_on=values["starts_on"])
    for name in CYCLE_FIELDS:
        if name in values:
            setattr(cycle, name, values[name])
    changed_by(cycle, user)
    cycle.save()
    return cycle


def ensure_periods(cycle: Cycle, until: date) -> int:
    """Create the cycle's missing periods up to the one containing `until`; returns how many were added.
    Safe to run concurrently and repeatedly: existing periods are left alone."""
    spans = spans_between(cycle.cadence, cycle.starts_on, until)
    if not spans:
        return 0
    have = set(Period.objects.filter(cycle=cycle).values_list("starts_on", flat=True))
    missing = [s for s in spans if s.starts_on not in have]
    if not missing:
        return 0
    calendar = work_calendar(cycle.zone_id, missing[0].starts_on, missing[-1].ends_on + CALENDAR_REACH)
    periods = []
    for span in missing:
        due, closes = period_deadlines(cycle, span, calendar)
        periods.append(
            Period(
                zone_id=cycle.zone_id,
                cycle=cycle,
                starts_on=span.starts_on,
                ends_on=span.ends_on,
                label=span.label,
                due_at=due,
                closes_at=closes,
            )
        )
    Period.objects.bulk_create(periods, ignore_conflicts=True)
    return len(periods)


@dataclass
class ReportInput:
    progress: Decimal
    work_done: str = ""
    next_plan: str = ""
    regress_reason: str = ""
    values: dict[int, Decimal] = field(default_factory=dict)  # target id → actual value
    milestones: set[int] = field(default_factory=set)  # milestone ids reached
    problems: list[tuple[str, Unit | None]] = field(default_factory=list)  # new problems: text, unit asked


def _check_open(period: Period, now: datetime) -> None:
    if now >= period.closes_at:
        raise ReportRefused(
            _("%(period)s已于%(closed)s关闭，不能再填报")
            % {
                "period": period.label,
                "closed": period.closes_at.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            }
        )
    if period.starts_on > now.date():
        raise ReportRefused(_("%(period)s尚未开始") % {"period": period.label})


@transaction.atomic
def save_report(item: PlanItem, period: Period, data: ReportInput, user: Actor, now: datetime) -> Report:
    """Create or update the unit's draft for (item, period). Submitted and accepted reports are not edited here."""
    _check_open(period, now)
    if period.cycle.plan_id != item.plan_id:
        raise ReportRefused(_("该事项不属于本期报告的计划"))
    if item.lead_unit_id is None:
        raise ReportRefused(_("该事项没有牵头单位，无法填报"))
    if not Decimal(0) <= data.progress <= Decimal(100):
        raise ReportRefused(_("进度应在 0 到 100 之间"))
    before = queries.previous_progress(item, period)
    if before is not None and data.progress < before and not data.regress_reason.strip():
        raise ReportRefused(
            _("进度由上期的%(before)s%%降到%(now)s%%，请填写进度回退说明")
            % {"before": before, "now": data.progress}
        )
    targets = {t.pk for t in item.targets.all()}
    milestones = {m.pk for m in item.milestones.all()}
    if not set(data.values) <= targets or not data.milestones <= milestones:
        raise ReportRefused(_("指标或节点不属于该事项"))

    report = _latest_locked(item, period)
    if report is None:
        first = _first_version(item, period, data, user)
        if first is not None:
            _write_details(first, data, user)
            return first
        report = _latest_locked(item, period)  # a concurrent request's first version, now committed
        assert report is not None
    if _same_report(report, data):
        return report  # a double click or a replayed form: the saved report stands, nothing is written twice
    if report.status == ReportStatus.ACCEPTED:
        raise ReportRefused(_("已采纳的报告不能修改；如需更正，请提交更正版本"))
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        raise ReportRefused(_("报告已提交，正在审核，不能修改"))
    _fill_in(report, data)
    changed_by(report, user)
    report.save()
    _write_details(report, data, user)
    return report


def _latest_locked(item: PlanItem, period: Period) -> Report | None:
    return Report.objects.select_for_update().filter(item=item, period=period).order_by("-version").first()


def _first_version(item: PlanItem, period: Period, data: ReportInput, user: Actor) -> Report | None:
    """Insert the first version; None when a concurrent request inserted it first. The unique version index
    makes this insert wait for that request's transaction, so its report is there to read afterwards."""
    assert item.lead_unit_id is not None  # save_report refuses items without a lead unit
    report = Report(zone_id=item.zone_id, item=item, period=period, unit_id=item.lead_unit_id)
    _fill_in(report, data)
    changed_by(report, user)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        return None
    return report


def _fill_in(report: Report, data: ReportInput) -> None:
    report.progress = data.progress
    report.work_done = data.work_done.strip()
    report.next_plan = data.next_plan.strip()
    report.regress_reason = data.regress_reason.strip()


def _same_report(report: Report, data: ReportInput) -> bool:
    """Whether the report already says exactly this, problems included."""
    fields = (report.progress, report.work_done, report.next_plan, report.regress_reason)
    if fields != (data.progress, data.work_done.strip(), data.next_plan.strip(), data.regress_reason.strip()):
        return False
    values = dict(ReportValue.objects.filter(report=report).values_list("target_id", "value"))
    reached = set(ReportMilestone.objects.filter(report=report).values_list("milestone_id", flat=True))
    raised = set(Problem.objects.filter(report=report).values_list("description", flat=True))
    new_problems = {text.strip() for text, _unit in data.problems if text.strip()}
    return values == data.values and reached == data.milestones and new_problems <= raised


def _write_details(report: Report, data: ReportInput, user: Actor) -> None:
    ReportValue.objects.filter(report=report).exclude(target_id__in=data.values).delete()
    for target_id, value in data.values.items():
        ReportValue.objects.update_or_create(
            report=report, target_id=target_id, defaults={"value": value, "zone_id": report.zone_id}
        )
    ReportMilestone.objects.filter(report=report).exclude(milestone_id__in=data.milestones).delete()
    have = set(ReportMilestone.objects.filter(report=report).values_list("milestone_id", flat=True))
    ReportMilestone.objects.bulk_create(
        ReportMilestone(zone_id=report.zone_id, report=report, milestone_id=m) for m in data.milestones - have
    )
    raised = set(Problem.objects.filter(report=report).values_list("description", flat=True))
    for text, unit in data.problems:
        if text.strip() and text.strip() not in raised:
            problem = Problem(
                zone_id=report.zone_id,
                report=report,
                item_id=report.item_id,
                description=text.strip(),
                asked_unit=unit,
            )
            changed_by(problem, user)
            problem.save()


def _locked(report: Report) -> Report:
    # Lock the report row only: FOR UPDATE over the join would also lock the shared period and zone rows,
    # serialising (and on PostgreSQL deadlocking) every unit's Friday submission against every other's.
    related = Report.objects.select_related("period__cycle", "item", "zone", "unit")
    return related.select_for_update(of=("self",)).get(pk=report.pk)


def _move(report: Report, allowed: Iterable[str], message: str) -> Report:
    current = _locked(report)
    if current.status not in allowed:
        raise ReportRefused(message)
    return current


@transaction.atomic
def submit_report(report: Report, user: Actor, now: datetime) -> Report:
    report = _move(report, (ReportStatus.DRAFT, ReportStatus.RETURNED), _("报告已经提交过了"))
    _check_open(report.period, now)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by, report.late = now, user, now > report.period.due_at
    changed_by(report, user)
    report.save(update_fields=["status", "submitted_at", "submitted_by", "late"])
    refresh_item_pulse(report.item)
    # Milestones the report says were reached are ticked on the item itself.
    reached = Milestone.objects.filter(pk__in=report.milestones_reached.values("milestone_id"), done=False)
    for milestone in reached:
        plan_actions.set_milestone_done(milestone, True, now.date(), user)
    review_notices.told(review_notices.SUBMITTED, report, user, now)
    return report


@transaction.atomic
def approve_report(report: Report, user: Actor, now: datetime) -> Report:
    report = _move(report, (ReportStatus.SUBMITTED,), _("只有已提交、待本单位审核的报告可以审核"))
    report.status, report.approved_at, report.approved_by = ReportStatus.APPROVED, now, user
    changed_by(report, user)
    report.save(update_fields=["status", "approved_at", "approved_by"])
    review_notices.told(review_notices.APPROVED, report, user, now)
    return report


def _reviewable(report: Report) -> tuple[str, ...]:
    needs_approval = report.zone.reports_need_approval
    return (ReportStatus.APPROVED,) if needs_approval else (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


@transaction.atomic
def accept_report(report: Report, user: Actor, now: datetime) -> Report:
    current = _locked(report)
    if current.status not in _reviewable(current):
        raise ReportRefused(
            _("这份报告现在不能采纳（状态：%(status)s）") % {"status": current.get_status_display()}
        )
    current.status, current.reviewed_at, current.reviewed_by = ReportStatus.ACCEPTED, now, user
    changed_by(current, user)
    current.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    item = current.item
    status = ItemStatus.DONE if current.progress >= 100 else ItemStatus.IN_PROGRESS
    if item.status in (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS) and item.status != status:
        plan_actions.set_item_status(item, status, user)
    review_notices.told(review_notices.ACCEPTED, current, user, now)
    return current


@transaction.atomic
def return_report(report: Report, reason: str, user: Actor, now: datetime) -> Report:
    if not reason.strip():
        raise ReportRefused(_("请填写退回原因"))
    current = _locked(report)
    allowed = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    if current.status not in allowed:
        raise ReportRefused(
            _("这份报告现在不能退回（状态：%(status)s）") % {"status": current.get_status_display()}
        )
    current.status, current.return_reason = ReportStatus.RETURNED, reason.strip()
    current.reviewed_at, current.reviewed_by = now, user
    changed_by(current, user)
    current.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    refresh_item_pulse(current.item)
    review_notices.told(review_notices.RETURNED, current, user, now)
    return current


@transaction.atomic
def correct_report(report: Report, user: Actor) -> Report:
    """Start a correction of an accepted report: a new draft version pointing at it, its content copied."""
    current = _move(report, (ReportStatus.ACCEPTED,), _("只有已采纳的报告需要更正；其他报告可直接修改"))
    if Report.objects.filter(item=current.item, period=current.period, version__gt=current.version).exists():
        raise ReportRefused(_("这份报告已有更正版本"))
    correction = Report(
        zone_id=current.zone_id,
        item=current.item,
        period=current.period,
        unit_id=current.unit_id,
        version=current.version + 1,
        corrects=current,
        progress=current.progress,
        work_done=current.work_done,
        next_plan=current.next_plan,
        regress_reason=current.regress_reason,
    )
    changed_by(correction, user)
    correction.save()
    ReportValue.objects.bulk_create(
        ReportValue(zone_id=v.zone_id, report=correction, target_id=v.target_id, value=v.value)
        for v in current.values.all()
    )
    ReportMilestone.objects.bulk_create(
        ReportMilestone(zone_id=m.zone_id, report=correction, milestone_id=m.milestone_id)
        for m in current.milestones_reached.all()
    )
    return correction


@transaction.atomic
def resolve_problem(problem: Problem, resolution: str, user: Actor, now: datetime) -> Problem:
    if not resolution.strip():
        raise ReportRefused(_("请填写解决情况"))
    problem.status, problem.resolution, problem.resolved_at = "resolved", resolution.strip(), now
    changed_by(problem, user)
    problem.save(update_fields=["status", "resolution", "resolved_at"])
    return problem


@transaction.atomic
def attach_evidence(report: Report, upload: UploadedFile, user: Actor) -> Evidence:
    """Keep a supporting file with the report. Its type is read from its bytes, never trusted from its name.
    The same file sent twice (a double click, a replayed form) is kept once."""
    if upload.size is None or upload.size > EVIDENCE_MAX_BYTES:
        raise ReportRefused(_("附件不能超过 10 MB"))
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    kept = Evidence.objects.filter(report=report, sha256=digest).first()
    if kept is not None:
        return kept
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ReportRefused(_("报告已提交，不能再添加附件"))
    try:  # the shared checks: a .docx or .xlsx must not expand past the limits either
        kind = check_upload(data, max_bytes=EVIDENCE_MAX_BYTES)
    except UploadRefused as refused:
        raise ReportRefused(refused.message) from None
    if kind not in EVIDENCE_KINDS:
        raise ReportRefused(
            _("附件“%(name)s”不是 PDF、图片、Word（.docx）或 Excel（.xlsx）文件") % {"name": upload.name}
        )
    evidence = Evidence(
        zone_id=report.zone_id,
        report=report,
        stored_name=f"{uuid.uuid4().hex}.{kind}",
        original_name=evidence_name(upload.name or kind, kind),
        content_type=EVIDENCE_KINDS[kind][0],
        size=len(data),
        sha256=digest,
        uploaded_by=user,
    )
    path = evidence_path(evidence)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    # The file is written before the row; if the transaction rolls back, the orphan file is harmless.
    evidence.save()
    return evidence


@dataclass
class Filed:
    """What a save from the filling page did: the report as it now stands, and why its file was not kept."""

    report: Report
    file_refused: str = ""


@transaction.atomic
def file_report(
    item: PlanItem,
    period: Period,
    data: ReportInput,
    upload: UploadedFile | None,
    submit: bool,
    user: Actor,
    now: datetime,
) -> Filed:
    """Save the unit's report, keep its file and, if asked and the file was kept, submit it, in one
    transaction: a second click waits for the first and then finds the report it saved."""
    report = save_report(item, period, data, user, now)
    if upload is not None:
        try:
            attach_evidence(report, upload, user)
        except ReportRefused as refused:
            return Filed(report, str(refused))  # the text stays saved, as a draft, and the page says so
    if submit and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        report = submit_report(report, user, now)
    return Filed(report)


@transaction.atomic
def load_reports(reports: list[Report], values: list[ReportValue], user: Actor) -> None:
    """Write a batch of past reports at once (the demo's history; historical reports brought over from
    spreadsheets), with their history rows. Values refer to the reports by object, so they are saved after."""
    bulk_create_with_history(reports, Report, batch_size=500, default_user=user)
    for value in values:
        value.report_id = value.report.pk
    ReportValue.objects.bulk_create(values, batch_size=500)
    refresh_pulses({report.item_id for report in reports})


@transaction.atomic
def set_trajectory_point(item: PlanItem, on: date, planned: Decimal) -> TrajectoryPoint:
    if not Decimal(0) <= planned <= Decimal(100):
        raise ReportRefused(_("计划进度应在 0 到 100 之间"))
    point = TrajectoryPoint.objects.filter(item=item, on=on).first() or TrajectoryPoint(
        zone_id=item.zone_id, item=item, on=on
    )
    point.planned = planned
    point.save()
    return point


@transaction.atomic
def remove_trajectory_point(point: TrajectoryPoint) -> None:
    point.delete()


@transaction.atomic
def submit_reports(reports: list[Report], user: Actor, now: datetime) -> list[Report]:
    """Hand in several reports at once ("全部报送"), all or none: each through submit_report, so whatever
    submitting one report does (its checks, its notices) it does for each. A report without this period's work
    is not ready and stops the batch, as does one already handed in."""
    for report in reports:
        if not report.work_done.strip():
            raise ReportRefused(_("“%(title)s”尚未填写本期工作") % {"title": report.item.title})
    with review_notices.batch():  # one notice per unit for the batch, not one per report
        return [submit_report(report, user, now) for report in reports]


@transaction.atomic
def approve_reports(reports: Iterable[Report], user: Actor, now: datetime) -> list[Report]:
    """批准所选: the unit head approves several reports at once, all or none (one refused stops the batch,
    naming it), each through approve_report; each unit's people and robot are told once for the batch."""
    with review_notices.batch():
        return [_each(approve_report, report, user, now) for report in _in_order(reports)]


@transaction.atomic
def accept_reports(reports: Iterable[Report], user: Actor, now: datetime) -> list[Report]:
    """采纳所选: the office accepts several reports at once, all or none, told once per unit."""
    with review_notices.batch():
        return [_each(accept_report, report, user, now) for report in _in_order(reports)]


def _in_order(reports: Iterable[Report]) -> list[Report]:
    """Rows are locked in id order, so two batches over the same reports cannot deadlock."""
    return sorted({report.pk: report for report in reports}.values(), key=lambda report: report.pk)


def _each(
    step: Callable[[Report, Actor, datetime], Report], report: Report, user: Actor, now: datetime
) -> Report:
    try:
        return step(report, user, now)
    except ReportRefused as refused:
        raise ReportRefused(f"“{report.item.title}”：{refused}") from None
