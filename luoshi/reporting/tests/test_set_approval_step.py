"""The zone admin switches the unit head's approval step (reporting.zone_settings.set_approval_step)."""

from luoshi.audit.models import AuditEvent
from luoshi.conftest import World
from luoshi.org.models import Zone
from luoshi.reporting import zone_settings
from luoshi.reporting.queries import units_without_head


def test_on_and_off_each_audited_once(world: World) -> None:
    admin = world.user("admin")
    assert zone_settings.set_approval_step(world.zone, True, admin)
    assert Zone.objects.get(pk=world.zone.pk).reports_need_approval
    assert not zone_settings.set_approval_step(world.zone, True, admin)  # no change, no audit row
    assert zone_settings.set_approval_step(world.zone, False, admin)
    rows = AuditEvent.objects.filter(event="settings_change").order_by("pk")
    assert [r.detail for r in rows] == [
        {"reports_need_approval": [False, True]},
        {"reports_need_approval": [True, False]},
    ]
    assert {r.user for r in rows} == {admin}
    assert not Zone.objects.get(pk=world.other_zone.pk).reports_need_approval


def test_units_that_lead_items_without_a_head(world: World) -> None:
    # 区科技创新局 has a unit head; 区发展和改革局 leads items without one; the office leads nothing.
    assert list(units_without_head(world.zone)) == [world.dev]
    world.user("unithead").is_active = False
    world.user("unithead").save(update_fields=["is_active"])
    assert set(units_without_head(world.zone)) == {world.tech, world.dev}
