"""The framework as a form: every shipped sample survives rows → fields → TOML unchanged; rows are added,
deleted, and a value that is not a number is named by the framework checks at its table and key."""

import tomllib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.innovation import framework_form
from luoshi.innovation.choices import VersionStatus
from luoshi.innovation.framework import FrameworkError, parse, samples
from luoshi.innovation.models import FrameworkVersion
from luoshi.innovation.tests.conftest import Innov


def _fields(text: str) -> dict[str, str]:
    """What the browser sends for the form filled from `text` (the empty rows included)."""
    rows = framework_form.rows(text)
    data = {k: str(v) for k, v in rows["head"].items()}
    for kind, key in (
        ("stage", "stages"),
        ("indicator", "indicators"),
        ("bonus", "bonuses"),
        ("penalty", "penalties"),
    ):
        for n, row in enumerate(rows[key]):
            for field, value in row.items():
                if field == "weights":
                    data.update({f"{kind}-{n}-w-{s}": str(w) for s, w in value.items()})
                elif field == "veto":
                    if value:
                        data[f"{kind}-{n}-veto"] = "on"
                else:
                    data[f"{kind}-{n}-{field}"] = str(value)
    data.update({f"tiers-{k}" if k != "method" else "tiers-method": str(v) for k, v in rows["tiers"].items()})
    return data


@pytest.mark.parametrize("name", sorted(samples()))
def test_a_sample_round_trips(name: str) -> None:
    text = samples()[name]
    assert tomllib.loads(framework_form.toml(_fields(text))) == tomllib.loads(text)


def test_add_and_delete_rows() -> None:
    text = samples()["sample-2024"]
    data = _fields(text)
    last = len(framework_form.rows(text)["bonuses"]) - 1  # the empty row
    data.update({f"bonus-{last}-code": "listed", f"bonus-{last}-name": "上市企业", f"bonus-{last}-column": "上市",
                 f"bonus-{last}-method": "capped_ratio", f"bonus-{last}-ref": "1", f"bonus-{last}-points": "5"})  # fmt: skip
    data["penalty-1-delete"] = "on"
    rules = parse(framework_form.toml(data))
    assert rules.bonuses[-1].code == "listed" and [p.code for p in rules.penalties] == ["dishonest"]


def test_text_in_a_number_field_is_named_where_it_is() -> None:
    data: dict[str, Any] = _fields(samples()["sample-2024"])
    data["indicator-0-ref"] = "一千"
    with pytest.raises(FrameworkError) as refused:
        parse(framework_form.toml(data))
    assert [p.column for p in refused.value.problems] == ["[[indicator]] rd_amount.ref"]


def test_the_page_saves_the_form(world: World, client: Client, innov: Innov) -> None:
    client.force_login(world.user("supervisor"))
    client.post(reverse("innovation:framework_new", kwargs={"zone": "alpha", "version_id": innov.version.pk}))
    draft = FrameworkVersion.objects.get(framework=innov.version.framework, status=VersionStatus.DRAFT)
    data = {**_fields(draft.text), "mode": "form", "indicator-0-name": "研发费用金额"}
    url = reverse("innovation:framework", kwargs={"zone": "alpha", "version_id": draft.pk})
    page = client.get(url).content.decode()
    assert 'data-testid="framework-form"' in page and 'name="indicator-0-w-young"' in page
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert parse(draft.text).indicators[0].name == "研发费用金额"
