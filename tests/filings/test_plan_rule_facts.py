"""Platforms, the supervising department's approval and the public-subject exam, where the rules say so."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import Role
from filings import services
from ledger.models import HourEntry
from reviews import certification
from tests.factories import OrganisationFactory, UserFactory, division
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.ledger.support import accepted_plan

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def create(owner, *, now=NOW, **overrides):
    return services.plan_create(actor=owner, data=plan_data(**overrides), teachers=TEACHERS, now=now)


@pytest.fixture
def xilingol():
    bureau = OrganisationFactory(name="锡林郭勒盟人社局", kind="hrss", division=division("152500"))
    base = OrganisationFactory(name="锡盟继续教育基地", kind="base_league", division=division("152502"))
    return (UserFactory(username="xlgl_clerk", role=Role.ORGANISER, organisation=base),
            UserFactory(username="xlgl_reviewer", role=Role.REVIEWER, organisation=bureau))


class TestPlatforms:
    def test_a_2026_online_plan_names_one_of_the_seven_platforms(self, owner, chifeng_bureau):
        """2026 §一(四)1: "…在自治区各级专业技术人员继续教育基地或以下网络培训平台参加培训的学时均可计入"."""
        with pytest.raises(ValidationError) as exc:
            create(owner, mode="online")
        assert "兴蒙E学专业技术人员继续教育网（xmex.nmgmsz.com）" in exc.value.message_dict["platform"][0]
        with pytest.raises(ValidationError) as exc:
            create(owner, mode="online", platform="www.example.com")
        assert "不在" in exc.value.message_dict["platform"][0]
        assert create(owner, mode="online", platform="xmex.nmgmsz.com").platform == "xmex.nmgmsz.com"

    def test_a_platform_named_in_the_place_is_recognised(self, owner, chifeng_bureau):
        plan = create(owner, mode="online", place="内蒙古人事人才服务网（nmg.chinahrt.cn）")
        assert plan.platform == "nmg.chinahrt.cn"

    def test_xilingol_splits_public_and_professional_platforms(self, xilingol):
        """Xilingol 2024 §四(二): "专业技术人员选择以下任一平台均可完成专业科目的学习。1.锡林郭勒盟专业技术人员专业课网络
        培训平台（xlgl.chinahrt.cn）…2.内蒙古专业技术人员继续教育在线学（nmg.chinahrt.com）"."""
        clerk, _ = xilingol
        when = dt.datetime(2024, 3, 1, 9, tzinfo=SHANGHAI)
        start = when + dt.timedelta(days=30)
        assert create(clerk, now=when, starts_at=start, mode="online", platform="xlgl.chinahrt.cn").pk
        with pytest.raises(ValidationError) as exc:
            create(clerk, now=when, starts_at=start, mode="online", platform="zj.nmgrcpx.com")
        assert "xlgl.chinahrt.cn" in exc.value.message_dict["platform"][0]
        assert create(clerk, now=when, starts_at=start, mode="online", subject="public",
                      platform="zj.nmgrcpx.com").pk

    def test_songshan_public_subjects_go_to_chifengs_platform(self, owner, chifeng_bureau):
        """Songshan 2025 §(二)1: "各有关单位专业技术人员登录赤峰市专业技术人员继续教育培训网（nmgcf.chinahrt.com）"."""
        when = dt.datetime(2025, 4, 1, 9, tzinfo=SHANGHAI)
        start = when + dt.timedelta(days=30)
        with pytest.raises(ValidationError):
            create(owner, now=when, starts_at=start, mode="online", subject="public", credit_year=2025)
        assert create(owner, now=when, starts_at=start, mode="online", subject="public", credit_year=2025,
                      platform="nmgcf.chinahrt.com").pk
        assert create(owner, now=when, starts_at=start, mode="online", subject="professional", credit_year=2025).pk

    def test_before_2024_no_platform_list_applies(self, owner, chifeng_bureau):
        when = dt.datetime(2023, 3, 1, 9, tzinfo=SHANGHAI)
        assert create(owner, now=when, starts_at=when + dt.timedelta(days=30), mode="online", credit_year=2023).pk


