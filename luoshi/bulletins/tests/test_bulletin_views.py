"""The bulletin pages (bulletins.views): who sees which bulletin, who drafts, edits and issues, the htmx paragraph
edit, and the Word and PDF downloads.

November's bulletin is issued (第1期); October's is a draft (it would be 第2期)."""

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import docx
import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.alerts import prints
from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.bulletins import actions
from luoshi.bulletins.choices import BulletinStatus, PeriodKind
from luoshi.bulletins.facts import Period
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.tests.conftest import NOVEMBER, OCTOBER, paragraphs
from luoshi.conftest import World

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOVEMBER_TITLE = "关于2026年11月全区重点工作推进情况的通报"
OCTOBER_TITLE = "关于2026年10月全区重点工作推进情况的通报"
OFFICE = ["admin", "supervisor"]
READERS = ["leader", "viewer", "unithead", "liaison", "liaison_dev"]
needs_font = pytest.mark.skipif(not prints.CJK_FONT.is_file(), reason="fonts-wqy-microhei is not installed")

Login = Callable[[User], Client]


def url(name: str, *args: int, zone: str = "alpha") -> str:
    return reverse(f"bulletins:{name}", args=[zone, *args])


@pytest.fixture
def issued(world: World, clock: time_machine.Traveller) -> Bulletin:
    bulletin = actions.draft_bulletin(world.zone, NOVEMBER, world.user("supervisor"))
    return actions.issue_bulletin(bulletin, world.user("supervisor"))


@pytest.fixture
def draft(world: World, issued: Bulletin) -> Bulletin:
    return actions.draft_bulletin(world.zone, OCTOBER, world.user("supervisor"))


def _state() -> list[tuple[int, str, str, int | None, object]]:
    """Every bulletin as stored: what a refused request must leave alone."""
    return list(Bulletin.objects.order_by("pk").values_list("pk", "title", "status", "number", "content"))


def _writes(draft: Bulletin) -> list[tuple[str, dict[str, str]]]:
    """Every write the office may make, as (url, data)."""
    return [
        (url("draft"), {"period": "month:2026:9"}),
        (url("redraft", draft.pk), {}),
        (url("paragraph", draft.pk, 0, 0), {"text": "改写"}),
        (url("title", draft.pk), {"title": "新标题"}),
        (url("issue", draft.pk), {}),
    ]


# Who sees what --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_members_read_the_issued_bulletins_only(
    world: World, login: Login, issued: Bulletin, draft: Bulletin, persona: str
) -> None:
    client = login(world.user(persona))
    page = client.get(url("list")).content.decode()
    assert NOVEMBER_TITLE in page and "2026年第1期" in page and url("detail", issued.pk) in page
    assert OCTOBER_TITLE not in page and url("detail", draft.pk) not in page
    assert "根据数据起草" not in page
    detail = client.get(url("detail", issued.pk)).content.decode()
    assert "督查通报 2026年第1期" in detail and NOVEMBER_TITLE in detail and "一、总体推进情况" in detail
    for name in ("detail", "docx", "pdf"):
        assert client.get(url(name, draft.pk)).status_code == 404
    assert client.get(url("paragraph", draft.pk, 0, 0)).status_code == 404


@pytest.mark.parametrize("persona", OFFICE)
def test_the_office_sees_drafts_too(
    world: World, login: Login, issued: Bulletin, draft: Bulletin, persona: str
) -> None:
    client = login(world.user(persona))
    page = client.get(url("list")).content.decode()
    assert NOVEMBER_TITLE in page and OCTOBER_TITLE in page and "根据数据起草" in page
    assert page.index(NOVEMBER_TITLE) < page.index(OCTOBER_TITLE)  # newest period first
    detail = client.get(url("detail", draft.pk)).content.decode()
    assert "督查通报（草稿）" in detail and "印发（第2期）" in detail
    assert url("paragraph", draft.pk, 0, 0) in detail and url("issue", draft.pk) in detail


@pytest.mark.parametrize("persona", [*READERS, "outsider", "auditor"])
def test_only_the_office_writes(
    world: World, login: Login, auditor: User, draft: Bulletin, persona: str
) -> None:
    client = login(world.user(persona))
    before = _state()
    for target, data in _writes(draft):
        assert client.post(target, data).status_code == 404, target
    assert _state() == before


