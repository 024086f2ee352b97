"""Reads for the innovation points pages, each behind the access helper of its object. The office (admin and
supervisor) and the zone's other readers see the registry and the lists; an enterprise's account sees only its
enterprise; an institution's account only the lists shared with it, and in them only consenting enterprises."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from luoshi.innovation.choices import DEPARTMENTS, ConsentScope, CorrectionStatus, VersionStatus
from luoshi.innovation.models import (
    BankList,
    Consent,
    Correction,
    Enterprise,
    Field,
    Framework,
    FrameworkVersion,
    Institution,
    Label,
    Party,
    Run,
    Score,
    Settlement,
    Value,
)
from luoshi.org.choices import Role
from luoshi.org.queries import Access
from luoshi.plans.queries import HistoryEntry, history_entries


def is_office(access: Access) -> bool:
    return access.edits_plans


def reads_registry(access: Access) -> bool:
    return access.zone_wide


def check_office(access: Access) -> None:
    if not is_office(access):
        raise Http404


def check_reader(access: Access) -> None:
    if not reads_registry(access):
        raise Http404


def uploads_figures(access: Access) -> bool:
    """The office, and a department's head or liaison sending their own sheet."""
    return is_office(access) or access.fills_reports


def own_party(access: Access) -> Party:
    """The enterprise or institution an outside account acts for."""
    party = (
        Party.objects.filter(zone=access.zone, user_id=access.user_id).select_related("enterprise").first()
    )
    if party is None:
        raise Http404
    return party


def own_enterprise(access: Access) -> Enterprise:
    party = own_party(access)
    if party.enterprise is None:
        raise Http404
    return party.enterprise


def get_enterprise(access: Access, enterprise_id: int) -> Enterprise:
    """An enterprise for a reader of the registry, or an enterprise's account its own one."""
    if Role.ENTERPRISE in access.roles:
        enterprise = own_enterprise(access)
        if enterprise.pk != enterprise_id:
            raise Http404
        return enterprise
    check_reader(access)
    try:
        return Enterprise.objects.select_related("park").get(zone=access.zone, pk=enterprise_id)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def enterprises(access: Access) -> QuerySet[Enterprise]:
    check_reader(access)
    return Enterprise.objects.filter(zone=access.zone)


def fields(zone_id: int) -> list[Field]:
    return list(Field.objects.filter(zone_id=zone_id))


def get_version(access: Access, version_id: int) -> FrameworkVersion:
    check_reader(access)
    try:
        return FrameworkVersion.objects.select_related("framework").get(zone=access.zone, pk=version_id)
    except FrameworkVersion.DoesNotExist:
        raise Http404 from None


def frameworks(access: Access) -> QuerySet[Framework]:
    check_reader(access)
    return Framework.objects.filter(zone=access.zone).prefetch_related("versions")


def published_versions(access: Access) -> QuerySet[FrameworkVersion]:
    check_reader(access)
    return FrameworkVersion.objects.filter(zone=access.zone, status=VersionStatus.PUBLISHED).select_related(
        "framework"
    )


def latest_run(zone_id: int, year: int | None = None) -> Run | None:
    runs = Run.objects.filter(zone_id=zone_id).select_related("version__framework")
    if year is not None:
        runs = runs.filter(year=year)
    return runs.order_by("-year", "-created_at").first()


def get_run(access: Access, run_id: int) -> Run:
    check_reader(access)
    try:
        return Run.objects.select_related("version__framework").get(zone=access.zone, pk=run_id)
    except Run.DoesNotExist:
        raise Http404 from None


def runs(access: Access) -> QuerySet[Run]:
    check_reader(access)
    return Run.objects.filter(zone=access.zone).select_related("version__framework")


def years_scored(zone_id: int) -> list[int]:
    return sorted(set(Run.objects.filter(zone_id=zone_id).values_list("year", flat=True)), reverse=True)


def current_scores(enterprise: Enterprise) -> list[Score]:
    """The enterprise's score in the newest run of each year, newest year first."""
    newest = {}
    for run in Run.objects.filter(zone_id=enterprise.zone_id).order_by("year", "created_at"):
        newest[run.year] = run.pk
    scores = Score.objects.filter(enterprise=enterprise, run_id__in=newest.values()).select_related(
        "run__version__framework"
    )
    return sorted(scores, key=lambda s: -s.run.year)


def pending_corrections(access: Access) -> QuerySet[Correction]:
    check_office(access)
    pending = Correction.objects.filter(zone=access.zone, status=CorrectionStatus.PENDING)
    return pending.select_related("enterprise", "field")


def institutions(access: Access) -> QuerySet[Institution]:
    check_reader(access)
    return Institution.objects.filter(zone=access.zone)


