"""The demo's enterprise innovation points: 300 invented enterprises across stages, industries and parks; three
years of figures from the departments (taxation, statistics, IP, HR, science, finance, market supervision),
with the statistics bureau's R&D figures disagreeing with the tax bureau's for a few enterprises; the sample
2024-structure framework published and each year scored; an enterprise's correction waiting for the office;
consent from most enterprises and one bank list shared with a bank. All through the innovation app's actions."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.innovation import actions, queries, scoring_actions
from luoshi.innovation.choices import LabelKind, Source
from luoshi.innovation.collection import FigureRow, RegistryRow
from luoshi.innovation.framework import samples
from luoshi.innovation.models import Enterprise, Field, Party, Run
from luoshi.org.models import Park, Zone

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
N_ENTERPRISES = 300
# (column, unit, department whose figure counts, yes/no)
CATALOGUE = [
    ("研发费用", "万元", Source.TAX, False),
    ("研发投入强度", "比例", Source.TAX, False),
    ("纳税总额", "万元", Source.TAX, False),
    ("营业收入", "万元", Source.STATS, False),
    ("高新技术产品收入", "万元", Source.STATS, False),
    ("净资产利润率", "比例", Source.STATS, False),
    ("发明专利授权数", "件", Source.IP, False),
    ("PCT专利申请数", "件", Source.IP, False),
    ("从业人员数", "人", Source.HR, False),
    ("吸纳应届毕业生", "人", Source.HR, False),
    ("高层次人才数", "人", Source.HR, False),
    ("研发人员占比", "比例", Source.SCIENCE, False),
    ("技术合同成交额", "万元", Source.SCIENCE, False),
    ("参与制定标准数", "项", Source.SCIENCE, False),
    ("科技奖励数", "项", Source.SCIENCE, False),
    ("研发平台数", "个", Source.SCIENCE, False),
    ("国家级科技奖励数", "项", Source.SCIENCE, False),
    ("瞪羚独角兽", "家", Source.SCIENCE, False),
    ("风险投资金额", "万元", Source.FINANCE, False),
    ("严重失信", "", Source.MARKET, True),
    ("行政处罚次数", "次", Source.MARKET, False),
]
INDUSTRIES = [("C", 0.46), ("I", 0.26), ("M", 0.18), ("F", 0.04), ("R", 0.03), ("Q", 0.03)]
FIRST = "海润 鑫达 华芯 蓝海 中科 瑞丰 博远 天诚 新航 卓越 睿思 宏图 恒信 智源 众创 青芯 海科 云帆 金桥 启明 远景 德润 科达 汇智 鼎盛".split()
TRADE = {
    "C": ["智能装备", "新材料", "生物医药", "海洋科技", "电子", "精密制造", "新能源"],
    "I": ["软件", "信息技术", "数据科技", "网络科技", "智能科技"],
    "M": ["检测技术", "工程技术", "环境科技", "生物技术"],
    "F": ["供应链"], "R": ["数字文化"], "Q": ["医疗科技"],
}  # fmt: skip
BANKS = ("青岛银行高新区支行", "农商银行高新区支行", "工商银行青岛高科园支行")


@dataclass
class Firm:
    code: str
    name: str
    founded: date
    industry: str
    park: int
    strength: float  # 0–1: how innovative, which the figures follow
    size: float  # revenue scale in 万元


def _credit_code(n: int) -> str:
    body = f"91370212{n:04d}" + "".join(ALPHABET[(n * k + 7) % 31] for k in (3, 5, 11, 13, 17))
    total = sum(ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(body))
    return body + ALPHABET[(31 - total % 31) % 31]


def _firms(rng: random.Random, parks: list[int], year: int) -> list[Firm]:
    firms, names = [], set()
    for n in range(N_ENTERPRISES):
        industry = rng.choices([i for i, _w in INDUSTRIES], [w for _i, w in INDUSTRIES])[0]
        name = ""
        while not name or name in names:
            name = f"青岛{rng.choice(FIRST)}{rng.choice(TRADE[industry])}有限公司"
            if name in names:
                name = f"青岛{rng.choice(FIRST)}{rng.choice(FIRST)}{rng.choice(TRADE[industry])}有限公司"
        names.add(name)
        age = rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 11, 13, 15, 18, 22])
        founded = date(year - age, rng.randint(1, 12), rng.randint(1, 28))
        size = 300 * (1 + age) ** 1.3 * rng.lognormvariate(0, 0.8)
        firms.append(
            Firm(_credit_code(n + 1), name, founded, industry, rng.choice(parks), rng.betavariate(2, 3), size)
        )
    return firms


def _labels(rng: random.Random, firm: Firm, year: int) -> list[tuple[str, int, int | None]]:
    labels: list[tuple[str, int, int | None]] = []
    if firm.strength > 0.35 and year - firm.founded.year >= 2:
        start = max(firm.founded.year + 2, year - 4)
        labels.append((LabelKind.HIGH_TECH, start, start + 2))
    if firm.size < 20000:
        labels.append((LabelKind.TECH_SME, year - 1, None))
    if firm.strength > 0.6 and firm.size > 5000:
        labels.append((LabelKind.SPECIALISED, year - 1, year + 1))
    if firm.strength > 0.7 and year - firm.founded.year <= 8 and rng.random() < 0.5:
        labels.append((LabelKind.GAZELLE, year, None))
    return labels


def _base(rng: random.Random, firm: Firm) -> dict[str, float]:
    """The latest year's figures, following the firm's strength."""
    revenue = firm.size * rng.uniform(0.9, 1.1)
    intensity = max(0.004, rng.gauss(0.015 + 0.07 * firm.strength, 0.01))
    staff = max(8, int(revenue / 90 * rng.uniform(0.7, 1.3)))
    return {
        "营业收入": revenue, "研发费用": revenue * intensity, "研发投入强度": intensity,
        "纳税总额": revenue * rng.uniform(0.02, 0.06),
        "高新技术产品收入": revenue * min(1, firm.strength * rng.uniform(0.6, 1.4)),
        "净资产利润率": rng.gauss(0.04 + 0.1 * firm.strength, 0.05),
        "发明专利授权数": max(0, int(rng.gauss(firm.strength * 12 * (revenue / 5000) ** 0.3, 1.5))),
        "PCT专利申请数": int(firm.strength > 0.65 and rng.random() < 0.5) * rng.randint(1, 4),
        "从业人员数": staff, "吸纳应届毕业生": max(0, int(staff * rng.uniform(0.02, 0.12))),
        "高层次人才数": int(rng.random() < firm.strength) * rng.randint(1, 6),
        "研发人员占比": min(0.8, max(0.02, rng.gauss(0.08 + 0.3 * firm.strength, 0.05))),
        "技术合同成交额": max(0.0, rng.gauss(firm.strength * 600, 150)) if rng.random() < 0.7 else 0.0,
        "参与制定标准数": int(rng.random() < firm.strength * 0.6) * rng.randint(1, 3),
        "科技奖励数": int(rng.random() < firm.strength * 0.4) * rng.randint(1, 2),
        "研发平台数": int(rng.random() < firm.strength * 0.7) * rng.randint(1, 2),
        "国家级科技奖励数": int(rng.random() < firm.strength * 0.05),
        "瞪羚独角兽": int(firm.strength > 0.7 and rng.random() < 0.4),
        "风险投资金额": rng.uniform(500, 6000) if rng.random() < firm.strength * 0.5 else 0.0,
        "严重失信": int(rng.random() < 0.006), "行政处罚次数": int(rng.random() < 0.06) * rng.randint(1, 3),
    }  # fmt: skip


MONEY = ("营业收入", "研发费用", "纳税总额", "高新技术产品收入", "技术合同成交额", "风险投资金额")
RATIOS = ("研发投入强度", "净资产利润率", "研发人员占比")
GROWN = ("发明专利授权数", "从业人员数", "吸纳应届毕业生", "高层次人才数")


def _figures(rng: random.Random, firm: Firm, base: dict[str, float], back: int) -> dict[str, float]:
    """The figures `back` years before the latest: smaller by the firm's growth, with a year's noise."""
    growth = (1.08 + firm.strength * 0.2) ** back
    x: dict[str, float] = {}
    for column, value in base.items():
        if column in MONEY:
            x[column] = round(value / growth * rng.uniform(0.92, 1.08), 1)
        elif column in RATIOS:
            x[column] = round(value * rng.uniform(0.9, 1.1), 4)
        elif column in GROWN:
            x[column] = max(0, round(value / growth**0.5 * rng.uniform(0.85, 1.15)))
        elif column in ("严重失信", "行政处罚次数", "国家级科技奖励数", "PCT专利申请数"):
            x[column] = value if back == 0 else int(rng.random() < 0.3) * value
        else:
            x[column] = value
    if rng.random() < 0.04:  # an enterprise that did not report its technology contracts that year
        del x["技术合同成交额"]
    return x


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def build_innovation(zone: Zone, supervisor: User, firm_user: User, bank_user: User, today: date) -> Run:
    rng = random.Random(15)
    latest = today.year - 1
    years = [latest - 2, latest - 1, latest]
    parks = list(Park.objects.filter(zone=zone).values_list("pk", flat=True))
    fields = {
        column: Field.objects.create(
            zone=zone, column=column, unit=unit, source=source, is_flag=flag, position=n
        )
        for n, (column, unit, source, flag) in enumerate(CATALOGUE)
    }
    firms = _firms(rng, parks, latest)
    actions.register(
        zone,
        [
            RegistryRow(n + 2, f.code, f.name, f.founded, f.industry, f.park, labels=_labels(rng, f, latest))
            for n, f in enumerate(firms)
        ],
        supervisor,
    )
    ids = dict(Enterprise.objects.filter(zone=zone).values_list("credit_code", "pk"))
    adopted = _at(date(years[0], 12, 1), 9)  # before the first year is scored
    version = scoring_actions.create_framework(
        zone, "企业创新积分评价框架（示例）", samples()["sample-2024"], supervisor, adopted, is_sample=True
    )
    version = scoring_actions.publish(version, supervisor, adopted)
    run = None
    bases = {f.code: _base(rng, f) for f in firms}
    for year in years:
        figures = {f.code: _figures(rng, f, bases[f.code], latest - year) for f in firms}
        when = _at(min(date(year + 1, 3, 15), today - timedelta(days=1)), 10)  # the spring after the year
        for source in [s for s in Source if s != Source.ENTERPRISE]:
            rows = [
                FigureRow(
                    n + 2,
                    ids[code],
                    {fields[c].pk: Decimal(str(v)) for c, v in x.items() if fields[c].source == source},
                )
                for n, (code, x) in enumerate(figures.items())
            ]
            actions.collect(
                zone, year, source, f"{year}年{source.label}部门数据.xlsx", rows, supervisor, when
            )
        _conflicts(zone, rng, firms, ids, fields, figures, year, supervisor, when)
        run = scoring_actions.score_year(zone, year, version, supervisor, when)
    assert run is not None
    _outside(zone, rng, firms, ids, fields, run, supervisor, firm_user, bank_user, today)
    return run


def _conflicts(zone: Zone, rng: random.Random, firms: list[Firm], ids: dict[str, int], fields: dict[str, Field],
               figures: dict[str, dict[str, float]], year: int, user: User, when: datetime) -> None:  # fmt: skip
    """The statistics bureau's R&D figure (统计口径) for a dozen enterprises, differing from the tax bureau's;
    the office has settled the older years' and half of the latest year's."""
    picked = rng.sample(firms, 12)
    rows = [
        FigureRow(
            n + 2,
            ids[f.code],
            {
                fields["研发费用"].pk: Decimal(
                    str(round(figures[f.code]["研发费用"] * rng.uniform(1.1, 1.5), 1))
                )
            },
        )
        for n, f in enumerate(picked)
    ]
    actions.collect(zone, year, Source.STATS, f"{year}年规上企业研发统计.xlsx", rows, user, when)
    enterprises = Enterprise.objects.in_bulk([ids[f.code] for f in picked])
    settled = picked if year < when.year - 1 else picked[:6]
    for f in settled:
        actions.settle(
            enterprises[ids[f.code]],
            year,
            fields["研发费用"],
            Source.TAX,
            "以税务加计扣除口径为准",
            user,
            when,
        )


def _outside(zone: Zone, rng: random.Random, firms: list[Firm], ids: dict[str, int], fields: dict[str, Field],
             run: Run, user: User, firm_user: User, bank_user: User, today: date) -> None:  # fmt: skip
    """Consent from most enterprises, the enterprise account's pending correction, banks and a shared list."""
    now = _at(today - timedelta(days=2), 2)  # the enterprise wrote in two days ago, in the morning
    enterprises = Enterprise.objects.in_bulk(list(ids.values()))
    for f in firms:
        if rng.random() < 0.7:
            actions.grant_consent(enterprises[ids[f.code]], None, now)
    scores = list(run.scores.filter(rank__isnull=False).order_by("rank").select_related("enterprise"))
    own = scores[
        len(scores) // 3
    ].enterprise  # a mid-table enterprise: room to rise, and a correction to make
    actions.link_account(zone, firm_user, user, enterprise=own)
    actions.grant_consent(own, firm_user, now)
    evidence = SimpleUploadedFile(
        f"{run.year}年度研发费用专项审计报告.pdf",
        b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    )
    current = own.values.filter(year=run.year, field=fields["研发费用"]).first()
    value = (current.value if current else Decimal(100)) * Decimal("1.18")
    actions.submit_correction(own, run.year, fields["研发费用"], value.quantize(Decimal("0.1")),
                              "税务数据未含第四季度委托研发费用，已附专项审计报告", evidence, firm_user, now)  # fmt: skip
    banks = [actions.add_institution(zone, name) for name in BANKS]
    actions.link_account(zone, bank_user, user, institution=banks[0])
    allowed = queries.consenting(zone.pk)
    picked = [s.pk for s in scores if s.tier in ("A", "B") and s.enterprise_id in allowed][:50]
    bank_list = scoring_actions.create_bank_list(
        run, f"{run.year}年度“创新积分贷”推荐企业名单（第一批）", today, "A、B档中已同意推荐的前50家企业，供授信参考。", picked, user, now
    )  # fmt: skip
    scoring_actions.share(bank_list, banks[0], user, now)


def party_names(zone_code: str) -> dict[str, str]:
    """Username → the enterprise or institution an outside account of the zone acts for."""
    parties = Party.objects.filter(zone__code=zone_code).select_related("user", "enterprise", "institution")
    return {p.user.username: str(p.enterprise or p.institution) for p in parties}
