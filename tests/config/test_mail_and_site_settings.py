"""Mail and absolute links are configured from the environment."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import email_from_url


def test_it_reads_a_starttls_server_with_a_percent_encoded_password():
    settings = email_from_url("smtp+tls://jxjy%40nmg.gov.cn:p%2Fss%3Aword@smtp.nmg.gov.cn?timeout=10")
    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "smtp.nmg.gov.cn",
        "EMAIL_PORT": 587, "EMAIL_HOST_USER": "jxjy@nmg.gov.cn", "EMAIL_HOST_PASSWORD": "p/ss:word",
        "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 10,
    }


def test_implicit_tls_defaults_to_port_465_and_plain_smtp_to_25():
    assert email_from_url("smtps://mail.example.cn")["EMAIL_PORT"] == 465
    assert email_from_url("smtps://mail.example.cn")["EMAIL_USE_SSL"] is True
    assert email_from_url("smtp://mail.example.cn:2525")["EMAIL_PORT"] == 2525


@pytest.mark.parametrize("url", ["http://mail.example.cn", "smtp://", "smtp://mail.example.cn:abc"])
def test_it_refuses_what_it_cannot_read_naming_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_from_url(url)


def test_the_settings_take_email_url_and_site_url_from_the_environment(tmp_path):
    from django.conf import settings as django_settings

    env = {**os.environ, "EMAIL_URL": "smtps://bot:secret@smtp.example.cn", "SITE_URL": "https://jxjy.example.cn/",
           "VAR_DIR": str(tmp_path), "PYTHONPATH": str(django_settings.BASE_DIR)}
    code = ("import config.settings.base as b; "
            "print(b.EMAIL_BACKEND, b.EMAIL_HOST, b.EMAIL_PORT, b.EMAIL_USE_SSL, b.NOTIFICATIONS_SITE_URL)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.cn", "465", "True",
                           "https://jxjy.example.cn"]


def test_production_refuses_to_start_without_an_https_site_url(tmp_path):
    from django.conf import settings as django_settings

    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env.update(SECRET_KEY="x" * 60, DATABASE_URL="postgres://u@127.0.0.1/db", ALLOWED_HOSTS="jxjy.example.cn",
               VAR_DIR=str(tmp_path), PYTHONPATH=str(django_settings.BASE_DIR))
    result = subprocess.run([sys.executable, "-c", "import config.settings.production"], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SITE_URL must be set in production" in result.stderr