class TestDepartmentApproval:
    def test_self_organised_staff_training_needs_prior_approval_before_certification(self, owner, reviewer):
        """2026 §一(四)2: "事业单位自行组织的相应培训需经主管部门审核同意后开展"."""
        plan = accepted_plan(owner, reviewer, training_kind="staff_self_organised")
        with pytest.raises(ValidationError, match="主管部门审核同意"):
            certification.certify_hours(plan=plan, actor=reviewer)
        assert not HourEntry.objects.exists()

    def test_an_approval_dated_after_the_start_is_not_prior(self, owner, reviewer):
        start = NOW + dt.timedelta(days=30)
        with pytest.raises(ValidationError) as exc:
            create(owner, starts_at=start, training_kind="staff_self_organised", approval_reference="卫健委批复",
                   approval_date=(start + dt.timedelta(days=1)).date())
        assert "不晚于培训开始日" in exc.value.message_dict["approval_date"][0]

    def test_with_prior_approval_the_hours_are_certified(self, owner, reviewer):
        start = NOW + dt.timedelta(days=30)
        plan = accepted_plan(owner, reviewer, training_kind="staff_self_organised", starts_at=start,
                             approval_reference="卫健委〔2026〕3号", approval_date=NOW.date())
        assert len(certification.certify_hours(plan=plan, actor=reviewer)) == 3

    def test_association_training_needs_the_departments_consent(self, owner, reviewer):
        """2026 §一(四)3: "行业学会、行业协会组织的并经行业主管部门同意（认可）的相关专业培训、进修的学时可计入"."""
        plan = accepted_plan(owner, reviewer, training_kind="association")
        with pytest.raises(ValidationError, match="同意（认可）"):
            certification.certify_hours(plan=plan, actor=reviewer)


class TestPublicExam:
    def _accepted(self, xilingol):
        clerk, bureau_reviewer = xilingol
        when = dt.datetime(2024, 3, 1, 9, tzinfo=SHANGHAI)
        with time_machine.travel(when, tick=False):
            return accepted_plan(clerk, bureau_reviewer, now=when, subject="public", credit_year=2024,
                                 mode="online", platform="zj.nmgrcpx.com"), bureau_reviewer

    def test_public_hours_wait_for_the_exam_result(self, xilingol):
        """Xilingol 2024 §三(一): "公需科目实行网络培训，考试合格后取得相应学时"."""
        plan, bureau_reviewer = self._accepted(xilingol)
        with pytest.raises(ValidationError, match="未填写考试结果"):
            certification.certify_hours(plan=plan, actor=bureau_reviewer)
        rows = list(plan.roster.order_by("seq"))
        for row, passed in zip(rows, (True, False, True), strict=True):
            row.exam_passed = passed
            row.save(update_fields=["exam_passed"])
        certification.certify_hours(plan=plan, actor=bureau_reviewer)
        hours = dict(HourEntry.objects.filter(plan=plan).values_list("roster_entry__seq", "hours"))
        assert hours == {1: plan.hours, 2: 0, 3: plan.hours}

    def test_elsewhere_the_exam_result_is_optional(self, owner, reviewer):
        plan = accepted_plan(owner, reviewer, subject="public", mode="online", platform="nmg.chinahrt.com")
        assert len(certification.certify_hours(plan=plan, actor=reviewer)) == 3


class TestXilingolYearAndFees:
    WHEN = dt.datetime(2024, 1, 2, 9, tzinfo=SHANGHAI)

    def test_the_training_year_starts_on_15_january(self, xilingol):
        """Xilingol 2024 §二: "2024年继续教育培训时间从2024年1月15日，至12月31日截止"."""
        clerk, _ = xilingol
        with pytest.raises(ValidationError) as exc:
            create(clerk, now=self.WHEN, starts_at=dt.datetime(2024, 1, 14, 9, tzinfo=SHANGHAI), credit_year=2024)
        assert "1月15日" in exc.value.message_dict["credit_year"][0]
        assert create(clerk, now=self.WHEN, starts_at=dt.datetime(2024, 1, 15, 9, tzinfo=SHANGHAI),
                      credit_year=2024).pk

    def test_online_fees_are_capped_and_shown(self, xilingol, client):
        """Xilingol 2024 §八: "30个学时共75元；专业科目网络培训费参照公需科目收费标准，2.50元/学时"."""
        clerk, _ = xilingol
        start = dt.datetime(2024, 3, 1, 9, tzinfo=SHANGHAI)
        with pytest.raises(ValidationError) as exc:
            create(clerk, now=self.WHEN, starts_at=start, mode="online", platform="xlgl.chinahrt.cn", hours=24,
                   fee=61)
        assert "最多 60.00 元" in exc.value.message_dict["fee"][0]
        plan = create(clerk, now=self.WHEN, starts_at=start, ends_at=start + dt.timedelta(days=4), mode="online",
                      subject="public", platform="zj.nmgrcpx.com", hours=30, fee=75)
        client.force_login(clerk)
        from django.urls import reverse
        assert "每人最多 75.00 元" in client.get(reverse("filings:plan_detail", args=[plan.pk])).content.decode()

    def test_the_31_january_plan_deadline_is_only_a_reminder(self, xilingol):
        """Xilingol 2024 §七(二): "务于2024年1月31日前制定继续教育专业科目培训方案并向盟人力资源和社会保障局…报备" —
        the notice attaches no refusal to it."""
        clerk, _ = xilingol
        when = dt.datetime(2024, 3, 1, 9, tzinfo=SHANGHAI)
        plan = create(clerk, now=when, starts_at=when + dt.timedelta(days=30))
        assert services.plan_submit(plan=plan, actor=clerk, now=when).state == "submitted"
