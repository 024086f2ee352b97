"""The quarterly unit assessment: the default scheme scores the execution facts (refreshed when scored) on fixed
goalposts, takes points off per missing report and adds the office's evaluation (domain.md §6.3(e))."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.assessment import actions, scoring
from luoshi.assessment.forms import VersionForm
from luoshi.assessment.models import SchemeVersion
from luoshi.assessment.tests.conftest import LATER
from luoshi.composite.errors import CompositeError
from luoshi.conftest import World


@pytest.fixture
def unit_scheme(world: World) -> SchemeVersion:
    scheme = actions.create_scheme(world.zone, "季度单位考核", "unit_quarterly", "", None)
    form = VersionForm(
        {
            "structure": scoring.UNIT_QUARTERLY_STRUCTURE,
            "pipeline": scoring.UNIT_QUARTERLY_PIPELINE,
            "adjustments": scoring.UNIT_QUARTERLY_ADJUSTMENTS,
        }
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    draft = actions.add_version(
        scheme, data["structure"], data["pipeline"], data["adjustments"], "", None, LATER
    )
    return actions.publish_version(draft, None, LATER)


def test_a_month_scored_from_the_facts_deductions_and_the_office_marks(
    world: World, july: None, unit_scheme: SchemeVersion
) -> None:
    actions.enter_evaluations(
        world.zone, "2026-07", {world.tech.pk: Decimal(18), world.dev.pk: Decimal(12)}, None, LATER
    )
    run = actions.score(unit_scheme, "2026-07", None, LATER)
    results = {r.unit.name: r for r in run.results.select_related("unit")}
    tech, dev = results["区科技创新局"], results["区发展和改革局"]
    # 区科技创新局: on time 60, on track 0, 1 red → 80 on the 0–5 goalposts, orders 50, weighted 30/30/20/20;
    # one missing report −2, the office's 18 on top.
    assert tech.scores["EXECUTION"] == pytest.approx((30 * 60 + 30 * 0 + 20 * 80 + 20 * 50) / 100)
    assert tech.adjustment == pytest.approx(16) and tech.score == pytest.approx(44 + 16)
    # 区发展和改革局 had no order due: the other weights share its 20.
    assert dev.scores["EXECUTION"] == pytest.approx((30 * 100 + 30 * 50 + 20 * 100) / 80)
    assert dev.score == pytest.approx(81.25 + 12)
    assert (dev.rank, tech.rank) == (1, 2)
    assert "督查室" not in results  # leads nothing: no facts, not assessed
    # The facts used are stored with the run.
    assert run.params["data"][str(world.tech.pk)]["EXEC_ONTIME"] == 60


def test_the_penalty_is_capped(world: World, july: None, unit_scheme: SchemeVersion) -> None:
    items = scoring.check_adjustments(
        [{"indicator": "EXEC_MISSING", "kind": "penalty", "cap": 1, "points": 2}]
    )
    draft = actions.add_version(
        unit_scheme.scheme,
        scoring.UNIT_QUARTERLY_STRUCTURE,
        scoring.UNIT_QUARTERLY_PIPELINE,
        items,
        "",
        None,
        LATER,
    )
    version = actions.publish_version(draft, None, LATER)
    run = actions.score(version, "2026-07", None, LATER)
    assert run.results.get(unit=world.tech).adjustment == -1


@pytest.mark.parametrize(
    "item, column",
    [
        ({"indicator": "X", "kind": "penalty", "cap": None, "points": 0}, "points"),
        ({"indicator": "X", "kind": "penalty", "cap": None, "points": "2"}, "points"),
        ({"indicator": "X", "kind": "penalty", "cap": -1}, "cap"),
    ],
)
def test_bad_adjustments_say_which_column(item: dict[str, object], column: str) -> None:
    with pytest.raises(CompositeError) as refused:
        scoring.check_adjustments([item])
    assert refused.value.column == column


@pytest.mark.parametrize(
    "line, message",
    [
        ("EXEC_MISSING,penalty,20,两分", "第1行的每项分值不是数字"),
        ("EXEC_MISSING,penalty,二十", "第1行的上限不是数字"),
    ],
)
def test_the_form_reads_points_and_names_the_line(line: str, message: str) -> None:
    form = VersionForm({"structure": "x", "pipeline": "x", "adjustments": line})
    assert not form.is_valid() and message in str(form.errors["adjustments"])
    form = VersionForm(
        {"structure": "x", "pipeline": "x", "adjustments": "EXEC_MISSING,penalty,20,2\nB,bonus"}
    )
    form.is_valid()
    assert form.cleaned_data["adjustments"] == [
        {"indicator": "EXEC_MISSING", "kind": "penalty", "cap": 20.0, "points": 2.0},
        {"indicator": "B", "kind": "bonus", "cap": None},
    ]


def test_a_new_unit_scheme_starts_from_the_default(world: World, login: Callable[[User], Client]) -> None:
    client = login(world.user("supervisor"))
    client.post(
        reverse("assessment:scheme_list", args=["alpha"]), {"name": "季度单位考核", "kind": "unit_quarterly"}
    )
    page = client.get(reverse("assessment:scheme_list", args=["alpha"]))
    scheme_id = page.context["schemes"][0].pk
    detail = client.get(reverse("assessment:scheme_detail", args=["alpha", scheme_id])).content.decode()
    assert "EXEC_ONTIME,按时报送率,1,EXECUTION,30" in detail
    assert "EXEC_MISSING,penalty,20,2" in detail
    assert reverse("assessment:evaluation", args=["alpha"]) in detail
