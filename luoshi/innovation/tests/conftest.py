"""Frameworks and data files made in the test, and `luoshi points` run on them."""

import copy
import csv
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from django.core.management import CommandError, call_command

from luoshi.conftest import World
from luoshi.innovation import scoring_actions
from luoshi.innovation.choices import Source
from luoshi.innovation.models import Enterprise, Field, FrameworkVersion, Value
from luoshi.org.models import Zone

DATA = Path(__file__).parent / "data"
SAMPLE_DATA = DATA / "enterprises-sample.csv"
SAMPLE_FRAMEWORK = Path(__file__).parents[1] / "frameworks" / "sample-2024.toml"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
HEADER = ["统一社会信用代码", "企业名称", "成立日期"]


def credit_code(n: int) -> str:
    """A valid unified social credit code, different for each n."""
    body = f"91370200{n:09d}"
    total = sum(ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(body))
    return body + ALPHABET[(31 - total % 31) % 31]


def small_framework() -> dict[str, Any]:
    """Two stages, one indicator per method, a growth indicator, a bonus, a veto and a deduction."""
    return {
        "framework": {"name": "测试框架", "core_points": 100, "bonus_cap": 10},
        "stage": [
            {"code": "young", "name": "初创期", "max_age": 3},
            {"code": "old", "name": "稳定期"},
        ],
        "indicator": [
            _indicator("rd", "研发费用", "capped_ratio", {"ref": 100}, 40, 20),
            _indicator("staff", "研发人员占比", "goalposts", {"low": 0.1, "high": 0.3}, 20, 20),
            _indicator(
                "intensity", "研发投入强度", "bands", {"cuts": [0.01, 0.03], "scores": [0, 0.5, 1]}, 20, 20
            ),
            _indicator("patents", "发明专利", "prank", {}, 10, 20),
            _indicator(
                "growth",
                "营业收入",
                "goalposts",
                {"low": 0, "high": 0.5, "previous": "营业收入_上年", "growth_cap": 2},
                10,
                20,
            ),
        ],
        "bonus": [
            {"code": "pct", "name": "PCT", "column": "PCT", "method": "capped_ratio", "ref": 2, "points": 15}
        ],
        "penalty": [
            {"code": "dishonest", "name": "严重失信", "column": "严重失信", "veto": True},
            {"code": "fines", "name": "行政处罚", "column": "处罚次数", "points_each": 5, "max": 8},
        ],
        "tiers": {"method": "percentile", "A": 0.25, "B": 0.5, "C": 0.75},
    }


def _indicator(
    code: str, column: str, method: str, params: dict[str, Any], young: float, old: float
) -> dict[str, Any]:
    return {
        "code": code,
        "name": column,
        "group": "技术创新",
        "column": column,
        "method": method,
        **params,
        "weights": {"young": young, "old": old},
    }


COLUMNS = [
    "研发费用",
    "研发人员占比",
    "研发投入强度",
    "发明专利",
    "营业收入",
    "营业收入_上年",
    "PCT",
    "严重失信",
    "处罚次数",
]


def row(n: int, founded: str = "2023-05-01", **values: object) -> list[object]:
    """One enterprise under HEADER + COLUMNS; unnamed columns empty, veto 否."""
    cells = {"严重失信": "否", **{k: v for k, v in values.items()}}
    return [credit_code(n), f"企业{n:03d}", founded, *[cells.get(c, "") for c in COLUMNS]]


