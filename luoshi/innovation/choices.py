from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    """GB/T 4754-2017 国民经济行业分类, its sections (门类)."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741  # the standard's own letter
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class LabelKind(models.TextChoices):
    HIGH_TECH = "high_tech", _("高新技术企业")
    TECH_SME = "tech_sme", _("科技型中小企业")
    SPECIALISED = "specialised", _("专精特新")
    GAZELLE = "gazelle", _("瞪羚企业")
    UNICORN = "unicorn", _("独角兽企业")


class Source(models.TextChoices):
    """Where a value came from: a department's sheet, or the enterprise itself (a verified correction)."""

    TAX = "tax", _("税务")
    STATS = "stats", _("统计")
    IP = "ip", _("知识产权")
    HR = "hr", _("人社")
    FINANCE = "finance", _("金融")
    SCIENCE = "science", _("科技")
    MARKET = "market", _("市场监管")
    ENTERPRISE = "enterprise", _("企业更正")


DEPARTMENTS = [s for s in Source if s != Source.ENTERPRISE]


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("待核实")
    VERIFIED = "verified", _("已核实")
    REJECTED = "rejected", _("未采纳")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class ConsentScope(models.TextChoices):
    FINANCING = "financing", _("向金融机构推荐（推荐银行名单）")
