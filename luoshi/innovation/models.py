"""The enterprise innovation points system (企业创新积分制): the zone's enterprise registry, each year's data from
departments and enterprises with its source, frameworks as versioned data, scoring runs with their inputs, and
the lists shared with financial institutions. Every row carries its zone."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.innovation.choices import (
    ConsentScope,
    CorrectionStatus,
    Industry,
    LabelKind,
    Source,
    VersionStatus,
)
from luoshi.org.models import Park, Zone

USER = settings.AUTH_USER_MODEL


class Enterprise(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    name = models.CharField(_("企业名称"), max_length=200)
    industry = models.CharField(_("所属行业"), max_length=1, choices=Industry.choices, blank=True)
    park = models.ForeignKey(
        Park, verbose_name=_("所在园区"), null=True, blank=True, on_delete=models.SET_NULL
    )
    founded = models.DateField(_("成立日期"))
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        constraints = [models.UniqueConstraint(fields=["zone", "credit_code"], name="enterprise_unique_code")]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    """A qualification (高新技术企业, 专精特新 …) and the years it is valid; open-ended without `last_year`."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="labels")
    kind = models.CharField(_("资质"), max_length=20, choices=LabelKind.choices)
    first_year = models.PositiveSmallIntegerField(_("起始年度"))
    last_year = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "first_year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind", "first_year"], name="label_unique_start")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Field(models.Model):
    """A column of the zone's data catalogue (研发费用, 营业收入_上年 …) as frameworks name it, with its unit and
    the department whose figure counts when sources disagree and the office has not settled it."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    column = models.CharField(_("数据项"), max_length=60)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    source = models.CharField(_("权威来源"), max_length=20, choices=Source.choices)
    is_flag = models.BooleanField(_("是/否项"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "column"], name="field_unique_column")]

    def __str__(self) -> str:
        return self.column


class Upload(models.Model):
    """One department sheet as uploaded: the values it brought point back to it."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("来源部门"), max_length=20, choices=Source.choices)
    filename = models.CharField(_("文件名"), max_length=255)
    rows = models.PositiveIntegerField(_("企业数"))
    values_added = models.PositiveIntegerField(default=0)
    values_changed = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename


class Value(models.Model):
    """One figure for an enterprise, year and data item, from one source; a new sheet from the same source
    replaces it (the history keeps the old one)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("年度"))
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="values")
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
    upload = models.ForeignKey(
        Upload, null=True, blank=True, on_delete=models.SET_NULL, related_name="values"
    )
    entered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "field", "source"], name="value_unique_source"
            )
        ]
        indexes = [models.Index(fields=["zone", "year"], name="value_zone_year")]

    def __str__(self) -> str:
        return f"{self.field} {self.value}"


class Settlement(models.Model):
    """The office's choice between sources that disagree: the figure of `source` counts."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="settlements")
    year = models.PositiveSmallIntegerField()
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("采用来源"), max_length=20, choices=Source.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    settled_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    settled_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "field"], name="settlement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.field} ← {self.get_source_display()}"


class Correction(models.Model):
    """An enterprise's own figure for one of its data items, with evidence; it counts once the office has
    verified it (as a value from Source.ENTERPRISE that the office's settlement chooses)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="corrections")
    year = models.PositiveSmallIntegerField(_("年度"))
    field = models.ForeignKey(Field, verbose_name=_("数据项"), on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("更正后的数值"), max_digits=20, decimal_places=4)
    reason = models.CharField(_("更正理由"), max_length=500)
    evidence_name = models.CharField(_("证明材料"), max_length=255)
    evidence_stored = models.CharField(max_length=80, unique=True)
    evidence_type = models.CharField(max_length=100)
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("核实意见"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["zone", "status"], name="correction_zone_status")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.field} {self.value}"


class Confirmation(models.Model):
    """An enterprise's statement that its data for a year, as shown to it, is right."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="confirmations")
    year = models.PositiveSmallIntegerField()
    confirmed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="confirmation_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class Framework(models.Model):
    """A points framework (积分框架) and its versions; a published version never changes."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=200)
    is_sample = models.BooleanField(_("示例"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="framework_unique_name")]

    def __str__(self) -> str:
        return self.name


class FrameworkVersion(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("TOML"))
    status = models.CharField(
        _("状态"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_version_unique"),
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(status=VersionStatus.DRAFT),
                name="framework_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} v{self.number}"


class Run(models.Model):
    """A year scored with a published framework version: every input and its source are kept in the scores,
    and the fingerprint (framework text + inputs) shows when re-scoring would read the same data."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="runs")
    fingerprint = models.CharField(max_length=64)
    enterprises = models.PositiveIntegerField(_("企业数"))
    summary = models.JSONField(default=dict)  # tiers, stages, median points, share of tier A
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["zone", "year", "-created_at"], name="run_zone_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.version}"


class Score(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="scores")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="scores")
    stage = models.CharField(max_length=40)
    core = models.FloatField()
    bonus = models.FloatField()
    penalty = models.FloatField()
    points = models.FloatField()
    rank = models.PositiveIntegerField(null=True)
    stage_rank = models.PositiveIntegerField(null=True)
    # Places gained since last year's newest run when this one was scored (negative: lost), so the ranking's
    # movers are read by an index instead of joining two runs of 20,000 on every request.
    rise = models.IntegerField(null=True)
    tier = models.CharField(max_length=12)
    missing = models.CharField(max_length=500, blank=True)
    # {code: [value scored, fraction, points]} and {column: [value, source]}: the page explains from these.
    detail = models.JSONField(default=dict)
    inputs = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="score_unique")]
        indexes = [
            models.Index(fields=["run", "rank"], name="score_run_rank"),
            models.Index(fields=["run", "rise"], name="score_run_rise"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.points:.4f}"


class Institution(models.Model):
    """A bank, guarantee company or fund the zone shares lists with."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="institution_unique_name")]

    def __str__(self) -> str:
        return self.name


class Party(models.Model):
    """Who an outside login acts for: an enterprise account its enterprise, a financial institution's account
    its institution. The role itself is an org Membership."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="innovation_parties")
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="accounts"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "user"], name="party_unique_user"),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=True) ^ Q(institution__isnull=True), name="party_one_kind"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user_id)


class Consent(models.Model):
    """An enterprise's consent to its name and points being shared, for a scope, from when and until revoked."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("范围"), max_length=20, choices=ConsentScope.choices)
    granted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("同意时间"))
    revoked_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scope"], condition=Q(revoked_at__isnull=True), name="consent_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.scope}"


class BankList(models.Model):
    """推荐银行名单: a named, dated selection from a run, shared with institutions."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="bank_lists")
    name = models.CharField(_("名单名称"), max_length=200)
    dated = models.DateField(_("日期"))
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-dated", "-id"]

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    bank_list = models.ForeignKey(BankList, on_delete=models.CASCADE, related_name="entries")
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["bank_list", "score"], name="entry_unique")]

    def __str__(self) -> str:
        return f"{self.bank_list_id} #{self.position}"


class Share(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    bank_list = models.ForeignKey(BankList, on_delete=models.CASCADE, related_name="shares")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bank_list", "institution"], name="share_unique")]

    def __str__(self) -> str:
        return f"{self.bank_list_id} → {self.institution_id}"
