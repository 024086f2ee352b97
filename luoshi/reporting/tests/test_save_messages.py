"""Security issue, defect 10: partial or silent saves. A report saved with a refused attachment says both what
was saved and what was not; without JavaScript a form with errors comes back filled in, with a message."""

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.plans.models import PlanItem
from luoshi.reporting.models import Evidence, Period, Report
from luoshi.reporting.tests.conftest import at

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

FORM = {"progress": "40", "work_done": "完成申报培训", "submit": "1"}


@pytest.fixture(autouse=True)
def thursday() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 19, 10, 0), tick=False):
        yield


def _post(
    client: Client, period: Period, item: PlanItem, data: Mapping[str, object], htmx: bool
) -> "Response":
    url = reverse("reporting:save", kwargs={"zone": "alpha", "period_id": period.pk, "item_id": item.pk})
    return client.post(url, data, headers={"HX-Request": "true"} if htmx else {}, follow=not htmx)


@pytest.mark.parametrize("htmx", [True, False])
def test_text_saved_attachment_refused_says_both(
    world: World, week47: Period, login: Callable[[User], Client], htmx: bool
) -> None:
    disguised = SimpleUploadedFile("x.html", b"<html>not a pdf</html>")
    response = _post(login(world.user("liaison")), week47, world.item_a, FORM | {"evidence": disguised}, htmx)
    body = response.content.decode()
    assert response.status_code == 200
    assert "已保存报告内容" in body and "附件“x.html”未上传" in body and "不是 PDF" in body
    report = Report.objects.get()
    assert report.work_done == "完成申报培训" and report.status == "draft"  # not submitted without its file
    assert not Evidence.objects.exists()


def test_invalid_form_without_javascript_comes_back_with_its_errors(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    client = login(world.user("liaison"))
    response = _post(client, week47, world.item_a, FORM | {"progress": "130", "work_done": "写了半天"}, False)
    body = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain == []
    assert "报告未保存，请按提示修改" in body and "errorlist" in body and "写了半天" in body
    assert not Report.objects.exists()


def test_refused_report_without_javascript_comes_back_with_the_reason(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    client = login(world.user("liaison"))
    _post(client, week47, world.item_a, FORM, False)
    login(world.user("supervisor")).post(
        reverse(
            "reporting:transition",
            kwargs={"zone": "alpha", "report_id": Report.objects.get().pk, "verb": "accept"},
        )
    )
    client = login(world.user("liaison"))
    response = _post(client, week47, world.item_a, FORM | {"work_done": "改过的内容"}, False)
    body = response.content.decode()
    assert response.status_code == 200 and "报告未保存：已采纳的报告不能修改" in body


def test_saved_without_javascript_says_so(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    body = _post(login(world.user("liaison")), week47, world.item_a, FORM, False).content.decode()
    assert "已提交：培育高新技术企业" in body
