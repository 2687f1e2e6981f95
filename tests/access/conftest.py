import pytest
from django.core.cache import cache

from tests.access.sms_outbox import MemorySmsProvider


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Every accounts test: a recording SMS provider, an empty outbox and empty send counters."""
    settings.SMS_PROVIDER = "tests.access.sms_outbox.MemorySmsProvider"
    MemorySmsProvider.sent = []
    cache.clear()
    yield MemorySmsProvider.sent
    cache.clear()
