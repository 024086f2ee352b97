from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.audit.actions import record
from luoshi.audit.choices import Event, Outcome
from luoshi.lib.messages import flash_form_errors
from luoshi.org import actions
from luoshi.org.choices import UNIT_ROLES, Role
from luoshi.org.forms import ContactForm, MembershipForm, ParkForm, PasswordForm, PersonForm, UnitForm
from luoshi.org.models import Unit
from luoshi.org.people_export import people_rows, people_workbook, xlsx_response
from luoshi.org.queries import (
    Access,
    auditor_conflict,
    can_edit_units,
    can_remove_membership,
    get_membership,
    get_park_for_edit,
    get_person,
    get_unit_for_edit,
    manages_account,
    phone_of,
    zone_memberships,
)
from luoshi.org.zones import ZoneRequest, zone_view


@require_POST
@zone_view
def park_save(request: ZoneRequest, access: Access, park_id: int | None = None) -> HttpResponse:
    """Add a park (一区多园), or rename one."""
    if not can_edit_units(access):
        raise Http404
    park = get_park_for_edit(access, park_id) if park_id else None
    form = ParkForm(request.POST, zone=access.zone, instance=park)
    if form.is_valid():
        name = form.cleaned_data["name"]
        if park is None:
            actions.create_park(access.zone, name)
        else:
            actions.rename_park(park, name)
        messages.success(request, _("已保存园区“%(name)s”") % {"name": name})
    else:
        flash_form_errors(request, form)
    return redirect("front:unit_list", access.zone.code)


@zone_view
def unit_create(request: ZoneRequest, access: Access) -> HttpResponse:
    if not can_edit_units(access):
        raise Http404
    form = UnitForm(request.POST or None, zone=access.zone, instance=Unit(zone=access.zone))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = actions.create_unit(
            access.zone,
            data["name"],
            type=data["type"],
            parent=data["parent"],
            park=data["park"],
            aliases=data["aliases"],
            position=data["position"],
            user=request.user,
        )
        messages.success(request, _("已新增单位“%(name)s”") % {"name": unit.name})
        return redirect("front:unit_list", access.zone.code)
    return render(request, "org/unit_form.html", {"form": form, "nav": "units"})


@zone_view
def unit_edit(request: ZoneRequest, access: Access, unit_id: int) -> HttpResponse:
    unit = get_unit_for_edit(access, unit_id)
    form = UnitForm(request.POST or None, zone=access.zone, instance=Unit.objects.get(pk=unit.pk))
    if request.method == "POST" and form.is_valid():
        actions.update_unit(unit, form.cleaned_data, request.user)
        messages.success(request, _("已保存"))
        return redirect("front:unit_items", access.zone.code, unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit, "nav": "units"})


@require_safe
@zone_view
def person_list(request: ZoneRequest, access: Access) -> HttpResponse:
    people: dict[int, dict[str, Any]] = {}
    for membership in zone_memberships(access):
        entry = people.setdefault(membership.user_id, {"user": membership.user, "memberships": []})
        entry["memberships"].append(membership)
    return render(request, "org/person_list.html", {"people": people.values(), "nav": "people"})


