import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Account tests hash many passwords; the real hasher is tested by Django itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
