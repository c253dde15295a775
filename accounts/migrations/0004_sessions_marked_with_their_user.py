"""Sessions move to a table that records each one's user (accounts/sessions.py), so deleting
an account can end all its sessions. Live sessions are moved, not dropped, so nobody is logged
out by the upgrade; expired ones are left behind, and Django's own table is emptied, so no
session of a deleted account outlives the move there. Moving back copies nothing back.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import migrations, models
from django.utils import timezone

BATCH = 2000


def account_of(data):
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None


def move_sessions(apps, schema_editor):
    DjangoSession = apps.get_model("sessions", "Session")
    UserSession = apps.get_model("accounts", "UserSession")
    decode = DjangoSessionStore().decode  # same salt as ours: the data is copied as it is
    live = DjangoSession.objects.filter(expire_date__gt=timezone.now())
    batch = []
    for old in live.iterator(chunk_size=BATCH):
        batch.append(
            UserSession(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                account_id=account_of(decode(old.session_data)),
            )
        )
        if len(batch) == BATCH:
            UserSession.objects.bulk_create(batch)
            batch = []
    UserSession.objects.bulk_create(batch)
    DjangoSession.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_username_without_at_sign"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="UserSession",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                ("account_id", models.BigIntegerField(db_index=True, null=True)),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(move_sessions, migrations.RunPython.noop),
    ]
