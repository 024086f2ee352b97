"""Bank lists: made from the newest run out of consenting, eligible enterprises only; shared with an
institution, whose account then sees it; exported in the office layout; institutions and their accounts."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.conftest import World
from luoshi.innovation import actions, scoring_actions
from luoshi.innovation.models import BankList, Party, Run
from luoshi.innovation.tests.conftest import NOW, Innov


def _url(name: str, **kwargs: int) -> str:
    return reverse(f"innovation:{name}", kwargs={"zone": "alpha", **kwargs})


@pytest.fixture
def run(innov: Innov) -> Run:
    return scoring_actions.score_year(innov.zone, 2025, innov.version, None, NOW)


def test_only_consenting_enterprises_go_on_a_list(
    world: World, client: Client, innov: Innov, run: Run
) -> None:
    for e in innov.enterprises[:2]:
        actions.grant_consent(e, None, NOW)
    client.force_login(world.user("supervisor"))
    data = {"name": "第一批", "dated": "2026-03-20", "top": "10", "tiers": ["A", "B", "C", "D"], "note": ""}
    response = client.post(_url("shared_lists"), data)
    made = BankList.objects.get()
    assert response["Location"] == _url("bank_list", list_id=made.pk)
    assert {e.score.enterprise for e in made.entries.all()} == set(innov.enterprises[:2])
    with pytest.raises(actions.Refused):  # nobody else may be put on it by hand either
        scoring_actions.create_bank_list(
            run, "x", NOW.date(), "", [run.scores.get(enterprise=innov.enterprises[3]).pk], None, NOW
        )


def test_share_export_and_what_the_bank_sees(world: World, client: Client, innov: Innov, run: Run) -> None:
    for e in innov.enterprises:
        actions.grant_consent(e, None, NOW)
    ids = list(run.scores.order_by("rank").values_list("pk", flat=True))
    made = scoring_actions.create_bank_list(run, "创新积分贷名单", NOW.date(), "", ids, None, NOW)
    bank = actions.add_institution(innov.zone, "青岛银行")
    client.force_login(world.user("supervisor"))
    client.post(_url("bank_list_share", list_id=made.pk), {"institution": bank.pk})
    sheet = load_workbook(BytesIO(client.get(_url("bank_list_export", list_id=made.pk)).content)).active
    assert sheet["A1"].value == "创新积分贷名单" and sheet.max_row == 3 + 4
    user = actions.open_account(innov.zone, "bank", "陈晨", "Bank-pass-12345", None, institution=bank)
    client.force_login(user)
    page = client.get(_url("shared_lists")).content.decode()
    assert "创新积分贷名单" in page and "生成名单" not in page
    actions.revoke_consent(innov.enterprises[0], None, NOW)
    detail = client.get(_url("bank_list", list_id=made.pk)).content.decode()
    assert innov.enterprises[0].name not in detail and innov.enterprises[1].name in detail


def test_institutions_and_accounts(world: World, client: Client, innov: Innov) -> None:
    client.force_login(world.user("admin"))
    client.post(_url("institutions"), {"name": "农商银行"})
    duplicate = client.post(_url("institutions"), {"name": "农商银行"})
    assert "已有名为“农商银行”的金融机构" in duplicate.content.decode()
    institution = duplicate.context["institutions"][0]
    weak = client.post(
        _url("institution_account", institution_id=institution.pk),
        {"username": "nsyh", "full_name": "李", "password": "1234567890"},
        follow=True,
    )
    assert "nsyh" not in [p.user.username for p in Party.objects.all()] and weak.status_code == 200
    client.post(
        _url("institution_account", institution_id=institution.pk),
        {"username": "nsyh", "full_name": "李", "password": "Nsyh-pass-2026"},
    )
    assert Party.objects.get(user__username="nsyh").institution == institution
