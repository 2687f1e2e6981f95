"""Settings no notice sets (8 class hours a day, reversal after a violation) are each authority's own."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from filings import services
from rules.models import AuthoritySettings
from tests.filings.conftest import NOW, TEACHERS, plan_data

pytestmark = pytest.mark.django_db


def create(owner, **overrides):
    return services.plan_create(actor=owner, data=plan_data(**overrides), teachers=TEACHERS, now=NOW)


def test_the_daily_ceiling_is_the_authoritys_setting_and_says_so(owner, chifeng_bureau):
    """No notice sets a ceiling on class hours a day (issue 15 item 12): the default 8 is a setting."""
    start = NOW + dt.timedelta(days=30)
    data = {"starts_at": start, "ends_at": start + dt.timedelta(hours=8), "hours": 9}
    with pytest.raises(ValidationError) as exc:
        create(owner, **data)
    assert "赤峰市人社局的设置（非通知规定）每天最多 8 学时" in exc.value.message_dict["hours"][0]
    AuthoritySettings.objects.create(authority=chifeng_bureau, max_hours_per_day=10)
    assert create(owner, **data).hours == 9
    AuthoritySettings.objects.filter(authority=chifeng_bureau).update(max_hours_per_day=None)
    assert create(owner, **{**data, "hours": 40}).hours == 40


def test_no_rule_set_carries_a_revision_period():
    """Issue 15 item 12: "the 7-day revision period … keep them only as each authority's configurable setting"."""
    from rules.models import RuleSet

    assert RuleSet.objects.exists()
    assert [rs.code for rs in RuleSet.objects.all() if "revision_days" in rs.params] == []
    assert AuthoritySettings().revision_days == 7