def test_another_zone_sees_nothing(world: World, login: Login, issued: Bulletin, draft: Bulletin) -> None:
    client = login(world.user("outsider"))  # the supervision office of zone beta
    for name in ("list",):
        assert client.get(url(name)).status_code == 404
    for name in ("detail", "docx", "pdf"):
        assert client.get(url(name, issued.pk)).status_code == 404
        assert client.get(url(name, issued.pk, zone="beta")).status_code == 404  # through their own zone
    before = _state()
    assert client.post(url("issue", draft.pk, zone="beta")).status_code == 404
    assert client.post(url("paragraph", draft.pk, 0, 0, zone="beta"), {"text": "改写"}).status_code == 404
    assert client.post(url("redraft", draft.pk, zone="beta")).status_code == 404
    assert _state() == before
    assert NOVEMBER_TITLE not in client.get(url("list", zone="beta")).content.decode()


def test_the_auditor_sees_no_bulletin_page(
    world: World, login: Login, auditor: User, draft: Bulletin
) -> None:
    client = login(auditor)
    issued = Bulletin.objects.get(status=BulletinStatus.ISSUED)
    pages = [url("list"), url("paragraph", draft.pk, 0, 0)]
    pages += [url(name, b.pk) for b in (issued, draft) for name in ("detail", "docx", "pdf")]
    for page in pages:
        assert client.get(page).status_code == 404, page


def test_signed_out_goes_to_sign_in(client: Client, world: World, issued: Bulletin) -> None:
    for response in (
        client.get(url("list")),
        client.get(url("detail", issued.pk)),
        client.post(url("draft")),
    ):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url("list")).status_code == 200
    return len(seen.captured_queries)


def test_the_list_in_a_fixed_number_of_queries(world: World, login: Login, draft: Bulletin) -> None:
    client = login(world.user("supervisor"))
    few = _list_queries(client)
    for month in (7, 8, 9):
        actions.draft_bulletin(world.zone, Period(PeriodKind.MONTH, 2026, month), world.user("supervisor"))
    assert _list_queries(client) == few <= 8


# Drafting -------------------------------------------------------------------------------------------------------


def test_draft_a_period(world: World, login: Login, clock: time_machine.Traveller) -> None:
    client = login(world.user("supervisor"))
    page = client.get(url("list")).content.decode()
    assert 'value="month:2026:11" selected' in page  # last month by default
    response = client.post(url("draft"), {"period": "month:2026:11"}, follow=True)
    bulletin = Bulletin.objects.get()
    assert response.redirect_chain == [(url("detail", bulletin.pk), 302)]
    assert (bulletin.year, bulletin.index, bulletin.drafted_by) == (2026, 11, world.user("supervisor"))
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [f"已根据数据起草{NOVEMBER_TITLE}，请核对修改后印发。"]


@pytest.mark.parametrize(
    "period, error",
    [
        ("month:2020:1", "只能起草最近一年内的月度或季度通报"),
        ("month:2027:1", "只能起草最近一年内的月度或季度通报"),
        ("nonsense", "只能起草最近一年内的月度或季度通报"),
        ("", "请选择通报期间"),
    ],
)
def test_draft_a_bad_period(
    world: World, login: Login, clock: time_machine.Traveller, period: str, error: str
) -> None:
    response = login(world.user("admin")).post(url("draft"), {"period": period})
    assert response.status_code == 200 and error in response.content.decode()
    assert not Bulletin.objects.exists()


def test_draft_an_issued_period(world: World, login: Login, issued: Bulletin) -> None:
    before = _state()
    response = login(world.user("supervisor")).post(url("draft"), {"period": "month:2026:11"}, follow=True)
    assert response.redirect_chain == [(url("list"), 302)]
    assert [str(m) for m in response.context["messages"]] == [f"{NOVEMBER_TITLE}已印发，不能重新生成。"]
    assert _state() == before


