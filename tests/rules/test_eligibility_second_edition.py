"""The contract's second edition: appraisal and commendation, reductions by the kinds their notices
name, Xilingol's unit plans and post-doctoral recognition, title exams, and the notice in each result."""

import pytest

from rules.engine import EligibilityInputError
from tests.rules.support import answer, full_year, verdict, years

pytestmark = pytest.mark.django_db

ORDOS = {"region": "150600", "date": "2022-06-01"}


class TestOrdosPreviousYear:
    @pytest.mark.parametrize("kind", ["annual_appraisal", "commendation"])
    @pytest.mark.parametrize(("records", "eligible"), [(years(2021), True), (full_year(2021, professional=59), False)])
    def test_appraisal_and_commendation_need_the_previous_year(self, kind, records, eligible):
        """Ordos 2022 §二: "参加 2022 年度考核评优及聘任专业技术职务的专业技术人员，须完成上一年度继续教育公共课和
        专业课学习，如未按要求完成学习任务，当年年度考核不予评优，事业单位奖励不予定为嘉奖及以上奖励"."""
        result = verdict({"kind": kind, "level": None, **ORDOS}, records=records + years(2022))
        assert (result["required_years"], result["eligible"]) == ([2021], eligible)

    @pytest.mark.parametrize("level", ["grade_10_up", "grade_11_down"])
    def test_post_appointment_at_any_grade_needs_the_previous_year_alone(self, level):
        """Ordos 2022 §二: "…不能参加当年岗位聘用"."""
        result = verdict({"kind": "post_appointment", "level": level, **ORDOS}, records=years(2021))
        assert (result["required_years"], result["eligible"]) == ([2021], True)
        assert verdict({"kind": "post_appointment", "level": level, **ORDOS}, records=years(2022))["eligible"] is False

    @pytest.mark.parametrize("region", ["150602", "150627", "150699"])
    def test_every_code_beginning_1506_is_ordos(self, region):
        result = verdict({"kind": "annual_appraisal", "level": None, "region": region, "date": "2022-06-01"})
        assert (result["required_years"], result["eligible"]) == ([2021], False)

    def test_the_rule_set_is_ordos_and_the_notice_is_cited(self):
        result = answer({"kind": "commendation", "level": None, **ORDOS})
        assert result["review"]["rules"] == "eeds-2022"
        assert result["review"]["level"] is None
        assert "鄂尔多斯市人力资源和社会保障局" in result["results"][0]["notice"]

    def test_the_age_rules_do_not_reach_the_appraisal(self):
        """Ordos 2022, attached notice §三(一): the age rule is for "参加职称评审时" only."""
        result = verdict({"kind": "annual_appraisal", "level": None, **ORDOS}, birth_date="1960-01-01")
        assert (result["eligible"], result["applied"]) == (False, [])

    def test_2023_in_ordos_sets_no_requirement(self):
        result = verdict({"kind": "annual_appraisal", "level": None, "region": "150600", "date": "2023-06-01"})
        assert (result["eligible"], result["required_years"], result["years"]) == (True, [], {})

    def test_title_review_in_ordos_2022_keeps_the_three_years(self):
        result = verdict({"level": "senior", **ORDOS}, records=years(2021))
        assert (result["required_years"], result["eligible"]) == ([2020, 2021, 2022], False)


class TestNoNoticeSetsOne:
    @pytest.mark.parametrize("kind", ["annual_appraisal", "commendation"])
    @pytest.mark.parametrize(("date", "region"), [("2026-09-01", None), ("2024-06-01", "152500"),
                                                  ("2019-06-01", None), ("2022-06-01", "150400")])
    def test_appraisal_and_commendation_are_eligible_elsewhere(self, kind, date, region):
        review = {"kind": kind, "level": None, "date": date, **({"region": region} if region else {})}
        result = verdict(review)
        assert (result["eligible"], result["required_years"], result["years"], result["applied"]) == (True, [], {}, [])
        assert any("没有生效的通知" in reason for reason in result["reasons"])

    def test_a_level_given_for_the_appraisal_is_malformed(self):
        with pytest.raises(EligibilityInputError) as exc:
            verdict({"kind": "annual_appraisal", "level": "senior"})
        assert (exc.value.key, exc.value.field_name) == ("review", "level")


