import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

User = get_user_model()


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
