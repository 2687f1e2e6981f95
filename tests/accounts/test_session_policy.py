"""Sessions end after 30 idle minutes; passwords follow the rules set in settings."""

from django.conf import settings
from django.contrib.auth.password_validation import get_default_password_validators


def test_the_session_cookie_lasts_30_minutes_and_is_renewed_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_passwords_need_at_least_10_characters():
    lengths = [v.min_length for v in get_default_password_validators() if hasattr(v, "min_length")]
    assert lengths == [10]
