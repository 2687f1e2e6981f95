"""Windows, annual minimums, conversions and rule-set choice."""

import pytest

from rules.engine import EligibilityInputError
from tests.rules.support import answer, full_year, verdict, years

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "code"),
    [("2019-06-01", "nmg-2017"), ("2021-12-31", "nmg-2017"), ("2022-01-01", "nmg-2022"),
     ("2023-09-01", "nmg-2022"), ("2024-05-01", "nmg-2024"), ("2025-05-01", "nmg-2025"), ("2026-09-01", "nmg-2026")],
)
def test_it_chooses_the_rule_set_by_review_date(day, code):
    assert answer({"date": day})["review"]["rules"] == code


def test_it_echoes_the_review_with_the_default_region():
    assert answer()["review"] == {
        "kind": "title_review", "level": "senior", "date": "2026-09-01", "region": "150000", "rules": "nmg-2026",
    }


def test_it_names_the_league_variant_for_a_league_region():
    result = answer({"date": "2024-05-01", "region": "152500"})
    assert result["review"]["rules"] == "xlgl-2024"
    assert result["results"][0]["required_years"] == [2022, 2023, 2024]


def test_it_refuses_an_unknown_region():
    with pytest.raises(EligibilityInputError) as exc:
        answer({"region": "159999"})
    assert (exc.value.key, exc.value.field_name) == ("review", "region")


def test_it_passes_senior_with_the_last_three_years_complete():
    result = verdict(records=years(2024, 2025, 2026))
    assert result["eligible"] is True
    assert result["required_years"] == [2024, 2025, 2026]
    assert result["years"]["2026"] == {
        "public": 30, "professional": 60, "complete": True, "public_missing": 0, "professional_missing": 0,
    }


def test_it_fails_senior_with_a_year_missing_and_says_what_is_missing():
    result = verdict(records=years(2024, 2026) + full_year(2025, professional=40))
    assert result["eligible"] is False
    assert result["years"]["2025"]["professional_missing"] == 20
    assert any("2025年度未完成" in reason for reason in result["reasons"])


@pytest.mark.parametrize(("public", "eligible"), [(29, False), (30, True)])
def test_it_needs_30_public_hours(public, eligible):
    result = verdict({"level": "junior"}, records=full_year(2026, public=public))
    assert result["eligible"] is eligible
    assert result["years"]["2026"]["public_missing"] == 30 - public


@pytest.mark.parametrize(("professional", "eligible"), [(59, False), (60, True)])
def test_it_needs_60_professional_hours(professional, eligible):
    assert verdict({"level": "junior"}, records=full_year(2026, professional=professional))["eligible"] is eligible


@pytest.mark.parametrize(("level", "required"), [
    ("senior", [2024, 2025, 2026]), ("intermediate", [2024, 2025, 2026]), ("junior", [2026]),
])
def test_title_review_windows(level, required):
    assert verdict({"level": level}, records=years(*required))["required_years"] == required


@pytest.mark.parametrize(("level", "required"), [("grade_10_up", [2022, 2023, 2024]), ("grade_11_down", [2024])])
def test_post_appointment_windows(level, required):
    result = verdict({"kind": "post_appointment", "level": level, "date": "2024-06-01"}, records=years(*required))
    assert (result["required_years"], result["eligible"]) == (required, True)


def test_junior_ignores_earlier_years():
    result = verdict({"level": "junior"}, records=full_year(2026) + full_year(2025, public=0))
    assert (result["eligible"], list(result["years"])) == (True, ["2026"])


@pytest.mark.parametrize(("minutes", "hours", "complete"), [(2700, 60, True), (2699, 59, False)])
def test_minutes_convert_at_45_per_hour_rounded_down(minutes, hours, complete):
    records = full_year(2026, professional=0)[:1] + [
        {"year": 2026, "subject": "professional", "minutes": minutes, "source": "seminar"}
    ]
    result = verdict({"level": "junior"}, records=records)
    assert result["years"]["2026"]["professional"] == hours
    assert result["eligible"] is complete


def test_minutes_are_rounded_down_per_record():
    records = full_year(2026, professional=0)[:1] + [
        {"year": 2026, "subject": "professional", "minutes": 1349, "source": "seminar"},
        {"year": 2026, "subject": "professional", "minutes": 1351, "source": "seminar"},
    ]
    assert verdict({"level": "junior"}, records=records)["years"]["2026"]["professional"] == 59


@pytest.mark.parametrize("source", ["qualification_exam", "research_project", "degree_course"])
def test_a_whole_year_source_meets_the_professional_requirement(source):
    records = full_year(2026, professional=0)[:1] + [{"year": 2026, "subject": "professional", "source": source}]
    result = verdict({"level": "junior"}, records=records)
    assert result["eligible"] is True
    assert result["years"]["2026"]["professional"] == 60
    assert result["applied"] == [source]


def test_a_whole_year_source_is_not_applied_when_the_hours_already_suffice():
    records = full_year(2026) + [{"year": 2026, "subject": "professional", "source": "qualification_exam"}]
    assert verdict({"level": "junior"}, records=records)["applied"] == []


def test_a_whole_year_source_does_not_meet_the_public_requirement():
    records = [{"year": 2026, "subject": "professional", "source": "qualification_exam"}]
    result = verdict({"level": "junior"}, records=records)
    assert (result["eligible"], result["years"]["2026"]["public_missing"]) == (False, 30)


