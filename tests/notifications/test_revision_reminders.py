import time_machine

from filings import services as filings
from tests.notifications.conftest import NOW, at, told


def _return(plan, reviewer):
    with time_machine.travel(NOW, tick=False):
        return filings.plan_decide(plan=plan, actor=reviewer, decision="return", reason="请补充师资信息")


def test_a_returned_plan_awaits_the_organisers_revision(submitted, owner, reviewer, sweep_at):
    _return(submitted, reviewer)  # returned 1 March: revise by the end of 8 March
    sweep_at(at(3, 4))
    assert told(owner) == []
    sweep_at(at(3, 5))
    assert len(told(owner)) == 1 and "已退回" in told(owner)[0] and "还有3天" in told(owner)[0]
    assert told(reviewer) == []


def test_a_plan_returned_twice_gets_a_fresh_series(submitted, owner, reviewer, sweep_at):
    _return(submitted, reviewer)
    sweep_at(at(3, 5))
    with time_machine.travel(at(3, 6), tick=False):
        filings.plan_submit(plan=submitted, actor=owner, now=at(3, 6))
        filings.plan_decide(plan=submitted, actor=reviewer, decision="return", reason="仍需修改")
    sweep_at(at(3, 10))  # second return 6 March: due 13 March, step −3 on 10 March
    assert len([t for t in told(owner) if "已退回" in t]) == 2


def test_an_edit_of_the_returned_plan_does_not_move_its_deadline(submitted, owner, reviewer, sweep_at):
    from tests.filings.conftest import TEACHERS, plan_data

    _return(submitted, reviewer)  # returned 1 March: revise by the end of 8 March
    with time_machine.travel(at(3, 4), tick=False):
        filings.plan_update(plan=submitted, actor=owner, data=plan_data(title="修改中"), teachers=TEACHERS,
                            now=at(3, 4))
    sweep_at(at(3, 5))
    assert len(told(owner)) == 1 and "还有3天" in told(owner)[0]


def test_the_revision_period_is_the_authoritys_setting_and_says_so(submitted, owner, reviewer, chifeng_bureau,
                                                                    sweep_at):
    """Issue 15 item 12: no notice sets a period for revising a returned plan; it is each authority's setting,
    shown as such."""
    from rules.models import AuthoritySettings

    AuthoritySettings.objects.create(authority=chifeng_bureau, revision_days=10)
    _return(submitted, reviewer)  # returned 1 March: revise by the end of 11 March
    sweep_at(at(3, 5))
    assert told(owner) == []
    sweep_at(at(3, 8))
    assert len(told(owner)) == 1 and "还有3天" in told(owner)[0]
    from notifications.models import Notification

    body = Notification.objects.get(user=owner, title=told(owner)[0]).body
    assert "修改期限：退回后10天（赤峰市人社局的设置，非通知规定）" in body


def test_the_plan_page_says_by_when_and_whose_setting_the_period_is(submitted, owner, reviewer, chifeng_bureau,
                                                                     client):
    """Issue 15 item 12: the revision period is shown as the authority's setting, not as a rule."""
    from rules.models import AuthoritySettings

    AuthoritySettings.objects.create(authority=chifeng_bureau, revision_days=10)
    _return(submitted, reviewer)
    client.force_login(owner)
    page = client.get(f"/plans/{submitted.pk}/").content.decode()
    assert "请于2026年3月11日前按审核意见修改后重新提交。修改期限：退回后10天（赤峰市人社局的设置，非通知规定）。" in page
