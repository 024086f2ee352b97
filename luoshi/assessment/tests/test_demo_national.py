from datetime import date

from luoshi.assessment import benchmarking
from luoshi.assessment.models import Benchmark, Indicator
from luoshi.assessment.queries import described_indicators
from luoshi.demo import national
from luoshi.demo.org import build_org


def test_the_demo_zone_stands_13th_or_14th_and_some_indicators_alone_bring_it_back_to_the_top_ten(
    db: None,
) -> None:
    org = build_org()
    benchmark = national.build_national(org.zone, org.users["supervisor"], date(2026, 11, 22))
    assert Indicator.objects.filter(zone=org.zone, code__startswith="NHZ").count() == len(national.INDICATORS)
    assert Indicator.objects.get(zone=org.zone, code="NHZ3.1").direction == "decrease"
    assert (benchmark.period, benchmark.own_name, len(benchmark.rows)) == ("2025", "演示高新区", 170)
    assert benchmark.scheme.kind == "zone_evaluation" and benchmark.version.status == "published"
    version = benchmark.version
    page = benchmarking.analyse(
        version.structure, version.pipeline, described_indicators(version), benchmark.rows, "演示高新区", 10
    )
    assert page.found.rank in (13, 14) and page.n == 170 and page.found.gap > 0
    reachable = [line.code for line in page.indicators if line.needed is not None]
    assert 0 < len(reachable) < len(national.INDICATORS)  # a choice to make, not a foregone conclusion
    assert [g.full for g in page.groups] == [20, 20, 15, 15, 30]
    assert Benchmark.objects.count() == 1