class TestReductionsByKind:
    @pytest.mark.parametrize(("kind", "level"), [("post_appointment", "grade_10_up"), ("recognition", "college")])
    def test_age_reductions_are_for_title_review_only(self, kind, level):
        """2026 §一(五)1: "男满55周岁、女满50周岁的专业技术人员参加职称评审时，继续教育学时不作为限制性条件"."""
        result = verdict({"kind": kind, "level": level}, birth_date="1960-01-01")
        assert (result["eligible"], result["applied"]) == (False, [])
        assert verdict({"kind": "title_review", "level": "senior"}, birth_date="1960-01-01")["eligible"] is True

    @pytest.mark.parametrize("code", ["non_public", "grassroots", "left_to_start_business"])
    def test_reference_only_flags_are_for_title_review_only(self, code):
        """2026 §一(五)2: "在参加2026年度职称评审时，继续教育学时不作为限制性条件"."""
        result = verdict({"kind": "post_appointment", "level": "grade_11_down"}, flags=[{"code": code}])
        assert (result["eligible"], result["applied"]) == (False, [])
        assert any("只适用于职称评审" in reason for reason in result["reasons"])

    def test_xilingol_age_rules_reach_post_appointment(self):
        """Xilingol 2024 §六(一): "男满55周岁、女满50周岁的专业技术人员参加职称评聘时，不要求继续教育学时"."""
        review = {"kind": "post_appointment", "level": "grade_10_up", "date": "2024-06-01", "region": "152502"}
        assert verdict(review, birth_date="1960-01-01")["applied"] == ["age_full"]
        partial = verdict(review, birth_date="1972-01-01", records=years(2023))
        assert (partial["applied"], partial["eligible"]) == (["age_partial"], True)
        assert verdict({**review, "region": "150400"}, birth_date="1960-01-01")["eligible"] is False

    def test_xilingol_age_rules_do_not_reach_recognition(self):
        review = {"kind": "recognition", "level": "bachelor", "date": "2024-06-01", "region": "152500"}
        assert verdict(review, birth_date="1960-01-01")["eligible"] is False


class TestXilingolPostdoc:
    @pytest.mark.parametrize("level", ["college", "bachelor", "master", "doctor"])
    def test_postdoc_is_exempt_for_recognition_at_every_level(self, level):
        """Xilingol 2024 §六(三): "出站后留在自治区工作的专业技术人员，申请考核认定高级职称时，不要求继续教育学时"."""
        review = {"kind": "recognition", "level": level, "date": "2024-06-01", "region": "152500"}
        result = verdict(review, flags=[{"code": "postdoc_retained"}])
        assert (result["eligible"], result["applied"]) == (True, ["postdoc_retained"])

    def test_postdoc_is_not_exempt_for_title_review_in_xilingol(self):
        review = {"kind": "title_review", "level": "senior", "date": "2024-06-01", "region": "152500"}
        result = verdict(review, flags=[{"code": "postdoc_retained"}])
        assert (result["eligible"], result["applied"]) == (False, [])

    def test_elsewhere_postdoc_stays_with_senior_title_review(self):
        review = {"kind": "recognition", "level": "master", "date": "2024-06-01"}
        assert verdict(review, flags=[{"code": "postdoc_retained"}])["eligible"] is False
        assert verdict({"date": "2024-06-01"}, flags=[{"code": "postdoc_retained"}])["eligible"] is True


