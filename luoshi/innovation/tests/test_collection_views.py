"""The data pages: a department's sheet previewed and confirmed (nothing stored before, nothing at all when the
file is wrong), a conflict settled, the registry imported, an enterprise's correction and its review."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.conftest import World
from luoshi.innovation.models import Correction, Enterprise, Settlement, Upload, Value
from luoshi.innovation.tests.conftest import Innov, credit_code


def _url(name: str, **kwargs: int) -> str:
    return reverse(f"innovation:{name}", kwargs={"zone": "alpha", **kwargs})


def _sheet(text: str, name: str = "统计.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_department_sheet_preview_then_confirm(world: World, client: Client, innov: Innov) -> None:
    client.force_login(world.user("liaison"))  # a department's liaison sends its own sheet
    code = innov.enterprises[0].credit_code
    sheet = _sheet(f"标题\n统一社会信用代码,企业名称,研发费用（元）\n{code},甲,1500000\n")
    preview = client.post(_url("collection"), {"year": "2025", "source": "stats", "file": sheet})
    token = preview.context["token"]
    assert preview.context["found_fields"] == ["研发费用"] and not Upload.objects.exists()
    done = client.post(_url("collection_confirm"), {"token": token})
    assert done.status_code == 302
    stored = Value.objects.get(
        enterprise=innov.enterprises[0], year=2025, source="stats", field__column="研发费用"
    )
    assert float(stored.value) == 150.0 and stored.entered_by == world.user("liaison")
    assert client.post(_url("collection_confirm"), {"token": token}).status_code == 404  # used once


def test_a_wrong_sheet_lists_its_problems_and_stores_nothing(
    world: World, client: Client, innov: Innov
) -> None:
    client.force_login(world.user("supervisor"))
    code = innov.enterprises[0].credit_code
    sheet = _sheet(f"统一社会信用代码,研发费用\n{code},约100\n{code[:-1]}0,5\n")
    response = client.post(_url("collection"), {"year": "2025", "source": "tax", "file": sheet})
    problems = response.context["problems"]
    assert [p.row for p in problems] == [2, 3] and "token" not in response.context
    assert "约100" in response.content.decode()
    renamed = SimpleUploadedFile(
        "数据.xlsx", b"not a workbook at all", content_type="application/octet-stream"
    )
    response = client.post(_url("collection"), {"year": "2025", "source": "tax", "file": renamed})
    assert response.context["problems"] and not Upload.objects.exists()


def test_settle_a_conflict(world: World, client: Client, innov: Innov) -> None:
    from luoshi.innovation.tests.conftest import put

    firm = innov.enterprises[0]
    put(firm, 2025, "研发费用", 150, source="stats")
    client.force_login(world.user("supervisor"))
    page = client.get(_url("collection"), {"year": "2025"})
    assert [c["enterprise"] for c in page.context["conflicts"]] == [firm]
    data = {
        "enterprise": firm.pk,
        "field": innov.fields["研发费用"].pk,
        "year": 2025,
        "source": "stats",
        "note": "统计年报",
    }
    client.post(_url("settle"), data)
    assert Settlement.objects.get(enterprise=firm).source == "stats"
    refused = client.post(_url("settle"), {**data, "source": "hr"}, follow=True)
    assert "所选来源没有这项数据" in refused.content.decode()


def test_registry_import(world: World, client: Client, innov: Innov) -> None:
    client.force_login(world.user("supervisor"))
    text = "统一社会信用代码,企业名称,成立日期,所属行业,资质\n"
    text += f"{credit_code(40)},青岛新来科技有限公司,2021-05-06,I,科技型中小企业（2024起）\n"
    text += f"{innov.enterprises[0].credit_code},青岛芯云科技股份有限公司,2023-04-01,制造业,\n"
    preview = client.post(_url("registry_import"), {"file": _sheet(text, "企业库.csv")})
    assert preview.context["total"] == 2
    done = client.post(_url("registry_import"), {"token": preview.context["token"]}, follow=True)
    assert "新增 1 家，更新 1 家" in done.content.decode()
    assert Enterprise.objects.get(credit_code=credit_code(40)).labels.get().kind == "tech_sme"
    bad = client.post(
        _url("registry_import"), {"file": _sheet(text.replace("2021-05-06", "去年"), "企业库.csv")}
    )
    assert bad.context["problems"][0].row == 2 and "token" not in bad.context


def test_correction_needs_evidence_and_the_office_reviews_it(
    world: World, client: Client, innov: Innov
) -> None:
    from luoshi.innovation import actions

    firm = innov.enterprises[0]
    user = actions.open_account(innov.zone, "firm", "王晓", "Firm-pass-12345", None, enterprise=firm)
    client.force_login(user)
    data = {"year": "2025", "field": innov.fields["研发费用"].pk, "value": "135", "reason": "漏报"}
    missing = client.post(_url("correct", enterprise_id=firm.pk), data, follow=True)
    assert (
        "这个字段是必填项" in missing.content.decode() or "This field is required" in missing.content.decode()
    )
    text = SimpleUploadedFile("证明.txt", b"just words")
    wrong = client.post(_url("correct", enterprise_id=firm.pk), {**data, "evidence": text}, follow=True)
    assert "应为 PDF 或图片" in wrong.content.decode() and not Correction.objects.exists()
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    client.post(_url("correct", enterprise_id=firm.pk), {**data, "evidence": pdf})
    correction = Correction.objects.get()
    client.force_login(world.user("supervisor"))
    declined = client.post(
        _url("review", correction_id=correction.pk), {"accept": "0", "note": ""}, follow=True
    )
    assert "不采纳时请写明理由" in declined.content.decode()
    client.post(_url("review", correction_id=correction.pk), {"accept": "1", "note": "与审计报告一致"})
    correction.refresh_from_db()
    assert correction.status == "verified" and correction.reviewed_by == world.user("supervisor")


def test_the_enterprise_page_shows_its_history(world: World, client: Client, innov: Innov) -> None:
    from luoshi.innovation import actions
    from luoshi.innovation.collection import RegistryRow

    firm = innov.enterprises[0]
    row = RegistryRow(
        2, firm.credit_code, "青岛芯云科技股份有限公司", firm.founded, labels=[("high_tech", 2024, 2026)]
    )
    actions.register(innov.zone, [row], world.user("supervisor"))
    client.force_login(world.user("viewer"))
    page = client.get(_url("enterprise", enterprise_id=firm.pk)).content.decode()
    assert "修改记录" in page and "青岛芯云科技股份有限公司" in page and "新增资质" in page
    assert "supervisor" in page


def test_a_sheet_over_the_row_limit_is_refused(
    world: World, client: Client, innov: Innov, monkeypatch: pytest.MonkeyPatch
) -> None:
    from luoshi.innovation import collection_views

    monkeypatch.setattr(collection_views, "MAX_ROWS", 3)
    client.force_login(world.user("supervisor"))
    rows = "".join(f"{credit_code(n)},{n}\n" for n in range(5))
    sheet = _sheet("统一社会信用代码,研发费用\n" + rows)
    response = client.post(_url("collection"), {"year": "2025", "source": "tax", "file": sheet})
    assert "行的导入上限" in response.content.decode() and not Upload.objects.exists()


def test_blank_templates_read_back_by_their_imports(world: World, client: Client, innov: Innov) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from luoshi.innovation import collection, table

    client.force_login(world.user("liaison"))
    url = _url("template")
    sheet = client.get(url, {"source": "tax"}).content
    headings = [c.value for c in load_workbook(BytesIO(sheet)).active[3]]
    assert headings == ["统一社会信用代码", "企业名称", "研发费用（万元）", "研发投入强度"]
    fields = [collection.DataField(f.pk, f.column, f.unit, f.is_flag) for f in innov.fields.values()]
    found = collection.read_figures(table.read(sheet, "模板.xlsx"), fields, {})
    assert found[2] == ["研发费用", "研发投入强度"] and found[1] == []
    assert client.get(url, {"source": "registry"}).status_code == 404  # the registry is the office's
    assert client.get(url, {"source": "enterprise"}).status_code == 404
    client.force_login(world.user("supervisor"))
    registry = load_workbook(BytesIO(client.get(url, {"source": "registry"}).content)).active
    assert registry["A3"].value == "统一社会信用代码" and registry["A4"].number_format == "@"
