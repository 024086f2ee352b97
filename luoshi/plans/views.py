from urllib.parse import quote

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.lib.htmx import render_page
from luoshi.lib.messages import flash_form_errors
from luoshi.org.choices import UnitType
from luoshi.org.queries import Access, visible_units
from luoshi.org.resolving import CREATE_PREFIX, MAP_PREFIX
from luoshi.org.zones import ZoneRequest, zone_view
from luoshi.plans import actions, queries
from luoshi.plans.choices import ItemStatus, PlanStatus
from luoshi.plans.export import export_filename, export_plan_xlsx
from luoshi.plans.forms import ItemForm, MilestoneForm, PlanForm, PlanUploadForm, StatusForm, TargetForm
from luoshi.plans.importing import preview_import
from luoshi.plans.models import PlanItem, Target
from luoshi.plans.parsing import parse_plan_file
from luoshi.plans.signals import Context, TreeReading, read_tree, scope
from luoshi.sheets.preview import answers_from
from luoshi.sheets.uploads import drop_stash, load_stash, stash_upload


def _filters(access: Access, request: HttpRequest) -> queries.PlanFilters:
    unit = None
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = visible_units(access).filter(pk=int(unit_id)).first()
    status = request.GET.get("status", "")
    return queries.PlanFilters(
        unit=unit,
        status=status if status in ItemStatus.values else "",
        search=request.GET.get("q", "").strip()[:100],
        overdue=request.GET.get("overdue") == "1",
    )


