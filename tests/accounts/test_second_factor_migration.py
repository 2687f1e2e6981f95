"""The move to django-otp keeps every existing authenticator: same key (now encrypted), same state."""

import pyotp
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE, AFTER = [("accounts", "0006_audit_kinds_for_access")], [("accounts", "0007_second_factor_with_django_otp")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_devices_are_carried_over_encrypted(reviewer, owner):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    old = old_apps.get_model("accounts", "TOTPDevice")
    secret = pyotp.random_base32()
    old.objects.create(user_id=reviewer.pk, secret=secret, confirmed_at="2026-03-02T09:00:00+08:00",
                       last_used_step=59000000)
    old.objects.create(user_id=owner.pk, secret=pyotp.random_base32())
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from accounts.models import EncryptedTOTPDevice

    carried = EncryptedTOTPDevice.objects.get(user=reviewer)
    assert carried.confirmed and carried.last_t == 59000000 and carried.secret == secret.rstrip("=")
    assert secret not in carried.encrypted_key
    assert not EncryptedTOTPDevice.objects.get(user=owner).confirmed
