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


def test_no_policy_code_or_number_is_a_literal_in_the_rules_or_the_ledger():
    """Issue 15 item 10: "`TITLE_WINDOW = 3` … and `150000` in two places: rule-set data." The region is the
    top of the jurisdiction tree (rules.eligibility.root_division), the title window the rule set's."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [p for app in ("rules", "ledger") for p in (root / app).rglob("*.py") if "migrations" not in p.parts]
    assert sources
    assert [str(p.relative_to(root)) for p in sources
            if '"150000"' in p.read_text(encoding="utf-8") or "TITLE_WINDOW" in p.read_text(encoding="utf-8")] == []
