from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.assessment.choices import Frequency, SchemeKind, VersionStatus
from luoshi.org.models import Unit, Zone
from luoshi.plans.choices import Direction


class Indicator(models.Model):
    """An entry of the zone's indicator library: what is measured, which way is better, who supplies it, and
    the thresholds that mark a value as alarming or excellent."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    unit_of_measure = models.CharField(_("计量单位"), max_length=40, blank=True)
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    frequency = models.CharField(
        _("频次"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    source_unit = models.ForeignKey(
        Unit,
        verbose_name=_("数据来源部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    alert_threshold = models.DecimalField(_("预警值"), max_digits=18, decimal_places=4, null=True, blank=True)
    excellence_threshold = models.DecimalField(
        _("优秀值"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    description = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorValue(models.Model):
    """One value of an indicator for one entity and period: a unit (department, street, functional area …) or,
    with no unit, the zone as a whole. Who entered it and whether the supervision office verified it are kept,
    because a published ranking must be traceable to its figures."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("期间"), max_length=10)  # 2026, 2026Q3 or 2026-09 (lib.periods.parse_period)
    period_end = models.DateField()
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField()
    verified = models.BooleanField(_("已核实"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "-period_end", "unit__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"],
                condition=Q(unit__isnull=False),
                name="value_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"], condition=Q(unit__isnull=True), name="value_unique_zone"
            ),
        ]
        indexes = [models.Index(fields=["zone", "period_end"], name="value_zone_period")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.value}"


class Scheme(models.Model):
    """An assessment: what is scored, how, of whom. Its rules live in versions, never in code."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=SchemeKind.choices, default=SchemeKind.CUSTOM)
    description = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="scheme_unique_name")]

    def __str__(self) -> str:
        return self.name


class SchemeVersion(models.Model):
    """One version of a scheme's rules: the hierarchy in COINr's iMeta columns (level-1 codes are indicators of
    the library), the pipeline in the `luoshi composite` TOML vocabulary, and bonus and penalty items. A
    published version never changes; a change is a new version."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    status = models.CharField(
        _("状态"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    structure = models.JSONField(
        _("指标体系")
    )  # iMeta rows: iCode, iName, Level, Parent, Weight, Direction, Type
    pipeline = models.JSONField(_("计算方法"))  # the TOML tables as a dict
    # Added to (bonus) or taken from (penalty) the top score after aggregation: [{"indicator", "kind", "cap"}]
    adjustments = models.JSONField(_("加分与扣分项"), default=list, blank=True)
    # Contest rules (摘星夺旗): {"stars": bool, "flags": [{"name", "top": n} | {"name", "rise": n}]}
    contest = models.JSONField(_("评星与授旗规则"), default=dict, blank=True)
    note = models.TextField(_("修订说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheme", "-number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_unique")]

    def __str__(self) -> str:
        return f"{self.scheme} v{self.number}"


class ScoreRun(models.Model):
    """One scoring of a scheme version for a period: the version, every parameter and every figure used are
    stored with the results (and hashed), so the run can be reproduced and checked."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    # Versions are never deleted on their own (a published one never changes); they go with their zone.
    version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="runs")
    period = models.CharField(_("期间"), max_length=10)
    params = models.JSONField()  # structure, pipeline, adjustments, uncertainty, seed and the data table
    params_hash = models.CharField(max_length=64)
    uncertainty = models.PositiveIntegerField(_("不确定性分析次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-created_at"]
        indexes = [models.Index(fields=["zone", "period"], name="run_zone_period")]

    def __str__(self) -> str:
        return f"{self.version} {self.period}"


class ScoreResult(models.Model):
    """A unit's place in a run: its final score and rank, every aggregate's score and rank, the rank interval
    from the uncertainty analysis, and how its top score is made."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("得分"))  # the top aggregate plus bonus minus penalty
    rank = models.PositiveIntegerField(_("排名"))
    scores = models.JSONField()  # code → score of every aggregate and normalised indicator
    ranks = models.JSONField()  # code → rank
    adjustment = models.FloatField(default=0.0)
    contributions = models.JSONField(
        default=list
    )  # the top aggregate's children: [code, weight, value, part]
    rank_median = models.FloatField(null=True, blank=True)
    rank_q05 = models.FloatField(null=True, blank=True)
    rank_q95 = models.FloatField(null=True, blank=True)
    previous_rank = models.PositiveIntegerField(null=True, blank=True)  # in the scheme's previous period
    stars = models.JSONField(default=dict)  # child of the top → stars won in it
    flags = models.JSONField(default=list)  # names of the flags won

    class Meta:
        ordering = ["run", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="result_unique_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.score:.2f} ({self.rank})"


class Benchmark(models.Model):
    """A national comparison table (对标数据) for a zone-evaluation scheme: every zone's figures on the scheme's
    indicators for one period, and which row is ours. The peers are not units of Luoshi, so the table is kept
    whole as imported, with the version its columns were checked against; the gap analysis runs on it."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="benchmarks")
    version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("期间"), max_length=10)
    name = models.CharField(_("名称"), max_length=200)
    own_name = models.CharField(_("本区在表中的名称"), max_length=200)
    rows = models.JSONField(_("对标数据"))  # zone name → indicator code → value (None when missing)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "period", "name"], name="benchmark_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"