def test_redraft(world: World, login: Login, draft: Bulletin) -> None:
    client = login(world.user("admin"))
    actions.edit_paragraph(draft, 0, 0, "改过的一段。", world.user("supervisor"))
    response = client.post(url("redraft", draft.pk), follow=True)
    assert response.redirect_chain == [(url("detail", draft.pk), 302)]
    assert [str(m) for m in response.context["messages"]] == ["已按最新数据重新生成。"]
    assert "改过的一段。" not in paragraphs(draft, 0) and Bulletin.objects.count() == 2


def test_redraft_an_issued_bulletin(world: World, login: Login, issued: Bulletin) -> None:
    before = _state()
    response = login(world.user("admin")).post(url("redraft", issued.pk))
    assert response.status_code == 302 and response["Location"] == url("list")
    assert _state() == before


# Editing --------------------------------------------------------------------------------------------------------


def test_the_paragraph_form_fragment(world: World, login: Login, draft: Bulletin) -> None:
    text = paragraphs(draft, 0)[0]
    response = login(world.user("supervisor")).get(url("paragraph", draft.pk, 0, 0), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<form class="para para-edit"') and f">{text}</textarea>" in body
    assert f'hx-post="{url("paragraph", draft.pk, 0, 0)}"' in body


def test_a_paragraph_that_is_not_there(world: World, login: Login, draft: Bulletin) -> None:
    client = login(world.user("supervisor"))
    assert client.get(url("paragraph", draft.pk, 0, 9)).status_code == 404
    assert client.get(url("paragraph", draft.pk, 9, 0)).status_code == 404
    before = _state()
    assert (
        client.post(url("paragraph", draft.pk, 9, 0), {"text": "新的"}, HTTP_HX_REQUEST="true").status_code
        == 404
    )
    assert _state() == before


def test_save_a_paragraph_with_htmx(world: World, login: Login, draft: Bulletin) -> None:
    response = login(world.user("supervisor")).post(
        url("paragraph", draft.pk, 0, 1), {"text": "与上月相比总体平稳。"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<div id="bulletin-body">') and "与上月相比总体平稳。" in body
    assert response["HX-Retarget"] == "#bulletin-body" and response["HX-Reswap"] == "outerHTML"
    assert paragraphs(draft, 0)[1] == "与上月相比总体平稳。"


def test_remove_a_paragraph_with_htmx(world: World, login: Login, draft: Bulletin) -> None:
    before = paragraphs(draft, 0)
    response = login(world.user("admin")).post(
        url("paragraph", draft.pk, 0, 0), {"text": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and before[0] not in response.content.decode()
    assert paragraphs(draft, 0) == before[1:]


def test_a_bad_paragraph_with_htmx(world: World, login: Login, draft: Bulletin) -> None:
    before = _state()
    response = login(world.user("supervisor")).post(
        url("paragraph", draft.pk, 0, 0), {"text": "长" * 2001}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert body.lstrip().startswith('<form class="para para-edit"')
    assert '<ul class="errorlist"><li>段落不能超过2000个字。</li></ul>' in body and "长" * 2001 in body
    assert _state() == before


def test_save_a_paragraph_without_javascript(world: World, login: Login, draft: Bulletin) -> None:
    response = login(world.user("supervisor")).post(
        url("paragraph", draft.pk, 0, 0), {"text": "新的一段。"}, follow=True
    )
    assert response.redirect_chain == [(url("detail", draft.pk), 302)]
    assert [str(m) for m in response.context["messages"]] == ["已保存。"]
    assert paragraphs(draft, 0)[0] == "新的一段。"


def test_the_title(world: World, login: Login, draft: Bulletin) -> None:
    client = login(world.user("supervisor"))
    response = client.post(url("title", draft.pk), {"title": "关于10月重点工作的通报"}, follow=True)
    assert response.redirect_chain == [(url("detail", draft.pk), 302)]
    assert [str(m) for m in response.context["messages"]] == ["标题已保存。"]
    draft.refresh_from_db()
    assert draft.title == "关于10月重点工作的通报"
    response = client.post(url("title", draft.pk), {"title": " "}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["标题不能为空。"]
    draft.refresh_from_db()
    assert draft.title == "关于10月重点工作的通报"


# Issuing --------------------------------------------------------------------------------------------------------


def test_issue(world: World, login: Login, clock: time_machine.Traveller) -> None:
    client = login(world.user("supervisor"))
    bulletin = actions.draft_bulletin(world.zone, NOVEMBER, world.user("admin"))
    response = client.post(url("issue", bulletin.pk), follow=True)
    assert response.redirect_chain == [(url("detail", bulletin.pk), 302)]
    assert [str(m) for m in response.context["messages"]] == ["已印发第1期，并通知全区各单位。"]
    page = response.content.decode()
    assert "督查通报 2026年第1期" in page and "第1期" in page and "（草稿）" not in page
    assert 'data-testid="issue-bulletin"' not in page and url("paragraph", bulletin.pk, 0, 0) not in page
    assert url("title", bulletin.pk) not in page and url("redraft", bulletin.pk) not in page
    assert "由supervisor印发" in page
    bulletin.refresh_from_db()
    assert (bulletin.number, bulletin.issued_by) == (1, world.user("supervisor"))
    assert AuditEvent.objects.get(event=Event.BULLETIN_ISSUE).user == world.user("supervisor")
    # Issued: editing is refused and nothing changes.
    before = _state()
    response = client.post(url("paragraph", bulletin.pk, 0, 0), {"text": "改写"}, HTTP_HX_REQUEST="true")
    assert "通报已印发，不能再修改。" in response.content.decode()
    again = client.post(url("issue", bulletin.pk), follow=True)
    assert [str(m) for m in again.context["messages"]] == ["通报已印发，不能再修改。"]
    assert _state() == before


# Downloads ------------------------------------------------------------------------------------------------------


def _filename(response: HttpResponseBase, name: str) -> bool:
    return response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(name)}"


def test_word_of_the_issued_bulletin(world: World, login: Login, issued: Bulletin) -> None:
    response = login(world.user("viewer")).get(url("docx", issued.pk))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert _filename(response, "督查通报2026年第1期.docx")
    texts = [p.text for p in docx.Document(BytesIO(response.content)).paragraphs]
    assert texts[:2] == ["督查通报", "第1期"] and NOVEMBER_TITLE in texts and "一、总体推进情况" in texts
    event = AuditEvent.objects.get(event=Event.PRINT)
    assert (event.user, event.zone, event.object_id) == (world.user("viewer"), world.zone, str(issued.pk))
    assert event.detail == {"format": "docx"}


def test_word_of_a_draft(world: World, login: Login, draft: Bulletin) -> None:
    response = login(world.user("supervisor")).get(url("docx", draft.pk))
    assert response.status_code == 200 and _filename(response, "督查通报2026年第2期（草稿）.docx")
    texts = [p.text for p in docx.Document(BytesIO(response.content)).paragraphs]
    assert texts[:3] == ["督查通报", "（草稿）", "第2期"]


@needs_font
def test_pdf(world: World, login: Login, draft: Bulletin) -> None:
    client = login(world.user("admin"))
    response = client.get(url("pdf", draft.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and _filename(response, "督查通报2026年第2期（草稿）.pdf")
    issued = Bulletin.objects.get(status=BulletinStatus.ISSUED)
    assert _filename(client.get(url("pdf", issued.pk)), "督查通报2026年第1期.pdf")
    assert list(
        AuditEvent.objects.filter(event=Event.PRINT).order_by("pk").values_list("object_id", "detail")
    ) == [
        (str(draft.pk), {"format": "pdf"}),
        (str(issued.pk), {"format": "pdf"}),
    ]


def test_pdf_without_the_font_says_so(
    world: World, login: Login, issued: Bulletin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prints, "CJK_FONT", Path("/nonexistent/wqy-microhei.ttc"))
    monkeypatch.setattr(prints, "PDF_FONT_NAME", "MissingFontForBulletinViewTest")
    response = login(world.user("leader")).get(url("pdf", issued.pk), follow=True)
    assert response.redirect_chain == [(url("detail", issued.pk), 302)]
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "服务器缺少中文字体" in shown[0] and "fonts-wqy-microhei" in shown[0]
    assert not AuditEvent.objects.filter(event=Event.PRINT).exists()
