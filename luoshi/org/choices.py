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
    # People outside government, each held alone and tied to their party by the innovation app: an enterprise's
    # own account sees only its enterprise; a financial institution's sees only the lists shared with it.
    ENTERPRISE = "enterprise", _("企业用户")
    INSTITUTION = "institution", _("金融机构用户")


# Roles that see every plan item of their zone; the others see only their own unit's items.
ZONE_WIDE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.LEADER, Role.VIEWER})
# Roles that may change the plan structure (titles, units, deadlines) anywhere in their zone.
PLAN_EDITOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
# Roles held alone, each with pages of its own and none of the others'.
SOLE_ROLES = (Role.AUDITOR, Role.ENTERPRISE, Role.INSTITUTION)
# Roles an admin gives on the people page; the outside ones are given where their enterprise or institution is.
STAFF_ROLES = [r for r in Role if r not in (Role.ENTERPRISE, Role.INSTITUTION)]
# Roles that need a unit.
UNIT_ROLES = frozenset({Role.UNIT_HEAD, Role.LIAISON})
