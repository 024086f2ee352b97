"""Security issue, defect 10: partial or silent saves. A report saved with a refused attachment says both what
was saved and what was not; without JavaScript a form with errors comes back filled in, with a message."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.reporting.models import Evidence, Report
from luoshi.reporting.tests.conftest import at

FORM = {"progress": "40", "work_done": "完成申报培训", "submit": "1"}


@pytest.fixture(autouse=True)
def thursday():
    with time_machine.travel(at(2026, 11, 19, 10, 0), tick=False):
        yield


def _post(client, period, item, data: dict, htmx: bool):
    url = reverse("reporting:save", kwargs={"zone": "alpha", "period_id": period.pk, "item_id": item.pk})
    return client.post(url, data, headers={"HX-Request": "true"} if htmx else {}, follow=not htmx)


@pytest.mark.parametrize("htmx", [True, False])
def test_text_saved_attachment_refused_says_both(world, week47, login, htmx):
    disguised = SimpleUploadedFile("x.html", b"<html>not a pdf</html>")
    response = _post(login(world.user("liaison")), week47, world.item_a, FORM | {"evidence": disguised}, htmx)
    body = response.content.decode()
    assert response.status_code == 200
    assert "已保存报告内容" in body and "附件“x.html”未上传" in body and "不是 PDF" in body
    report = Report.objects.get()
    assert report.work_done == "完成申报培训" and report.status == "draft"  # not submitted without its file
    assert not Evidence.objects.exists()


def test_invalid_form_without_javascript_comes_back_with_its_errors(world, week47, login):
    client = login(world.user("liaison"))
    response = _post(client, week47, world.item_a, FORM | {"progress": "130", "work_done": "写了半天"}, False)
    body = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain == []
    assert "报告未保存，请按提示修改" in body and "errorlist" in body and "写了半天" in body
    assert not Report.objects.exists()


def test_refused_report_without_javascript_comes_back_with_the_reason(world, week47, login):
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


def test_saved_without_javascript_says_so(world, week47, login):
    body = _post(login(world.user("liaison")), week47, world.item_a, FORM, False).content.decode()
    assert "已提交：培育高新技术企业" in body
