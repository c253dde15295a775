"""Usernames can no longer contain "@"; existing ones that do are renamed, not refused.

Refusing to migrate would keep every learner out until an operator edits accounts by hand,
and such a username no longer logs in anyway (a login with "@" is looked up as an e-mail
address). So each "@" becomes "-at-" ("ada@example.com" -> "ada-at-example.com"), with "-2",
"-3"... added when that name is taken in any case; accounts are renamed in id order, so the
result is the same on every run. Every rename is printed for the operator to pass on; the
account keeps its e-mail login and its data. Not reversed on migrating back.
"""

import accounts.models
import django.contrib.auth.validators
from django.db import migrations, models

MAX_LENGTH = 150


def free_name(wanted, taken):
    """`wanted`, or `wanted-2`, `wanted-3`... : the first one not in `taken` (lower-cased)."""
    candidate, number = wanted[:MAX_LENGTH], 1
    while candidate.lower() in taken:
        number += 1
        suffix = f"-{number}"
        candidate = wanted[: MAX_LENGTH - len(suffix)] + suffix
    return candidate


def rename_usernames_with_at_sign(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    accounts = list(User.objects.filter(username__contains="@").order_by("pk"))
    if not accounts:
        return
    taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
    for user in accounts:
        old = user.username
        taken.discard(old.lower())
        user.username = free_name(old.replace("@", "-at-"), taken)
        taken.add(user.username.lower())
        user.save(update_fields=["username"])
        print(f"  Renamed account {user.pk}: username {old!r} is now {user.username!r}.")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_unique_username_and_email_any_case"),
    ]

    operations = [
        migrations.RunPython(rename_usernames_with_at_sign, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username",
            field=models.CharField(
                error_messages={"unique": "A user with that username already exists."},
                help_text="Required. 150 characters or fewer. Letters, digits and . + - _ only.",
                max_length=150,
                unique=True,
                validators=[
                    django.contrib.auth.validators.UnicodeUsernameValidator(),
                    accounts.models.validate_no_at_sign,
                ],
                verbose_name="username",
            ),
        ),
    ]
