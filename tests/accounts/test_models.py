from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse

User = get_user_model()
RENAME_MIGRATION = import_module("accounts.migrations.0003_username_without_at_sign")


@pytest.mark.django_db
def test_the_database_refuses_a_username_in_another_case():
    User.objects.create_user("Ada", "ada@example.com")

    with pytest.raises(IntegrityError):
        User.objects.create_user("aDA", "other@example.com")


@pytest.mark.django_db
def test_the_database_refuses_an_email_in_another_case():
    User.objects.create_user("ada", "Ada@Example.com")

    with pytest.raises(IntegrityError):
        User.objects.create_user("bea", "ADA@example.com")


@pytest.mark.django_db
def test_several_accounts_may_have_no_email():
    User.objects.create_user("ada", "")
    User.objects.create_user("bea", "")

    assert User.objects.filter(email="").count() == 2


@pytest.mark.django_db
def test_the_model_refuses_a_username_with_an_at_sign_on_every_path():
    user = User(username="ada@example.com", email="ada@example.com")
    user.set_password("a-long-and-unusual-passphrase-42")

    with pytest.raises(ValidationError) as error:
        user.full_clean()  # what the admin's forms and any ModelForm run

    assert error.value.error_dict["username"][0].code == "at_sign"


@pytest.mark.django_db
def test_createsuperuser_refuses_a_username_with_an_at_sign():
    with pytest.raises(CommandError, match="cannot contain @"):
        call_command("createsuperuser", username="root@example.com", email="", interactive=False)

    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_migration_renames_usernames_with_an_at_sign_deterministically(capsys):
    # Accounts made before the rule, written past the validators as old code could.
    ada = User.objects.create_user("ada@example.com", "ada@example.com")
    User.objects.create_user("bea-at-example.com", "bea@example.com")
    bea = User.objects.create_user("bea@example.com", "bea.two@example.com")
    cyd = User.objects.create_user("cyd", "cyd@example.com")

    RENAME_MIGRATION.rename_usernames_with_at_sign(apps, None)

    ada.refresh_from_db(), bea.refresh_from_db(), cyd.refresh_from_db()
    assert (ada.username, bea.username, cyd.username) == (
        "ada-at-example.com",
        "bea-at-example.com-2",
        "cyd",
    )
    assert not User.objects.filter(username__contains="@").exists()
    assert "'bea@example.com' is now 'bea-at-example.com-2'" in capsys.readouterr().out


def test_a_renamed_username_fits_the_field_with_its_number():
    taken = {"a" * 150}

    assert RENAME_MIGRATION.free_name("a" * 200, taken) == "a" * 148 + "-2"


def test_the_admins_add_user_page_refuses_a_username_with_an_at_sign(admin_client):
    password = "a-long-and-unusual-passphrase-42"
    data = {"username": "ada@example.com", "usable_password": "true"}

    response = admin_client.post(
        reverse("admin:accounts_user_add"), {**data, "password1": password, "password2": password}
    )

    assert response.status_code == 200
    assert "cannot contain @" in response.content.decode()
    assert not User.objects.filter(username="ada@example.com").exists()
