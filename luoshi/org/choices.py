from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitType(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    FUNCTIONAL_AREA = "functional_area", _("功能区")
    TOWN = "town", _("镇街")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    TASK_FORCE = "task_force", _("专班")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    SUPERVISOR = "supervisor", _("督查室")
    LEADER = "leader", _("领导")
    UNIT_HEAD = "unit_head", _("单位负责人")
    LIAISON = "liaison", _("联络员")
    VIEWER = "viewer", _("只读用户")
    # 三权分立: reads the security audit trail and nothing else; the admin manages people but not the trail.
    AUDITOR = "auditor", _("审计管理员")


# Roles that see every plan item of their zone; the others see only their own unit's items.
ZONE_WIDE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.LEADER, Role.VIEWER})
# Roles that may change the plan structure (titles, units, deadlines) anywhere in their zone.
PLAN_EDITOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
# Roles that need a unit.
UNIT_ROLES = frozenset({Role.UNIT_HEAD, Role.LIAISON})
