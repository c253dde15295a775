import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import email_settings


def test_without_email_url_mail_goes_to_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)

    assert email_settings("") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_an_smtp_url_configures_smtp_with_tls():
    assert email_settings("smtp://mailer:p%40ss@mail.example.com:587?tls=1") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_an_smtps_url_uses_ssl_on_port_465():
    config = email_settings("smtps://mail.example.com")

    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )


def test_another_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured):
        email_settings("http://mail.example.com")
