"""The benchmark pages: upload with preview and confirmation, the gap page and its export, who sees them."""

import re
from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from luoshi.assessment import actions
from luoshi.assessment.models import Benchmark
from luoshi.assessment.templatetags.figures import figure
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.demo.national import INDICATORS, build_national

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

CODES = [code for code, *_rest in INDICATORS]


def url(name: str, *args: object, zone: str = "alpha") -> str:
    return reverse(f"assessment:{name}", args=[zone, *args])


@pytest.fixture
def benchmark(world: World) -> Benchmark:
    """Zone alpha with the demo's national evaluation: 170 zones, ours (甲高新区) 13th or 14th."""
    return build_national(world.zone, world.user("supervisor"), date(2026, 11, 22))


def as_workbook(benchmark: Benchmark, change: dict[str, dict[str, object]] | None = None) -> bytes:
    """The stored table back as the office would send it: 名称, the codes, and 本区 marked."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2025年国家高新区主要指标"])
    sheet.append(["序号", "名称", *CODES, "本区"])
    for n, (name, figures) in enumerate(benchmark.rows.items(), start=1):
        figures = {**figures, **(change or {}).get(name, {})}
        sheet.append([n, name, *[figures[c] for c in CODES], "✓" if name == benchmark.own_name else None])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Client, scheme_id: int, data: bytes, name: str = "对标.xlsx", **fields: str) -> "Response":
    form = {"period": "2025", "name": "2025年对标（复核）", "own_name": "", "source": "火炬统计", **fields}
    return client.post(url("benchmark_list", scheme_id), {**form, "file": SimpleUploadedFile(name, data)})


def test_an_upload_is_previewed_then_stored_on_confirmation(
    world: World, login: Callable[[User], Client], benchmark: Benchmark
) -> None:
    client = login(world.user("supervisor"))
    scheme = benchmark.scheme
    page = client.get(url("scheme_detail", scheme.pk)).content.decode()
    assert url("benchmark_list", scheme.pk) in page and "对标与差距分析" in page
    response = upload(client, scheme.pk, as_workbook(benchmark))
    body = response.content.decode()
    assert response.status_code == 200 and "导入预览" in body and "170" in body
    assert "甲高新区（本区）的名次" in body
    assert Benchmark.objects.count() == 1  # nothing stored before the confirmation
    token = response.context["token"]
    response = client.post(url("benchmark_import", scheme.pk), {"token": token})
    stored = Benchmark.objects.get(name="2025年对标（复核）")
    assert response.status_code == 302 and response["Location"] == url("benchmark_gap", stored.pk)
    assert (stored.period, stored.own_name, stored.source, stored.uploaded_by) == (
        "2025",
        "甲高新区",
        "火炬统计",
        world.user("supervisor"),
    )
    assert stored.rows == benchmark.rows and stored.version == benchmark.version
    listing = client.get(url("benchmark_list", scheme.pk)).content.decode()
    assert "2025年对标（复核）" in listing and "2025年国家高新区综合评价对标数据" in listing


def test_problems_are_listed_by_row_and_column_and_nothing_is_stored(
    world: World, login: Callable[[User], Client], benchmark: Benchmark
) -> None:
    client = login(world.user("supervisor"))
    peer = next(name for name in benchmark.rows if name != benchmark.own_name)
    data = as_workbook(benchmark, {peer: {"NHZ1.1": "很多"}, benchmark.own_name: {"NHZ2.1": None}})
    body = upload(client, benchmark.scheme_id, data).content.decode()
    assert "发现 2 处问题，未导入任何数据" in body
    assert "“很多”不是数字" in body and "本区的这一指标没有数值" in body
    assert "<td>NHZ1.1</td>" in body  # the column as headed in the file
    assert "导入预览" not in body and Benchmark.objects.count() == 1


def test_a_forged_or_foreign_token_stores_nothing(
    world: World, login: Callable[[User], Client], benchmark: Benchmark
) -> None:
    client = login(world.user("supervisor"))
    token = upload(client, benchmark.scheme_id, as_workbook(benchmark)).context["token"]
    response = client.post(
        url("benchmark_import", benchmark.scheme_id), {"token": token[:-2] + "xx"}, follow=True
    )
    assert "预览已过期或无效" in response.content.decode()
    admin = login(world.user("admin"))  # a token is the uploader's own
    admin.post(url("benchmark_import", benchmark.scheme_id), {"token": token})
    assert Benchmark.objects.count() == 1


def test_the_gap_page_answers_for_the_target_rank(
    world: World, login: Callable[[User], Client], benchmark: Benchmark
) -> None:
    client = login(world.user("supervisor"))
    page = client.get(url("benchmark_gap", benchmark.pk))
    found = page.context["page"].found
    body = page.content.decode()
    assert found.target == 10 and found.rank in (13, 14) and found.gap > 0
    assert "达到第10名所需得分" in body and f"{found.needed_score:.2f}" in body and "还差" in body
    assert "无法单独达到" in body and "单位增加值综合能耗" in body and "benchmark-gains-data" in body
    assert "创新能力和创业活跃度" in body and "甲高新区" in body
    partial = client.get(url("benchmark_gap", benchmark.pk), {"target": "3"}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "<html" not in text and 'id="gap"' in text and "达到第3名所需得分" in text
    match = re.search(r'id="needed-score">([\d.]+)<', text)
    assert match is not None
    needed = float(match.group(1))
    assert needed > found.needed_score  # the third place asks more than the tenth
    assert "领先" in client.get(url("benchmark_gap", benchmark.pk), {"target": "30"}).content.decode()


def test_a_target_out_of_range_is_explained(
    world: World, login: Callable[[User], Client], benchmark: Benchmark
) -> None:
    client = login(world.user("supervisor"))
    body = client.get(url("benchmark_gap", benchmark.pk), {"target": "170"}).content.decode()
    assert "目标名次应在 1 到 169 之间（共 170 个单位参加排名）" in body
    body = client.get(url("benchmark_gap", benchmark.pk), {"target": "0"}).content.decode()
    assert "errorlist" in body and "各指标的作用" not in body


def test_the_gap_table_exports_to_excel(
    world: World, login: Callable[[User], Client], benchmark: Benchmark
) -> None:
    client = login(world.user("supervisor"))
    response = client.get(url("benchmark_export", benchmark.pk), {"target": "10"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    table = list(book["差距分析"].iter_rows(values_only=True))
    assert table[2][:2] == ("目标名次", 10)
    codes = [row[0] for row in table if row and row[0] in CODES]
    assert sorted(codes) == sorted(CODES)
    ranking = list(book["排名"].iter_rows(values_only=True))
    assert len(ranking) == 171 and ranking[1][0] == 1


def test_the_gap_page_reads_a_bounded_number_of_rows(
    world: World,
    login: Callable[[User], Client],
    benchmark: Benchmark,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(world.user("supervisor"))
    # Session, user, access, the table with its scheme and version, the library, the menu's notice count.
    with django_assert_max_num_queries(6):
        client.get(url("benchmark_gap", benchmark.pk))
    with django_assert_max_num_queries(8):  # the scheme, its version, the library and the tables instead
        client.get(url("benchmark_list", benchmark.scheme_id))


@pytest.mark.parametrize("persona", ["supervisor", "viewer", "liaison", "outsider"])
def test_who_sees_benchmarks(
    world: World, login: Callable[[User], Client], benchmark: Benchmark, persona: str
) -> None:
    """Zone-wide roles read them, editors upload; a unit's liaison and another zone's people find nothing."""
    client = login(world.user(persona))
    reads = persona in ("supervisor", "viewer")
    for page in (url("benchmark_gap", benchmark.pk), url("benchmark_list", benchmark.scheme_id),
                 url("benchmark_export", benchmark.pk)):  # fmt: skip
        assert client.get(page).status_code == (200 if reads else 404)
    response = upload(client, benchmark.scheme_id, as_workbook(benchmark))
    assert response.status_code == (200 if persona == "supervisor" else 404)
    confirm = client.post(url("benchmark_import", benchmark.scheme_id), {"token": "x"})
    assert confirm.status_code == (302 if persona == "supervisor" else 404)
    if persona == "outsider":  # in their own zone, the ids of alpha's tables lead nowhere either
        assert client.get(url("benchmark_gap", benchmark.pk, zone="beta")).status_code == 404


def test_only_zone_evaluation_schemes_have_benchmarks(
    world: World, login: Callable[[User], Client], benchmark: Benchmark
) -> None:
    client = login(world.user("supervisor"))
    other = actions.create_scheme(world.zone, "季度考核", "unit_quarterly", "", None)
    assert client.get(url("benchmark_list", other.pk)).status_code == 404
    assert "对标与差距分析" not in client.get(url("scheme_detail", other.pk)).content.decode()


def test_figures_are_shown_to_four_significant_digits() -> None:
    assert [figure(v) for v in (0.0012346, 12.3456, 0.381, 1234.56, 5.2, 117868.0, None)] == [
        "0.001235", "12.35", "0.381", "1235", "5.2", "117868", "—",
    ]  # fmt: skip


def test_the_import_and_the_gap_export_are_audited(
    world: World, login: Callable[[User], Client], benchmark: Benchmark
) -> None:
    client = login(world.user("supervisor"))
    token = upload(client, benchmark.scheme.pk, as_workbook(benchmark)).context["token"]
    client.post(url("benchmark_import", benchmark.scheme.pk), {"token": token})
    stored = Benchmark.objects.get(name="2025年对标（复核）")
    imported = AuditEvent.objects.get(event="import")
    assert (imported.object_id, imported.detail) == (str(stored.pk), {"zones": 170})
    client.get(url("benchmark_export", stored.pk), {"target": "10"})
    exported = AuditEvent.objects.get(event="export")
    assert exported.object_id == str(stored.pk) and exported.detail == {"format": "xlsx", "target": 10}
