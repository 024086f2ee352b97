"""Every innovation page against every persona — the zone's staff by role and unit, the other zone's
supervisor, an enterprise's account and a financial institution's — who gets the page and who gets 404 (not
found and not allowed look alike). The outside accounts reach nothing else in Luoshi either."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.innovation import actions, scoring_actions
from luoshi.innovation.models import BankList, Correction, Run
from luoshi.innovation.tests.conftest import NOW, Innov

STAFF_READERS = {"admin", "supervisor", "leader", "viewer"}
OFFICE = {"admin", "supervisor"}
UPLOADERS = OFFICE | {"unithead", "liaison", "liaison_dev"}
PERSONAS = sorted(STAFF_READERS | UPLOADERS | {"outsider", "nobody", "firm", "other_firm", "bank"})


@dataclass
class Setting:
    innov: Innov
    run: Run
    shared: BankList
    private: BankList
    correction: Correction
    users: dict[str, User]


@pytest.fixture
def setting(world: World, innov: Innov) -> Setting:
    run = scoring_actions.score_year(innov.zone, 2025, innov.version, None, NOW)
    for e in innov.enterprises:
        actions.grant_consent(e, None, NOW)
    ids = list(run.scores.order_by("rank").values_list("pk", flat=True)[:2])
    shared = scoring_actions.create_bank_list(run, "第一批", NOW.date(), "", ids, None, NOW)
    private = scoring_actions.create_bank_list(run, "内部名单", NOW.date(), "", ids, None, NOW)
    bank = actions.add_institution(innov.zone, "青岛银行高新区支行")
    scoring_actions.share(shared, bank, None, NOW)
    users = dict(world.users)
    users["firm"] = actions.open_account(
        innov.zone, "firm", "企业甲", "Firm-pass-12345", None, enterprise=innov.enterprises[0]
    )
    users["other_firm"] = actions.open_account(
        innov.zone, "firm2", "企业乙", "Firm-pass-12345", None, enterprise=innov.enterprises[1]
    )
    users["bank"] = actions.open_account(
        innov.zone, "bank", "银行甲", "Bank-pass-12345", None, institution=bank
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    correction = actions.submit_correction(
        innov.enterprises[0], 2025, innov.fields["研发费用"], Decimal(150), "审计报告", pdf, users["firm"], NOW
    )  # fmt: skip
    return Setting(innov, run, shared, private, correction, users)


Kwargs = Callable[[Setting], dict[str, Any]]
FIRST: Kwargs = lambda s: {"enterprise_id": s.innov.enterprises[0].pk}  # noqa: E731
CASES: list[tuple[str, str, Kwargs, set[str], int]] = [
    ("innovation:ranking", "get", lambda s: {}, STAFF_READERS, 200),
    ("innovation:ranking_export", "get", lambda s: {}, STAFF_READERS, 200),
    ("innovation:enterprises", "get", lambda s: {}, STAFF_READERS, 200),
    ("innovation:registry_import", "get", lambda s: {}, OFFICE, 200),
    ("innovation:enterprise", "get", FIRST, STAFF_READERS | {"firm"}, 200),
    ("innovation:my_enterprise", "get", lambda s: {}, {"firm", "other_firm"}, 302),
    ("innovation:confirm", "post", FIRST, {"firm"}, 302),
    ("innovation:consent", "post", FIRST, {"firm"}, 302),
    ("innovation:correct", "post", FIRST, {"firm"}, 302),
    ("innovation:enterprise_account", "post", FIRST, OFFICE, 302),
    ("innovation:collection", "get", lambda s: {}, UPLOADERS, 200),
    ("innovation:template", "get", lambda s: {}, set(), 404),  # without ?source= there is no template
    ("innovation:settle", "post", lambda s: {}, OFFICE, 404),  # a form without data is not found either way
    ("innovation:corrections", "get", lambda s: {}, OFFICE, 200),
    ("innovation:review", "post", lambda s: {"correction_id": s.correction.pk}, OFFICE, 302),
    ("innovation:evidence", "get", lambda s: {"correction_id": s.correction.pk}, OFFICE | {"firm"}, 200),
    ("innovation:frameworks", "get", lambda s: {}, STAFF_READERS, 200),
    ("innovation:framework", "get", lambda s: {"version_id": s.innov.version.pk}, STAFF_READERS, 200),
    ("innovation:framework_publish", "post", lambda s: {"version_id": s.innov.version.pk}, OFFICE, 302),
    ("innovation:framework_new", "post", lambda s: {"version_id": s.innov.version.pk}, OFFICE, 302),
    ("innovation:runs", "get", lambda s: {}, STAFF_READERS, 200),
    ("innovation:run", "get", lambda s: {"run_id": s.run.pk}, STAFF_READERS, 200),
    ("innovation:shared_lists", "get", lambda s: {}, STAFF_READERS | {"bank"}, 200),
    ("innovation:bank_list", "get", lambda s: {"list_id": s.shared.pk}, STAFF_READERS | {"bank"}, 200),
    ("innovation:bank_list", "get", lambda s: {"list_id": s.private.pk}, STAFF_READERS, 200),
    ("innovation:bank_list_export", "get", lambda s: {"list_id": s.shared.pk}, STAFF_READERS | {"bank"}, 200),
    (
        "innovation:bank_list_share",
        "post",
        lambda s: {"list_id": s.private.pk},
        OFFICE,
        404,
    ),  # no institution sent
    ("innovation:institutions", "get", lambda s: {}, OFFICE, 200),
    (
        "innovation:institution_account",
        "post",
        lambda s: {"institution_id": s.shared.shares.get().institution_id},
        OFFICE,
        302,
    ),
]


@pytest.mark.parametrize(
    "name,method,kwargs,allowed,ok", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_view_access(
    setting: Setting,
    client: Client,
    persona: str,
    name: str,
    method: str,
    kwargs: Kwargs,
    allowed: set[str],
    ok: int,
) -> None:
    client.force_login(setting.users[persona])
    url = reverse(name, kwargs={"zone": "alpha", **kwargs(setting)})
    response = getattr(client, method)(url)
    assert response.status_code == (ok if persona in allowed else 404), f"{persona} {method} {url}"


@pytest.mark.parametrize(
    "name,kwargs",
    [("front:zone_home", {}), ("front:unit_list", {}), ("alerts:warning_list", {}), ("notices:inbox", {}),
     ("projects:ledger", {}), ("assessment:indicator_list", {}), ("bulletins:list", {})],
)  # fmt: skip
@pytest.mark.parametrize("persona", ["firm", "bank"])
def test_outside_accounts_reach_no_staff_page(
    setting: Setting, client: Client, persona: str, name: str, kwargs: dict[str, Any]
) -> None:
    client.force_login(setting.users[persona])
    assert client.get(reverse(name, kwargs={"zone": "alpha", **kwargs})).status_code == 404


@pytest.mark.parametrize(
    ("persona", "target"), [("firm", "innovation:my_enterprise"), ("bank", "innovation:shared_lists")]
)
def test_home_sends_outside_accounts_to_their_page(
    setting: Setting, client: Client, persona: str, target: str
) -> None:
    client.force_login(setting.users[persona])
    assert client.get(reverse("home"))["Location"] == reverse(target, kwargs={"zone": "alpha"})


def test_the_bank_sees_only_consenting_enterprises(setting: Setting, client: Client) -> None:
    client.force_login(setting.users["bank"])
    first = setting.shared.entries.order_by("position").first()
    assert first is not None
    name = first.score.enterprise.name
    url = reverse("innovation:bank_list", kwargs={"zone": "alpha", "list_id": setting.shared.pk})
    assert name in client.get(url).content.decode()
    actions.revoke_consent(first.score.enterprise, None, NOW)
    assert name not in client.get(url).content.decode()