class Run:
    """Files in `folder`, and the command run on them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.out = folder / "out.csv"

    def framework(self, spec: dict[str, Any] | str) -> Path:
        path = self.folder / "framework.toml"
        path.write_text(
            spec if isinstance(spec, str) else tomli_w.dumps(copy.deepcopy(spec)), encoding="utf-8"
        )
        return path

    def data(self, rows: list[list[object]], header: list[str] | None = None, above: int = 0) -> Path:
        path = self.folder / "data.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            for n in range(above):
                writer.writerow([f"标题行{n + 1}"])
            writer.writerow(header or HEADER + COLUMNS)
            writer.writerows(rows)
        return path

    def __call__(self, data: Path, framework: Path, year: int = 2025) -> list[dict[str, str]]:
        call_command(
            "points", "--data", str(data), "--framework", str(framework), "--year", str(year),
            "--out", str(self.out), stdout=StringIO(),
        )  # fmt: skip
        with open(self.out, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def errors(self, data: Path, framework: Path, year: int = 2025) -> list[dict[str, Any]]:
        """The --json errors of a run that must fail and write nothing."""
        out = StringIO()
        with pytest.raises(CommandError):
            call_command(
                "points", "--data", str(data), "--framework", str(framework), "--year", str(year),
                "--out", str(self.out), "--json", stdout=out,
            )  # fmt: skip
        assert not self.out.exists()
        errors: list[dict[str, Any]] = json.loads(out.getvalue())["errors"]
        assert errors and all(set(e) == {"row", "column", "severity", "message"} for e in errors)
        return errors


@pytest.fixture
def run(tmp_path: Path) -> Run:
    return Run(tmp_path)


# A zone's innovation points data ---------------------------------------------------------------------------------

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
CATALOGUE = [
    ("研发费用", "万元", Source.TAX, False),
    ("研发人员占比", "比例", Source.SCIENCE, False),
    ("研发投入强度", "比例", Source.TAX, False),
    ("发明专利", "件", Source.IP, False),
    ("营业收入", "万元", Source.STATS, False),
    ("PCT", "件", Source.IP, False),
    ("严重失信", "", Source.FINANCE, True),
    ("处罚次数", "次", Source.FINANCE, False),
]


@dataclass
class Innov:
    zone: Zone
    fields: dict[str, Field]
    enterprises: list[Enterprise]
    version: FrameworkVersion


def put(enterprise: Enterprise, year: int, column: str, value: float, source: str = "") -> Value:
    field = Field.objects.get(zone_id=enterprise.zone_id, column=column)
    return Value.objects.create(
        zone_id=enterprise.zone_id, enterprise=enterprise, year=year, field=field, source=source or field.source,
        value=Decimal(str(value)), entered_at=NOW,
    )  # fmt: skip


@pytest.fixture
def innov(world: World) -> Innov:
    fields = {
        column: Field.objects.create(
            zone=world.zone, column=column, unit=unit, source=source, is_flag=flag, position=n
        )
        for n, (column, unit, source, flag) in enumerate(CATALOGUE)
    }
    enterprises = [
        Enterprise.objects.create(zone=world.zone, credit_code=credit_code(n), name=name, founded=founded, industry="C")
        for n, (name, founded) in enumerate(
            [("青岛芯云科技有限公司", date(2023, 4, 1)), ("青岛海德材料有限公司", date(2022, 9, 1)),
             ("青岛博康生物有限公司", date(2012, 5, 1)), ("青岛启航智能有限公司", date(2015, 1, 1))]
        )
    ]  # fmt: skip
    for e, (rd, patents, revenue, last) in zip(
        enterprises,
        [(120, 3, 900, 600), (40, 1, 300, 320), (300, 9, 9000, 8000), (80, 2, 2000, 1000)],
        strict=True,
    ):
        put(e, 2025, "研发费用", rd)
        put(e, 2025, "发明专利", patents)
        put(e, 2025, "营业收入", revenue)
        put(e, 2024, "营业收入", last)
        put(e, 2025, "研发投入强度", rd / revenue)
        put(e, 2025, "严重失信", 0)
    spec = small_framework()
    spec["indicator"][4]["previous"] = "营业收入_上年"
    version = scoring_actions.create_framework(world.zone, "测试框架", tomli_w.dumps(spec), None, NOW)
    scoring_actions.publish(version, None, NOW)
    return Innov(world.zone, fields, enterprises, FrameworkVersion.objects.get(pk=version.pk))
