"""The zone admin's reporting settings: whether reports pass the unit head before the supervision office (审核
流程). Each change is recorded in the security audit trail."""

from django.contrib.auth.models import User
from django.db import transaction

from luoshi.audit.actions import record
from luoshi.audit.choices import Event
from luoshi.org.models import Zone


@transaction.atomic
def set_approval_step(zone: Zone, required: bool, user: User) -> bool:
    """Switch the unit head's approval step on or off; reports already handed in follow the new rule (with it
    on, those not yet approved wait for their head; with it off, the office sees them at once)."""
    zone = Zone.objects.select_for_update().get(pk=zone.pk)
    if zone.reports_need_approval == required:
        return False
    zone.reports_need_approval = required
    zone.save(update_fields=["reports_need_approval"])
    detail = {"reports_need_approval": [not required, required]}
    record(Event.SETTINGS_CHANGE, user=user, zone=zone, obj=zone, detail=detail)
    return True
