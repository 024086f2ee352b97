from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.audit.queries import detail_text


def test_details_read_as_words(db: None) -> None:
    settings = record(
        Event.SETTINGS_CHANGE, detail={"session_idle_minutes": [30, 15], "two_factor_required": [False, True]}
    )
    assert detail_text(settings) == "无操作退出（分钟）：30 → 15；双因素认证：否 → 是"
    role = record(Event.ROLE_ADD, detail={"role": "auditor", "unit": ""})
    assert detail_text(role) == "角色：审计管理员"