@zone_view
def person_create(request: ZoneRequest, access: Access) -> HttpResponse:
    zone_memberships(access)  # admins only
    form = PersonForm(request.POST or None, zone=access.zone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            person = actions.create_person(
                data["username"],
                data["password"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                by=request.user,
                zone=access.zone,
            )
            actions.add_member(access.zone, person, data["role"], data["unit"], by=request.user)
        messages.success(request, _("已新增人员“%(name)s”") % {"name": data["full_name"]})
        return redirect("org:person_detail", access.zone.code, person.pk)
    return render(request, "org/person_form.html", {"form": form, "nav": "people"})


@require_safe
@zone_view
def person_detail(request: ZoneRequest, access: Access, user_id: int) -> HttpResponse:
    person = get_person(access, user_id)
    context = {
        "person": person,
        "memberships": zone_memberships(access).filter(user=person),
        "membership_form": MembershipForm(zone=access.zone),
        "password_form": PasswordForm(user=person),
        "contact_form": ContactForm(initial={"email": person.email, "phone": phone_of(person)}),
        "manages_account": manages_account(access, person),
        "nav": "people",
    }
    return render(request, "org/person_detail.html", context)


@require_POST
@zone_view
def membership_add(request: ZoneRequest, access: Access, user_id: int) -> HttpResponse:
    person = get_person(access, user_id)
    form = MembershipForm(request.POST, zone=access.zone)
    if form.is_valid():
        role, unit = form.cleaned_data["role"], form.cleaned_data["unit"]
        if role not in UNIT_ROLES:
            unit = None
        if zone_memberships(access).filter(user=person, role=role, unit=unit).exists():
            messages.error(request, _("该人员已有这个角色"))
        elif auditor_conflict(person, role):
            if role == Role.AUDITOR or person.memberships.filter(role=Role.AUDITOR).exists():
                messages.error(request, _("审计管理员不能兼任其他角色（三权分立），请为审计另设账号"))
            else:
                messages.error(request, _("企业用户和金融机构用户的账号不能兼任其他角色，请另设账号"))
        else:
            actions.add_member(access.zone, person, role, unit, by=request.user)
            messages.success(request, _("已添加角色"))
    else:
        flash_form_errors(request, form)
    return redirect("org:person_detail", access.zone.code, person.pk)


@require_POST
@zone_view
def membership_remove(request: ZoneRequest, access: Access, membership_id: int) -> HttpResponse:
    membership = get_membership(access, membership_id)
    if not can_remove_membership(access, membership):
        messages.error(request, _("不能移除自己的管理员角色"))
    else:
        actions.remove_member(membership, request.user)
        messages.success(request, _("已移除角色"))
    if zone_memberships(access).filter(user_id=membership.user_id).exists():
        return redirect("org:person_detail", access.zone.code, membership.user_id)
    return redirect("org:person_list", access.zone.code)


def _refuse_shared_account(request: ZoneRequest, access: Access, person: User, event: Event) -> HttpResponse:
    """An account with roles in other zones is the platform administrator's: refused and recorded."""
    record(event, request=request, obj=person, outcome=Outcome.DENIED, detail={"reason": "shared account"})
    messages.error(
        request, _("该人员在其他园区也有角色（或是平台管理员），只能由平台管理员重置密码或停用账号")
    )
    return redirect("org:person_detail", access.zone.code, person.pk)


@require_POST
@zone_view
def person_password(request: ZoneRequest, access: Access, user_id: int) -> HttpResponse:
    person = get_person(access, user_id)
    if not manages_account(access, person):
        return _refuse_shared_account(request, access, person, Event.PASSWORD_RESET)
    form = PasswordForm(request.POST, user=person)
    if form.is_valid():
        actions.set_password(person, form.cleaned_data["password"], by=request.user, zone=access.zone)
        messages.success(request, _("密码已重置，该人员下次登录时须修改密码"))
    else:
        flash_form_errors(request, form)
    return redirect("org:person_detail", access.zone.code, person.pk)


@require_POST
@zone_view
def person_active(request: ZoneRequest, access: Access, user_id: int) -> HttpResponse:
    person = get_person(access, user_id)
    if not manages_account(access, person):
        return _refuse_shared_account(request, access, person, Event.PERSON_ACTIVE)
    if person.pk == request.user.pk:
        messages.error(request, _("不能停用自己的账号"))
    else:
        actions.set_person_active(
            person, request.POST.get("active") == "1", by=request.user, zone=access.zone
        )
        messages.success(request, _("账号已启用") if person.is_active else _("账号已停用"))
    return redirect("org:person_detail", access.zone.code, person.pk)


@require_POST
@zone_view
def person_contact(request: ZoneRequest, access: Access, user_id: int) -> HttpResponse:
    person = get_person(access, user_id)
    if not manages_account(access, person):
        return _refuse_shared_account(request, access, person, Event.SETTINGS_CHANGE)
    form = ContactForm(request.POST)
    if form.is_valid():
        actions.set_contact(person, form.cleaned_data["email"], form.cleaned_data["phone"])
        messages.success(request, _("已保存联系方式"))
    else:
        flash_form_errors(request, form)
    return redirect("org:person_detail", access.zone.code, person.pk)


@require_safe
@zone_view
def people_export(request: ZoneRequest, access: Access) -> HttpResponse:
    """The zone's people with their contact details: personal data, so the export is in the audit trail."""
    rows = people_rows(access)
    record(
        Event.EXPORT,
        request=request,
        object_type="org.people",
        object_repr=_("人员名单"),
        detail={"rows": len(rows)},
    )
    return xlsx_response(people_workbook(rows), _("人员名单"))