@require_safe
@zone_view
def plan_detail(request: ZoneRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = queries.get_plan(access, plan_id)
    filters = _filters(access, request)
    today = timezone.localdate()
    offset = int(request.GET["offset"]) if request.GET.get("offset", "").isdigit() else 0
    page = queries.tree_page(
        access, plan, filters, today, offset=offset, expand_all=request.GET.get("expand") == "all"
    )
    more_query = request.GET.copy()
    more_query["offset"] = str(page.more_from or 0)
    # One statement reads the signals of every item the page counts, and the overview's counts with them.
    reading = read_tree(
        queries.filtered_items(access, plan, filters, today), Context(access, today, plan.year)
    )
    context = {
        "plan": plan,
        "page": page,
        "rows": reading.rows(page.rows),
        "filters": filters,
        "today": today,
        "more_query": more_query.urlencode(),
        "nav": "plans",
    }
    if offset:  # "show more" of a long filtered list: just the next rows
        return render(request, "plans/plan_detail.html#rows", context)
    summary = reading.summary(today)
    context |= {
        "summary": summary,
        "chart": summary.chart_data(),
        "units": visible_units(access).only("id", "name"),
        "statuses": ItemStatus.choices,
    }
    return render_page(request, "plans/plan_detail.html", context, partial="tree")


@require_safe
@zone_view
def plan_children(request: ZoneRequest, access: Access, plan_id: int, item_id: int) -> HttpResponse:
    """The rows one level under an item, for the tree's expand-on-demand, with their signals rolled up over
    the subtree under the item."""
    parent = queries.tree_parent(access, plan_id, item_id)
    plan = parent.plan
    rows = queries.child_rows(access, parent)
    page = queries.TreePage(rows, set(), None, partial=False)
    today = timezone.localdate()
    reading = TreeReading({}, [])
    if rows:
        reading = read_tree(scope(access, plan, under=parent.path), Context(access, today, plan.year))
    context = {"plan": plan, "page": page, "rows": reading.rows(rows), "today": today}
    return render(request, "plans/plan_detail.html#rows", context)


@zone_view
def plan_create(request: ZoneRequest, access: Access) -> HttpResponse:
    if not queries.can_edit_plans(access):
        raise Http404
    form = PlanForm(
        request.POST or None, initial={"year": timezone.localdate().year, "level_names": "任务/措施"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if queries.visible_plans(access).filter(year=data["year"], title=data["title"]).exists():
            form.add_error("title", _("该年度已有同名计划"))
        else:
            plan = actions.create_plan(
                access.zone, data["year"], data["title"], data["level_names"], request.user
            )
            return redirect("plans:plan_detail", access.zone.code, plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "nav": "plans"})


@zone_view
def plan_edit(request: ZoneRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = queries.get_plan_for_edit(access, plan_id)
    initial = {"title": plan.title, "year": plan.year, "level_names": "/".join(plan.level_names)}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        clash = (
            queries.visible_plans(access).filter(year=data["year"], title=data["title"]).exclude(pk=plan.pk)
        )
        if clash.exists():
            form.add_error("title", _("该年度已有同名计划"))
        else:
            actions.update_plan(plan, data, request.user)
            return redirect("plans:plan_detail", access.zone.code, plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan, "nav": "plans"})


@require_POST
@zone_view
def plan_issue(request: ZoneRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = queries.get_plan_for_edit(access, plan_id)
    if request.POST.get("withdraw"):
        actions.withdraw_plan(plan, request.user)
        messages.success(request, _("计划已撤回为草稿，责任单位暂时看不到其中事项"))
    else:
        actions.issue_plan(plan, request.user)
        messages.success(request, _("计划已下发，牵头单位和配合单位现在可以看到各自的事项"))
    return redirect("plans:plan_detail", access.zone.code, plan.pk)


@require_POST
@zone_view
def plan_delete(request: ZoneRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = queries.get_plan_for_edit(access, plan_id)
    if plan.status == PlanStatus.ISSUED:
        messages.error(request, _("已下发的计划不能删除，请先撤回"))
        return redirect("plans:plan_detail", access.zone.code, plan.pk)
    actions.delete_plan(plan, request.user)
    messages.success(request, _("计划“%(title)s”已删除") % {"title": plan.title})
    return redirect("front:zone_home", access.zone.code)


@require_safe
@zone_view
def plan_export(request: ZoneRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = queries.get_plan(access, plan_id)
    items = queries.visible_plan_items(access, plan)
    record(Event.EXPORT, request=request, obj=plan, detail={"format": "xlsx", "items": len(items)})
    response = HttpResponse(
        export_plan_xlsx(plan, items),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = export_filename(plan)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@zone_view
def item_create(request: ZoneRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = queries.get_plan_for_edit(access, plan_id)
    parent = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id and str(parent_id).isdigit():
        parent = queries.get_item_for_edit(access, int(parent_id))
        if parent.plan_id != plan.pk:
            raise Http404
    form = ItemForm(request.POST or None, zone=access.zone, instance=PlanItem(plan=plan, zone=access.zone))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "co_units"}
        item = actions.add_item(plan, parent, data, form.cleaned_data["co_units"], request.user)
        messages.success(request, _("已新增事项“%(title)s”") % {"title": item.title})
        return redirect("front:item_detail", access.zone.code, item.pk)
    level = (parent.depth + 1) if parent else 1
    context = {
        "form": form,
        "plan": plan,
        "parent": parent,
        "level_name": plan.level_name(level),
        "nav": "plans",
    }
    return render(request, "plans/item_form.html", context)


@zone_view
def item_edit(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    item = queries.get_item_for_edit(access, item_id)
    form = ItemForm(request.POST or None, zone=access.zone, instance=item)
    if request.method == "POST" and form.is_valid():
        # ModelForm.is_valid() copied the data onto the instance; re-read it so the action sees the changes.
        fresh = PlanItem.objects.get(pk=item.pk)
        data = {k: v for k, v in form.cleaned_data.items() if k != "co_units"}
        actions.update_item(fresh, data, request.user, co_units=form.cleaned_data["co_units"])
        messages.success(request, _("已保存"))
        return redirect("front:item_detail", access.zone.code, item.pk)
    context = {
        "form": form,
        "plan": item.plan,
        "item": item,
        "level_name": item.plan.level_name(item.depth),
        "nav": "plans",
    }
    return render(request, "plans/item_form.html", context)


@require_POST
@zone_view
def item_delete(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    item = queries.get_item_for_edit(access, item_id)
    actions.delete_item(item, request.user)
    messages.success(request, _("已删除事项“%(title)s”及其下级事项") % {"title": item.title})
    return redirect("plans:plan_detail", access.zone.code, item.plan_id)


@require_POST
@zone_view
def item_move(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    """Up / down among siblings, or under another parent (placed last)."""
    item = queries.get_item_for_edit(access, item_id)
    direction = request.POST.get("direction")
    parent: PlanItem | None
    if direction in ("up", "down"):
        index, count = queries.sibling_index(item)
        parent, position = item.parent, index - 1 if direction == "up" else index + 1
        if not 0 <= position < count:
            return redirect("front:item_detail", access.zone.code, item.pk)
    else:
        raw = request.POST.get("parent")
        if raw is None or (raw and not raw.isdigit()):
            raise Http404
        parent = queries.get_item_for_edit(access, int(raw)) if raw else None
        position = None
    try:
        actions.move_item(item, parent, position, request.user)
        messages.success(request, _("已移动"))
    except actions.MoveRefused as refused:
        messages.error(request, str(refused))
    return redirect("front:item_detail", access.zone.code, item.pk)


@require_POST
@zone_view
def item_status(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    item = queries.get_item_for_update(access, item_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        actions.set_item_status(item, form.cleaned_data["status"], request.user)
        messages.success(request, _("状态已更新"))
    else:
        messages.error(request, _("状态无效"))
    return redirect("front:item_detail", access.zone.code, item.pk)


@zone_view
def target_create(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    item = queries.get_item_for_edit(access, item_id)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_target(item, form.cleaned_data, request.user)
        return redirect("front:item_detail", access.zone.code, item.pk)
    return render(request, "plans/target_form.html", {"form": form, "item": item, "nav": "plans"})


@zone_view
def target_edit(request: ZoneRequest, access: Access, target_id: int) -> HttpResponse:
    target = queries.get_target_for_edit(access, target_id)
    form = TargetForm(
        request.POST or None, instance=Target.objects.get(pk=target.pk)
    )  # the form edits a copy
    if request.method == "POST" and form.is_valid():
        actions.update_target(target, form.cleaned_data, request.user)
        return redirect("front:item_detail", access.zone.code, target.item_id)
    return render(
        request,
        "plans/target_form.html",
        {"form": form, "item": target.item, "target": target, "nav": "plans"},
    )


@require_POST
@zone_view
def target_delete(request: ZoneRequest, access: Access, target_id: int) -> HttpResponse:
    target = queries.get_target_for_edit(access, target_id)
    actions.delete_target(target, request.user)
    return redirect("front:item_detail", access.zone.code, target.item_id)


@require_POST
@zone_view
def milestone_create(request: ZoneRequest, access: Access, item_id: int) -> HttpResponse:
    item = queries.get_item_for_update(access, item_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actions.add_milestone(item, data["title"], data["due_date"], data["weight"], request.user)
    else:
        flash_form_errors(request, form)
    return redirect("front:item_detail", access.zone.code, item.pk)


@require_POST
@zone_view
def milestone_toggle(request: ZoneRequest, access: Access, milestone_id: int) -> HttpResponse:
    milestone = queries.get_milestone_for_update(access, milestone_id)
    actions.set_milestone_done(milestone, not milestone.done, timezone.localdate(), request.user)
    return redirect("front:item_detail", access.zone.code, milestone.item_id)


@require_POST
@zone_view
def milestone_delete(request: ZoneRequest, access: Access, milestone_id: int) -> HttpResponse:
    milestone = queries.get_milestone_for_delete(access, milestone_id)
    actions.delete_milestone(milestone, request.user)
    return redirect("front:item_detail", access.zone.code, milestone.item_id)


@zone_view
def import_upload(request: ZoneRequest, access: Access) -> HttpResponse:
    if not queries.can_edit_plans(access):
        raise Http404
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = stash_upload(access, data["file"], data["year"], data["title"])
        return redirect("plans:import_preview", access.zone.code, token)
    return render(request, "plans/import_upload.html", {"form": form, "nav": "import"})


@zone_view
def import_preview(request: ZoneRequest, access: Access, token: str) -> HttpResponse:
    if not queries.can_edit_plans(access):
        raise Http404
    stash = load_stash(access, token)
    resolutions = answers_from(request.POST) if request.method == "POST" else {}
    title = request.POST.get("title", stash.title) if request.method == "POST" else stash.title
    parsed = parse_plan_file(stash.data, stash.filename, stash.year)
    preview = preview_import(
        access.zone, stash.year, parsed, resolutions, title=title, source_name=stash.filename
    )
    if request.method == "POST" and request.POST.get("commit") and not preview.has_errors:
        with transaction.atomic():
            plan = actions.import_plan(preview, request.user)
            detail = {"file": stash.filename, "items": len(parsed.nodes), "new_units": len(preview.new_units)}
            record(Event.IMPORT, request=request, obj=plan, detail=detail)
        drop_stash(token)
        messages.success(
            request,
            _("已导入计划“%(title)s”，共 %(count)d 个事项")
            % {"title": plan.title, "count": len(parsed.nodes)},
        )
        return redirect("plans:plan_detail", access.zone.code, plan.pk)
    context = {
        "stash": stash,
        "preview": preview,
        "units": visible_units(access).only("id", "name"),
        "unit_types": UnitType.choices,
        "resolutions": resolutions,
        "map_prefix": MAP_PREFIX,
        "create_prefix": CREATE_PREFIX,
        "n_errors": preview.n_errors,
        "n_warnings": preview.n_warnings,
        "nav": "import",
    }
    return render(request, "plans/import_preview.html", context)
