"""Security issue, defect 7: double-submitting a first report gave a 500 (IntegrityError on the report version)
or a duplicate coordination problem. The second request gets the saved report: one version, one problem."""

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
from luoshi.reporting.models import Evidence, Period, Problem, Report
from luoshi.reporting.tests.conftest import at

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

FORM = {"progress": "40", "work_done": "完成申报培训", "problem": "用地指标不足", "submit": "1"}


@pytest.fixture(autouse=True)
def thursday() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 19, 10, 0), tick=False):
        yield


def _post(
    client: Client, period: Period, item: PlanItem, data: Mapping[str, object], htmx: bool = True
) -> "Response":
    url = reverse("reporting:save", kwargs={"zone": "alpha", "period_id": period.pk, "item_id": item.pk})
    return client.post(url, data, headers={"HX-Request": "true"} if htmx else {})


def _one_report() -> Report:
    report = Report.objects.get()  # exactly one version
    assert Problem.objects.filter(report=report).count() == 1
    return report


@pytest.mark.parametrize("htmx", [True, False])
def test_a_replayed_first_submission_gets_the_saved_report(
    world: World, week47: Period, login: Callable[[User], Client], htmx: bool
) -> None:
    client = login(world.user("liaison"))
    first = _post(client, week47, world.item_a, FORM, htmx)
    second = _post(client, week47, world.item_a, FORM, htmx)
    assert first.status_code == second.status_code == (200 if htmx else 302)
    if htmx:
        body = second.content.decode()
        assert "已提交" in body and "errorlist" not in body
    else:
        page = client.get(reverse("reporting:fill", kwargs={"zone": "alpha"})).content.decode()
        assert "已提交" in page and "不能修改" not in page
    assert _one_report().status == "submitted"


def test_a_double_clicked_draft_raises_its_problem_once(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    client = login(world.user("liaison"))
    draft = FORM | {"submit": "", "draft": "1"}
    for _ in range(2):
        assert _post(client, week47, world.item_a, draft).status_code == 200
    assert _one_report().status == "draft"
    changed = draft | {"progress": "45"}  # a real change is saved; the same problem is still raised once
    _post(client, week47, world.item_a, changed)
    assert _one_report().progress == 45


def test_the_same_file_sent_twice_is_kept_once(
    world: World, week47: Period, login: Callable[[User], Client]
) -> None:
    client = login(world.user("liaison"))
    for _ in range(2):
        data = FORM | {"evidence": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}
        body = _post(client, week47, world.item_a, data).content.decode()
        assert "errorlist" not in body
    assert Evidence.objects.count() == 1 and _one_report().status == "submitted"