class TestUnitPlanFiled:
    XLGL = {"date": "2024-06-01", "region": "152500"}

    @pytest.mark.parametrize(("kind", "level"), [
        ("title_review", "junior"), ("post_appointment", "grade_11_down"), ("recognition", "bachelor"),
    ])
    def test_it_meets_the_years_professional_requirement_for_every_kind(self, kind, level):
        """Xilingol 2024 §七(二): "所属于已备案培训方案的旗县、盟直主管部门专业技术人员，可折合专业科目培训学时，
        对其审验卡中的专业科目学时不作要求"."""
        records = [{"year": 2024, "subject": "public", "hours": 30, "source": "training"}]
        flags = [{"code": "unit_plan_filed", "year": 2024}]
        result = verdict({"kind": kind, "level": level, **self.XLGL}, flags=flags, records=records)
        assert (result["eligible"], result["applied"]) == (True, ["unit_plan_filed"])
        assert result["years"]["2024"]["professional_missing"] == 0
        assert verdict({"kind": kind, "level": level, **self.XLGL}, records=records)["eligible"] is False

    def test_it_does_not_meet_the_public_requirement(self):
        result = verdict({"level": "junior", **self.XLGL}, flags=[{"code": "unit_plan_filed", "year": 2024}])
        assert result["eligible"] is False
        assert result["years"]["2024"]["public_missing"] == 30

    def test_it_counts_only_for_its_year(self):
        flags = [{"code": "unit_plan_filed", "year": 2023}]
        records = full_year(2024, professional=0)
        assert verdict({"level": "junior", **self.XLGL}, flags=flags, records=records)["eligible"] is False

    def test_it_needs_a_year(self):
        with pytest.raises(EligibilityInputError) as exc:
            verdict({"level": "junior", **self.XLGL}, flags=[{"code": "unit_plan_filed"}])
        assert exc.value.field_name == "flags[0].year"

    def test_outside_xilingol_it_is_not_a_rule(self):
        records = full_year(2024, professional=0)
        result = verdict({"level": "junior", "date": "2024-06-01"}, flags=[{"code": "unit_plan_filed", "year": 2024}],
                         records=records)
        assert (result["eligible"], result["applied"]) == (False, [])


class TestTitleExam:
    def test_2017_counts_30_professional_hours(self):
        """2017 §三(三): "参加职称外语、计算机考试成绩合格的，视同完成取得成绩年度专业科目 30 个学时"."""
        records = [*full_year(2018, 30, 0), {"year": 2018, "subject": "professional", "source": "title_exam"}]
        result = verdict({"level": "junior", "date": "2019-06-01"}, records=records)
        assert result["years"]["2018"]["professional"] == 30
        assert "title_exam" in result["applied"]

    def test_later_sets_count_nothing(self):
        records = [*full_year(2026, 30, 0), {"year": 2026, "subject": "professional", "source": "title_exam"}]
        result = verdict({"level": "junior"}, records=records)
        assert (result["eligible"], result["years"]["2026"]["professional"]) == (False, 0)
        assert any("职称外语、计算机考试" in reason and "不计入" in reason for reason in result["reasons"])

    def test_it_is_professional_only(self):
        with pytest.raises(EligibilityInputError) as exc:
            verdict(records=[{"year": 2026, "subject": "public", "source": "title_exam"}])
        assert exc.value.field_name == "records[0].subject"


class TestNotice:
    @pytest.mark.parametrize(("review", "expected"), [
        ({"date": "2024-06-01", "region": "152500"}, "关于做好2024年全盟专业技术人员继续教育网络学习的通知（锡人社办字〔2024〕11号）"),
        ({"date": "2026-09-01"}, "内蒙古自治区人力资源和社会保障厅关于做好2026年全区专业技术人员继续教育工作的通知"),
        ({"date": "2019-06-01"}, "内蒙古自治区2017年专业技术人员继续教育工作安排意见"),
        ({"date": "2023-06-01"}, "关于做好全区2022年专业技术人员继续教育工作的通知"),
    ])
    def test_each_result_names_its_notice_and_only_xilingol_a_document_number(self, review, expected):
        result = verdict(review)
        assert result["notice"] == expected
        assert ("号" in result["notice"]) is (review.get("region") == "152500")
        assert all("nmg-" not in reason for reason in result["reasons"])

    def test_erenhot_is_xilingol_by_its_code(self):
        assert answer({"date": "2024-06-01", "region": "152501"})["review"]["rules"] == "xlgl-2024"

    def test_the_default_region_is_echoed(self):
        assert answer()["review"]["region"] == "150000"


def test_the_command_takes_an_appraisal_without_a_level(tmp_path):
    import io
    import json

    from django.core.management import call_command

    from tests.rules.support import payload

    data = payload({"kind": "annual_appraisal", **ORDOS}, records=years(2021))
    del data["review"]["level"]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("eligibility", "--input", str(source), stdout=out)
    result = json.loads(out.getvalue())
    assert result["review"] == {"kind": "annual_appraisal", "level": None, "date": "2022-06-01", "region": "150600",
                                "rules": "eeds-2022"}
    assert (result["results"][0]["eligible"], result["results"][0]["required_years"]) == (True, [2021])
