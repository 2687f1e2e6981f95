import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int


def test_it_reads_a_postgres_url(tmp_path):
    db = database_from_url("postgres://u:p%40ss@db.local:5433/jxjy?sslmode=require", base_dir=tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == ("jxjy", "u", "p@ss", "db.local", "5433")
    assert db["OPTIONS"] == {"sslmode": "require", "options": "-c jit=off"}


def test_it_resolves_a_relative_sqlite_path_under_the_project(tmp_path):
    db = database_from_url("sqlite:///var/x.sqlite3", base_dir=tmp_path)
    assert db["NAME"] == str(tmp_path / "var/x.sqlite3")


def test_it_refuses_an_unknown_database_scheme(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://x/y", base_dir=tmp_path)


def test_it_refuses_a_bad_boolean_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)


def test_it_refuses_a_bad_integer(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_SECONDS", "half an hour")
    with pytest.raises(ImproperlyConfigured, match="SESSION_IDLE_SECONDS"):
        env_int("SESSION_IDLE_SECONDS", 1800)


def test_the_settings_speak_chinese_in_shanghai_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans"]
