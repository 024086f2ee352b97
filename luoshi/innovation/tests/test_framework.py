"""The frameworks Luoshi ships are labelled as samples, pass the same checks as any other, and give every stage
its full core points."""

from pathlib import Path

import pytest

from luoshi.innovation.framework import parse

SHIPPED = sorted((Path(__file__).parents[1] / "frameworks").glob("*.toml"))


def test_two_samples_ship() -> None:
    assert [p.name for p in SHIPPED] == ["sample-2.0.toml", "sample-2024.toml"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_a_shipped_sample_is_valid_and_says_it_is_a_sample(path: Path) -> None:
    framework = parse(path.read_text(encoding="utf-8"))
    assert "示例" in framework.name and framework.bonus_cap == 30
    assert [s.name for s in framework.stages] == ["初创期", "成长期", "稳定期"]
    assert all(framework.full_marks(s.code) == framework.core_points == 100 for s in framework.stages)


def test_the_structures() -> None:
    by_name = {p.name: parse(p.read_text(encoding="utf-8")) for p in SHIPPED}
    groups_2024 = [m.group for m in by_name["sample-2024.toml"].indicators]
    assert {g: groups_2024.count(g) for g in groups_2024} == {"技术创新": 7, "成长经营": 6, "辅助": 5}
    v2 = by_name["sample-2.0.toml"]
    assert {m.group for m in v2.indicators} == {"创新投入", "创新产出", "创新发展"} and len(
        v2.indicators
    ) == 9
    assert len(v2.bonuses) == 3 and sum(b.points for b in v2.bonuses) == 30
