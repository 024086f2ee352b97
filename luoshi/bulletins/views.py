"""The bulletin pages: the list (issued ones for everyone, drafts for the office), drafting a period, the
document with its paragraphs edited in place, issuing, and the Word and PDF downloads."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from luoshi.alerts.orders import person_name
from luoshi.alerts.prints import PrintUnavailable
from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.bulletins import actions, queries
from luoshi.bulletins.document import Bulletin as Document
from luoshi.bulletins.facts import Period
from luoshi.bulletins.forms import DraftForm
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.pdf import bulletin_pdf as render_pdf
from luoshi.bulletins.word import bulletin_docx
from luoshi.lib.downloads import attachment
from luoshi.lib.htmx import render_page
from luoshi.org.queries import Access
from luoshi.org.zones import ZoneRequest, zone_view

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _list(request: ZoneRequest, access: Access, form: DraftForm | None) -> HttpResponse:
    context = {"bulletins": list(queries.visible_bulletins(access)), "form": form, "nav": "bulletins"}
    return render(request, "bulletins/bulletin_list.html", context)


@require_safe
@zone_view
def bulletin_list(request: ZoneRequest, access: Access) -> HttpResponse:
    form = DraftForm(timezone.localdate()) if queries.can_draft(access) else None
    return _list(request, access, form)


def _drafted(request: ZoneRequest, access: Access, period: Period) -> HttpResponse | Bulletin:
    try:
        return actions.draft_bulletin(access.zone, period, request.user)
    except actions.BulletinRefused as refused:
        messages.error(request, str(refused))
        return redirect("bulletins:list", access.zone.code)


@require_POST
@zone_view
def bulletin_draft(request: ZoneRequest, access: Access) -> HttpResponse:
    if not queries.can_draft(access):
        raise Http404
    form = DraftForm(timezone.localdate(), request.POST)
    if not form.is_valid():
        return _list(request, access, form)
    bulletin = _drafted(request, access, form.chosen())
    if isinstance(bulletin, HttpResponse):
        return bulletin
    messages.success(request, _("已根据数据起草%(title)s，请核对修改后印发。") % {"title": bulletin.title})
    return redirect("bulletins:detail", access.zone.code, bulletin.pk)


def _editable(access: Access, bulletin_id: int) -> Bulletin:
    bulletin = queries.get_bulletin(access, bulletin_id)
    if not queries.can_draft(access):
        raise Http404
    return bulletin


@require_POST
@zone_view
def bulletin_redraft(request: ZoneRequest, access: Access, bulletin_id: int) -> HttpResponse:
    old = _editable(access, bulletin_id)
    bulletin = _drafted(request, access, Period(old.kind, old.year, old.index))
    if isinstance(bulletin, HttpResponse):
        return bulletin
    messages.success(request, _("已按最新数据重新生成。"))
    return redirect("bulletins:detail", access.zone.code, bulletin.pk)


@require_safe
@zone_view
def bulletin_detail(request: ZoneRequest, access: Access, bulletin_id: int) -> HttpResponse:
    bulletin = queries.get_bulletin(access, bulletin_id)
    context = {
        "bulletin": bulletin,
        "doc": queries.document(bulletin),
        "editable": queries.can_draft(access) and not bulletin.is_issued,
        "issued_by": person_name(bulletin.issued_by) if bulletin.issued_by else "",
        "nav": "bulletins",
    }
    return render_page(request, "bulletins/bulletin_detail.html", context, partial="body")


@require_http_methods(["GET", "HEAD", "POST"])
@zone_view
def bulletin_paragraph(
    request: ZoneRequest, access: Access, bulletin_id: int, section: int, index: int
) -> HttpResponse:
    """GET: the paragraph's edit box (htmx) ; POST: save it and show the paragraph again."""
    bulletin = _editable(access, bulletin_id)
    error = ""
    if request.method == "POST":
        try:
            bulletin = actions.edit_paragraph(
                bulletin, section, index, request.POST.get("text", ""), request.user
            )
        except actions.BulletinRefused as refused:
            error = str(refused)
        if not error and not request.htmx:
            messages.success(request, _("已保存。"))
            return redirect("bulletins:detail", access.zone.code, bulletin.pk)
        if not error:  # the whole body again: a removed paragraph renumbers the ones after it
            response = _detail_fragment(request, access, bulletin, "body")
            return reswap(retarget(response, "#bulletin-body"), "outerHTML")
    sections = bulletin.content.get("sections", [])
    if bulletin.is_issued and not error:  # nothing to edit any more
        raise Http404
    if not 0 <= section < len(sections) or not 0 <= index < len(sections[section]["paragraphs"]):
        raise Http404
    context = {
        "bulletin": bulletin,
        "s": section,
        "i": index,
        "text": request.POST.get("text", sections[section]["paragraphs"][index]),
        "error": error,
    }
    return render(request, "bulletins/_paragraph_form.html", context)  # htmx swaps only a 200


def _detail_fragment(request: ZoneRequest, access: Access, bulletin: Bulletin, partial: str) -> HttpResponse:
    context = {"bulletin": bulletin, "doc": queries.document(bulletin), "editable": True}
    return render_page(request, "bulletins/bulletin_detail.html", context, partial=partial)


@require_POST
@zone_view
def bulletin_title(request: ZoneRequest, access: Access, bulletin_id: int) -> HttpResponse:
    bulletin = _editable(access, bulletin_id)
    try:
        actions.edit_title(bulletin, request.POST.get("title", ""), request.user)
    except actions.BulletinRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("标题已保存。"))
    return redirect("bulletins:detail", access.zone.code, bulletin.pk)


@require_POST
@zone_view
def bulletin_issue(request: ZoneRequest, access: Access, bulletin_id: int) -> HttpResponse:
    bulletin = _editable(access, bulletin_id)
    try:
        bulletin = actions.issue_bulletin(bulletin, request.user, request)
    except actions.BulletinRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("已印发第%(n)d期，并通知全区各单位。") % {"n": bulletin.number},
        )
    return redirect("bulletins:detail", access.zone.code, bulletin.pk)


def _filename(doc: Document, suffix: str) -> str:
    draft = _("（草稿）") if doc.draft else ""
    return _("督查通报%(year)d年第%(n)d期%(draft)s.%(suffix)s") % {
        "year": doc.year,
        "n": doc.number,
        "draft": draft,
        "suffix": suffix,
    }


@require_safe
@zone_view
def bulletin_word(request: ZoneRequest, access: Access, bulletin_id: int) -> HttpResponse:
    bulletin = queries.get_bulletin(access, bulletin_id)
    doc = queries.document(bulletin)
    content = bulletin_docx(doc)
    record(Event.PRINT, request=request, obj=bulletin, detail={"format": "docx"})
    return attachment(content, DOCX, _filename(doc, "docx"))


@require_safe
@zone_view
def bulletin_pdf(request: ZoneRequest, access: Access, bulletin_id: int) -> HttpResponse:
    bulletin = queries.get_bulletin(access, bulletin_id)
    doc = queries.document(bulletin)
    try:
        content = render_pdf(doc)
    except PrintUnavailable as unavailable:
        messages.error(request, str(unavailable))
        return redirect("bulletins:detail", access.zone.code, bulletin.pk)
    record(Event.PRINT, request=request, obj=bulletin, detail={"format": "pdf"})
    return attachment(content, "application/pdf", _filename(doc, "pdf"))
