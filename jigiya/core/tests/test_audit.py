import pytest

from jigiya.accounts.roles import Role
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.core.models import AuditEntry
from jigiya.places import services


def test_an_update_records_before_and_after_of_changed_fields_only(cast, admin_user):
    services.health_center_update(
        actor=admin_user, health_center=cast.center_a, name="CSCom de Sotuba", status="handed_over"
    )
    entry = AuditEntry.objects.get(model="places.healthcenter", action="update")
    assert entry.actor == admin_user
    assert entry.object_id == str(cast.center_a.pk)
    assert entry.changes == {
        "name": ["CSCom A", "CSCom de Sotuba"],
        "status": ["partner", "handed_over"],
    }


def test_an_update_that_changes_nothing_records_nothing(cast, admin_user):
    before = audit_snapshot(cast.center_a)
    assert audit_record(actor=admin_user, obj=cast.center_a, before=before) is None
    assert AuditEntry.objects.count() == 0


def test_audit_entries_cannot_be_rewritten(cast, admin_user):
    services.asaco_save(actor=admin_user, health_center=cast.center_a, name="ASACO A2")
    entry = AuditEntry.objects.get()
    entry.object_repr = "forged"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    assert AuditEntry.objects.get().object_repr == "ASACO A2"


def test_only_national_administrators_read_the_audit_trail(cast, admin_user, client):
    services.asaco_save(actor=admin_user, health_center=cast.center_a, name="ASACO A2")
    client.force_login(admin_user)
    page = client.get("/accounts/audit/")
    assert page.status_code == 200
    assert "ASACO A2" in page.content.decode()
    client.force_login(cast.user(Role.ADMIN, "a"))
    assert client.get("/accounts/audit/").status_code == 403
