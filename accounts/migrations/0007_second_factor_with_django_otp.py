"""Two-step verification moves to django-otp: each accounts.TOTPDevice (base32 secret in clear) becomes an
EncryptedTOTPDevice with the same key, encrypted (accounts.crypto), keeping its confirmation and the last
time step used (so no code accepted before is accepted again); then the old table goes."""

import base64

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def encrypt_existing_devices(apps, schema_editor):
    from accounts.crypto import encrypt_secret

    old, new = apps.get_model("accounts", "TOTPDevice"), apps.get_model("accounts", "EncryptedTOTPDevice")
    for device in old.objects.all().iterator():
        secret = device.secret.strip().upper()
        raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
        new.objects.create(
            user_id=device.user_id, name="验证器", confirmed=device.confirmed_at is not None,
            encrypted_key=encrypt_secret(raw), last_t=device.last_used_step or -1,
            last_used_at=device.confirmed_at,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_audit_kinds_for_access'),
    ]

    operations = [
        migrations.CreateModel(
            name='EncryptedTOTPDevice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('throttling_failure_timestamp', models.DateTimeField(blank=True, default=None, help_text='A timestamp of the last failed verification attempt. Null if last attempt succeeded.', null=True)),
                ('throttling_failure_count', models.PositiveIntegerField(default=0, help_text='Number of successive failed attempts.')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='The date and time when this device was initially created in the system.', null=True)),
                ('last_used_at', models.DateTimeField(blank=True, help_text='The most recent date and time this device was used.', null=True)),
                ('encrypted_key', models.TextField(editable=False, verbose_name='密钥（加密）')),
                ('step', models.PositiveSmallIntegerField(default=30)),
                ('t0', models.BigIntegerField(default=0)),
                ('digits', models.PositiveSmallIntegerField(default=6)),
                ('tolerance', models.PositiveSmallIntegerField(default=1)),
                ('drift', models.SmallIntegerField(default=0)),
                ('last_t', models.BigIntegerField(default=-1, verbose_name='最近使用的时间步')),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '两步验证设备',
                'verbose_name_plural': '两步验证设备',
                'abstract': False,
            },
        ),
        migrations.RunPython(encrypt_existing_devices, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(
            name='TOTPDevice',
        ),
    ]