class TestRules2017:
    """Reviews of 2018–2021: the three (junior two) years before the review year, attended, with a total."""

    def test_senior_window_is_the_three_years_before_the_review_year(self):
        result = verdict({"date": "2019-06-01"}, records=years(2016, 2017, 2018))
        assert result["required_years"] == [2016, 2017, 2018]
        assert result["eligible"] is True

    @pytest.mark.parametrize(("last_public", "eligible"), [(20, True), (19, False)])
    def test_senior_needs_170_hours_in_total(self, last_public, eligible):
        # 60 + 60 + (last_public + 30): 170 or 169
        records = full_year(2016, 30, 30) + full_year(2017, 30, 30) + full_year(2018, last_public, 30)
        result = verdict({"date": "2019-06-01"}, records=records)
        assert result["eligible"] is eligible

    def test_senior_needs_each_year_attended_in_both_subjects(self):
        records = years(2016, 2017) + full_year(2018, public=0, professional=90)
        result = verdict({"date": "2019-06-01"}, records=records)
        assert result["eligible"] is False
        assert result["years"]["2018"]["complete"] is False

    def test_the_review_years_hours_do_not_count(self):
        result = verdict({"date": "2019-06-01"}, records=years(2017, 2018, 2019))
        assert result["eligible"] is False

    @pytest.mark.parametrize(("professional", "eligible"), [(35, True), (34, False)])
    def test_junior_needs_the_two_years_before_and_130_hours(self, professional, eligible):
        records = full_year(2019, 30, 35) + full_year(2020, 30, professional)
        result = verdict({"level": "junior", "date": "2021-06-01"}, records=records)
        assert (result["required_years"], result["eligible"]) == ([2019, 2020], eligible)

    def test_a_qualification_exam_counts_30_professional_hours(self):
        records = full_year(2019, 30, 35) + [
            {"year": 2020, "subject": "public", "hours": 35, "source": "training"},
            {"year": 2020, "subject": "professional", "source": "qualification_exam"},
        ]
        result = verdict({"level": "junior", "date": "2021-06-01"}, records=records)
        assert result["years"]["2020"]["professional"] == 30
        assert result["eligible"] is True  # 65 + 65 = 130
        assert "qualification_exam" in result["applied"]

    def test_post_appointment_is_not_covered(self):
        with pytest.raises(EligibilityInputError) as exc:
            verdict({"kind": "post_appointment", "level": "grade_10_up", "date": "2019-06-01"})
        assert (exc.value.key, exc.value.field_name) == ("review", "kind")


class TestRecognition:
    @pytest.mark.parametrize(("level", "required"), [
        ("college", [2026]), ("bachelor", [2026]), ("master", [2025, 2026]), ("doctor", []),
    ])
    def test_windows_from_2022_on(self, level, required):
        result = verdict({"kind": "recognition", "level": level}, records=years(*required))
        assert (result["required_years"], result["eligible"]) == (required, True)

    def test_master_fails_without_the_year_before(self):
        result = verdict({"kind": "recognition", "level": "master", "date": "2023-06-01"}, records=years(2023))
        assert result["eligible"] is False

    def test_doctor_needs_nothing(self):
        assert verdict({"kind": "recognition", "level": "doctor"})["eligible"] is True

    @pytest.mark.parametrize(("professional", "eligible"), [(60, True), (59, False)])
    def test_2017_bachelor_needs_90_hours_in_the_year_before(self, professional, eligible):
        review = {"kind": "recognition", "level": "bachelor", "date": "2020-06-01"}
        result = verdict(review, records=full_year(2019, 30, professional))
        assert (result["required_years"], result["eligible"]) == ([2019], eligible)

    @pytest.mark.parametrize("level", ["college", "master"])
    @pytest.mark.parametrize(("last", "eligible"), [(35, True), (34, False)])
    def test_2017_college_and_master_need_two_years_and_130_hours(self, level, last, eligible):
        review = {"kind": "recognition", "level": level, "date": "2020-06-01"}
        result = verdict(review, records=full_year(2018, 30, 35) + full_year(2019, 30, last))
        assert (result["required_years"], result["eligible"]) == ([2018, 2019], eligible)


def test_it_names_the_county_variant_for_a_county_region():
    assert answer({"date": "2025-05-01", "region": "150404"})["review"]["rules"] == "ssq-2025"


def test_the_rule_set_is_fetched_once_per_batch(django_assert_max_num_queries):
    from rules.eligibility import eligibility_check
    from tests.rules.support import payload

    data = payload(records=years(2024, 2025, 2026))
    data["persons"] = [{**data["persons"][0], "key": f"P-{n}"} for n in range(20)]
    with django_assert_max_num_queries(2):
        result = eligibility_check(payload=data)
    assert len(result["results"]) == 20


def test_the_engine_runs_without_the_database(django_assert_num_queries):
    from datetime import date

    from rules.engine import PersonInput, Review, evaluate
    from rules.selectors import policy_for
    from tests.factories import division

    policy = policy_for(division=division("150000"), on=date(2026, 9, 1))
    person = PersonInput(key="X", birth_date=date(1985, 3, 15), sex="M")
    with django_assert_num_queries(0):
        result = evaluate(review=Review("title_review", "junior", date(2026, 9, 1)), person=person,
                          params=policy.params, rules_code=policy.code)
    assert (result.eligible, result.required_years) == (False, [2026])
