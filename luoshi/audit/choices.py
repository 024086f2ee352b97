from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What the security audit trail records (等保 2.0 安全审计). Stored values never change."""

    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    LOCKOUT = "lockout", _("账号锁定")
    UNLOCK = "unlock", _("解除锁定")
    OTP_ENROL = "otp_enrol", _("启用双因素认证")
    OTP_REMOVE = "otp_remove", _("停用双因素认证")
    OTP_VERIFY = "otp_verify", _("双因素认证")
    RECOVERY_CODES = "recovery_codes", _("生成恢复码")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    PERSON_CREATE = "person_create", _("新增人员")
    PERSON_ACTIVE = "person_active", _("启用/停用账号")
    ROLE_ADD = "role_add", _("授予角色")
    ROLE_REMOVE = "role_remove", _("移除角色")
    SESSION_REVOKE = "session_revoke", _("注销会话")
    SETTINGS_CHANGE = "settings_change", _("修改设置")
    RULE_CHANGE = "rule_change", _("修改预警规则")
    WARNING_DISMISS = "warning_dismiss", _("核销预警")
    BULLETIN_ISSUE = "bulletin_issue", _("印发督查通报")
    CALENDAR_CHANGE = "calendar_change", _("修改工作日历")
    ENDPOINT_CHANGE = "endpoint_change", _("修改群机器人")
    EXPORT = "export", _("导出")
    SHARE = "share", _("向外部机构共享")
    CONSENT = "consent", _("授权或撤回授权")
    DOWNLOAD = "download", _("下载附件")
    PRINT = "print", _("打印")
    IMPORT = "import", _("导入")
    BACKUP = "backup", _("备份")
    RESTORE = "restore", _("恢复")
    AUDIT_EXPORT = "audit_export", _("导出审计记录")
    AUDIT_PRUNE = "audit_prune", _("清理审计记录")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")