def open_consents(zone_id: int) -> QuerySet[Consent, int]:
    """The ids of enterprises whose consent to being recommended to financial institutions is open, as a
    subquery."""
    return Consent.objects.filter(
        zone_id=zone_id, scope=ConsentScope.FINANCING, revoked_at__isnull=True
    ).values_list("enterprise_id", flat=True)


def consenting(zone_id: int) -> set[int]:
    return set(open_consents(zone_id))


def bank_lists(access: Access) -> QuerySet[BankList]:
    """Every list for the office and readers; for an institution's account, the ones shared with it."""
    lists = BankList.objects.filter(zone=access.zone).select_related("run")
    if Role.INSTITUTION in access.roles:
        institution_id = own_party(access).institution_id
        if institution_id is None:
            raise Http404
        return lists.filter(shares__institution_id=institution_id)
    check_reader(access)
    return lists


def get_bank_list(access: Access, list_id: int) -> BankList:
    try:
        return bank_lists(access).get(pk=list_id)
    except BankList.DoesNotExist:
        raise Http404 from None


def list_scores(bank_list: BankList) -> list[Score]:
    """The list's enterprises in order, only those whose consent is still open: a revoked consent takes an
    enterprise out of every shared list at once."""
    allowed = consenting(bank_list.zone_id)
    entries = bank_list.entries.select_related("score__enterprise__park").order_by("position")
    return [e.score for e in entries if e.score.enterprise_id in allowed]


# Values: which figure counts ------------------------------------------------------------------------------------


@dataclass
class Figure:
    value: Decimal
    source: str
    sources: dict[str, Decimal]  # every source's figure
    settled: bool

    @property
    def conflict(self) -> bool:
        return len(set(self.sources.values())) > 1


def figures(
    zone_id: int, year: int, enterprise_ids: list[int] | None = None
) -> dict[tuple[int, int], Figure]:
    """(enterprise, field) → the figure that counts: the source the office settled on; else the field's own
    department; else the one source there is, or the first department in the usual order."""
    values = Value.objects.filter(zone_id=zone_id, year=year)
    settled = Settlement.objects.filter(zone_id=zone_id, year=year)
    if enterprise_ids is not None:
        values = values.filter(enterprise_id__in=enterprise_ids)
        settled = settled.filter(enterprise_id__in=enterprise_ids)
    by_key: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for enterprise_id, field_id, source, value in values.values_list(
        "enterprise_id", "field_id", "source", "value"
    ):
        by_key[(enterprise_id, field_id)][source] = value
    chosen = {(s.enterprise_id, s.field_id): s.source for s in settled}
    authority = dict(Field.objects.filter(zone_id=zone_id).values_list("id", "source"))
    order = [str(s) for s in DEPARTMENTS] + ["enterprise"]
    out = {}
    for key, sources in by_key.items():
        pick = chosen.get(key, "")
        settled_here = pick in sources
        if not settled_here:
            own = authority.get(key[1], "")
            pick = own if own in sources else min(sources, key=order.index)
        out[key] = Figure(sources[pick], pick, sources, settled_here)
    return out


def conflicts(zone_id: int, year: int) -> list[tuple[int, int, Figure]]:
    """(enterprise, field, figure) where sources disagree, unsettled first."""
    found = [(e, f, fig) for (e, f), fig in figures(zone_id, year).items() if fig.conflict]
    return sorted(found, key=lambda x: (x[2].settled, x[0], x[1]))


@dataclass
class DataRow:
    field: Field
    figure: Figure | None


def enterprise_data(enterprise: Enterprise, year: int) -> list[DataRow]:
    """Every catalogue field with the figure that counts for the year, if any, and every source's figure."""
    found = figures(enterprise.zone_id, year, [enterprise.pk])
    return [DataRow(f, found.get((enterprise.pk, f.pk))) for f in fields(enterprise.zone_id)]


def enterprise_account(enterprise: Enterprise) -> str | None:
    """The username of the enterprise's own account, if it has one."""
    party = Party.objects.filter(enterprise=enterprise).select_related("user").first()
    return party.user.username if party else None


def enterprise_history(enterprise: Enterprise) -> list[HistoryEntry]:
    """Every recorded change to the enterprise and its qualifications, newest first."""
    entries = history_entries(
        list(enterprise.history.select_related("history_user").order_by("history_date", "history_id")),
        _("企业"),
    )
    labels = Label.history.filter(enterprise_id=enterprise.pk).select_related("history_user")
    by_label: dict[int, list[Any]] = defaultdict(list)
    for record in labels.order_by("history_date", "history_id"):
        by_label[record.id].append(record)
    for records in by_label.values():
        entries += history_entries(records, _("资质"))
    return sorted(entries, key=lambda e: e.when, reverse=True)
