from luoshi.alerts import actions
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.models import WarningRule
from luoshi.audit.choices import Event
from luoshi.audit.models import AuditEvent
from luoshi.conftest import World


def test_a_rule_change_is_in_the_audit_trail_and_a_no_op_is_not(world: World) -> None:
    actions.ensure_rules([world.zone.pk])
    rule = WarningRule.objects.get(zone=world.zone, code=RuleCode.BEHIND)
    actions.update_rule(rule, rule.enabled, rule.thresholds, world.user("supervisor"))
    assert not AuditEvent.objects.filter(event=Event.RULE_CHANGE).exists()
    actions.update_rule(rule, False, rule.thresholds, world.user("supervisor"))
    row = AuditEvent.objects.get(event=Event.RULE_CHANGE)
    assert (row.username, row.zone, row.detail["enabled"]) == ("supervisor", world.zone, [True, False])
