"""推荐银行名单: named, dated selections of a run shared with financial institutions, and the institutions
with their accounts. An institution's account sees the lists shared with it and, in them, only enterprises
whose consent is open."""

from django.contrib import messages
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.innovation import actions, queries, scoring_actions
from luoshi.innovation.exports import bank_list_workbook
from luoshi.innovation.forms import AccountForm, BankListForm, InstitutionForm
from luoshi.innovation.framework import parse
from luoshi.innovation.models import Enterprise, Institution, Score
from luoshi.innovation.views import XLSX
from luoshi.lib.downloads import attachment
from luoshi.lib.messages import flash_form_errors
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, open_to, zone_view


@zone_view
@open_to("institution")
def bank_list_list(request: ZoneRequest, access: Access) -> HttpResponse:
    """The lists (for an institution: those shared with it); the office makes one from the newest run: the
    top N of the chosen tiers among the enterprises that consent to being recommended."""
    lists = queries.bank_lists(access)
    run = queries.latest_run(access.zone.pk)
    form = BankListForm(request.POST or None, initial={"dated": timezone.localdate()})
    if request.method == "POST":
        queries.check_office(access)
        if run is None:
            form.add_error(None, _("还没有计分结果"))
        elif form.is_valid():
            data = form.cleaned_data
            allowed = queries.open_consents(access.zone.pk)
            picked = Score.objects.filter(
                run=run, rank__isnull=False, tier__in=data["tiers"], enterprise_id__in=allowed
            )
            ids = list(
                picked.order_by("rank", "enterprise__name").values_list("pk", flat=True)[: data["top"]]
            )
            try:
                made = scoring_actions.create_bank_list(
                    run, data["name"], data["dated"], data["note"], ids, request.user, timezone.now()
                )
                messages.success(request, _("已生成名单：%(n)d 家企业") % {"n": len(ids)})
                return redirect("innovation:bank_list", access.zone.code, made.pk)
            except actions.Refused as refused:
                form.add_error(None, str(refused))
    context = {
        "nav": "innovation", "lists": lists, "run": run, "form": form, "is_office": queries.is_office(access),
        "consenting": queries.open_consents(access.zone.pk).count() if access.audience == "staff" else None,
    }  # fmt: skip
    return render(request, "innovation/bank_list_list.html", context)


@require_safe
@zone_view
@open_to("institution")
def bank_list_detail(request: ZoneRequest, access: Access, list_id: int) -> HttpResponse:
    bank_list = queries.get_bank_list(access, list_id)
    scores = queries.list_scores(bank_list)
    rules = parse(bank_list.run.version.text)
    context = {
        "nav": "innovation", "bank_list": bank_list, "scores": scores, "stages": {s.code: s.name for s in rules.stages},
        "is_office": queries.is_office(access), "shares": bank_list.shares.select_related("institution"),
        "institutions": queries.institutions(access) if queries.is_office(access) else [],
    }  # fmt: skip
    return render(request, "innovation/bank_list_detail.html", context)


@require_safe
@zone_view
@open_to("institution")
def bank_list_export(request: ZoneRequest, access: Access, list_id: int) -> HttpResponse:
    bank_list = queries.get_bank_list(access, list_id)
    scores = queries.list_scores(bank_list)
    content = bank_list_workbook(bank_list, parse(bank_list.run.version.text), scores)
    record(Event.EXPORT, request=request, obj=bank_list, detail={"what": "bank_list", "rows": len(scores)})
    return attachment(content, XLSX, f"{bank_list.name}.xlsx")


@require_POST
@zone_view
def bank_list_share(request: ZoneRequest, access: Access, list_id: int) -> HttpResponse:
    queries.check_office(access)
    bank_list = queries.get_bank_list(access, list_id)
    institution = queries.institutions(access).filter(pk=request.POST.get("institution", "0") or 0).first()
    if institution is None:
        raise Http404
    scoring_actions.share(bank_list, institution, request.user, timezone.now())
    record(Event.SHARE, request=request, obj=bank_list, detail={"institution": institution.name})
    messages.success(request, _("已向%(name)s共享名单") % {"name": institution.name})
    return redirect("innovation:bank_list", access.zone.code, bank_list.pk)


@zone_view
def institution_list(request: ZoneRequest, access: Access) -> HttpResponse:
    """The financial institutions and their accounts; the office adds both."""
    queries.check_office(access)
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_institution(access.zone, form.cleaned_data["name"])
            return redirect("innovation:institutions", access.zone.code)
        except actions.Refused as refused:
            form.add_error("name", str(refused))
    institutions = list(queries.institutions(access).prefetch_related("accounts__user", "shares__bank_list"))
    for institution in institutions:  # a form each, with ids of its own
        institution.account_form = AccountForm(auto_id=f"acc{institution.pk}_%s")  # type: ignore[attr-defined]
    context = {"nav": "innovation", "form": form, "institutions": institutions}
    return render(request, "innovation/institution_list.html", context)


def _open_account(
    request: ZoneRequest,
    access: Access,
    enterprise: Enterprise | None = None,
    institution: Institution | None = None,
) -> bool:
    form = AccountForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            validate_password(data["password"])
            actions.open_account(
                access.zone, data["username"], data["full_name"], data["password"], request.user,
                enterprise=enterprise, institution=institution,
            )  # fmt: skip
            messages.success(
                request, _("已开通账号“%(name)s”，首次登录须修改密码") % {"name": data["username"]}
            )
            return True
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
        except actions.Refused as refused:
            messages.error(request, str(refused))
    else:
        flash_form_errors(request, form)
    return False


@require_POST
@zone_view
def institution_account(request: ZoneRequest, access: Access, institution_id: int) -> HttpResponse:
    queries.check_office(access)
    institution = Institution.objects.filter(zone=access.zone, pk=institution_id).first()
    if institution is None:
        raise Http404
    _open_account(request, access, institution=institution)
    return redirect("innovation:institutions", access.zone.code)


@require_POST
@zone_view
def enterprise_account(request: ZoneRequest, access: Access, enterprise_id: int) -> HttpResponse:
    queries.check_office(access)
    enterprise = queries.get_enterprise(access, enterprise_id)
    if queries.enterprise_account(enterprise) is not None:
        messages.error(request, _("这家企业已有账号"))
    else:
        _open_account(request, access, enterprise=enterprise)
    return redirect("innovation:enterprise", access.zone.code, enterprise.pk)
