"""`luoshi trace --zone CODE [--goal ITEM_ID] --json`: the goal, where it stands, its indicators by points at
stake with the items and projects that move them and their health; the same figures as the gap engine."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.alerts.models import Warning
from luoshi.assessment import benchmarking
from luoshi.assessment.queries import described_indicators
from luoshi.conftest import World
from luoshi.goals import actions
from luoshi.goals.tests.conftest import NOW, National


def run(*args: str) -> str:
    out = StringIO()
    call_command("trace", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def linked(world: World, national: National) -> National:
    actions.link_indicators([world.item_a], [national.indicators["PAT"]], None)
    actions.link_indicators([world.item_b], [national.indicators["RD"], national.indicators["PAT"]], None)
    actions.link_projects([national.project], [world.item_b], None)
    Warning.objects.create(
        zone=world.zone,
        rule="PROJECT_INVESTMENT",
        project=national.project,
        unit=world.dev,
        level="red",
        reason="投资滞后",
        opened_at=NOW,
        updated_at=NOW,
    )
    return national


def test_the_json_contract(world: World, linked: National) -> None:
    found = json.loads(run("--zone", "alpha", "--json"))
    assert list(found) == ["goals"] and len(found["goals"]) == 1
    goal = found["goals"][0]
    assert list(goal) == [
        "item", "title", "scheme", "rank", "target_rank", "score", "target_score", "indicators",
    ]  # fmt: skip
    assert (goal["item"], goal["title"], goal["scheme"]) == (world.task.pk, "科技创新", "国家高新区综合评价")
    assert (goal["rank"], goal["target_rank"]) == (3, 2)
    stakes = [line["points_at_stake"] for line in goal["indicators"]]
    assert stakes == sorted(stakes, reverse=True) and len(stakes) == 3
    by_code = {line["code"]: line for line in goal["indicators"]}
    assert list(by_code["PAT"]) == [
        "code",
        "name",
        "value",
        "target_value",
        "points_at_stake",
        "items",
        "projects",
    ]
    assert (by_code["PAT"]["value"], by_code["PAT"]["target_value"]) == (80, 100)  # 西安 holds second place
    assert [i["code"] for i in by_code["PAT"]["items"]] == ["2.", "1."]  # worst first: 2. is red
    assert by_code["RD"]["items"] == [
        {
            "id": world.item_b.pk,
            "code": "2.",
            "title": "建设创新平台",
            "unit": "区发展和改革局",
            "health": "red",
        }
    ]  # its project is red
    assert by_code["RD"]["projects"] == [
        {"id": linked.project.pk, "name": "研发中心大楼", "unit": "区发展和改革局", "health": "red"}
    ]
    assert by_code["EN"]["items"] == [] and by_code["EN"]["projects"] == []


def test_the_same_figures_as_the_gap_engine(world: World, linked: National) -> None:
    goal = json.loads(run("--zone", "alpha", "--json"))["goals"][0]
    version = linked.benchmark.version
    page = benchmarking.analyse(
        version.structure,
        version.pipeline,
        described_indicators(version),
        linked.benchmark.rows,
        "甲高新区",
        2,
    )
    assert goal["score"] == pytest.approx(page.found.score, abs=1e-4)
    assert goal["target_score"] == pytest.approx(page.found.needed_score, abs=1e-4)
    engine = {line.code: line.found.at_stake for line in page.indicators}
    assert {line["code"]: line["points_at_stake"] for line in goal["indicators"]} == pytest.approx(
        engine, abs=1e-4
    )


def test_one_goal_and_the_text_form(world: World, linked: National) -> None:
    assert json.loads(run("--zone", "alpha", "--goal", str(world.task.pk), "--json"))["goals"][0]["rank"] == 3
    text = run("--zone", "alpha")
    assert "现排第3位" in text and "建设创新平台（区发展和改革局，红色）" in text


def test_a_goal_without_a_benchmark(world: World, linked: National) -> None:
    linked.benchmark.delete()
    goal = json.loads(run("--zone", "alpha", "--json"))["goals"][0]
    assert (goal["rank"], goal["score"], goal["indicators"]) == (None, None, [])
    assert "还没有对标数据" in run("--zone", "alpha")


def test_bad_arguments(world: World, linked: National) -> None:
    with pytest.raises(CommandError, match="没有代码为“nowhere”的园区"):
        run("--zone", "nowhere", "--json")
    with pytest.raises(CommandError, match="不是本园区已设定评价方案的目标"):
        run("--zone", "alpha", "--goal", str(world.item_a.pk), "--json")
    assert json.loads(run("--zone", "beta", "--json")) == {"goals": []}
