"""Age reductions and the flags, each on both sides of its boundary."""

import pytest

from rules.engine import EligibilityInputError
from tests.rules.support import full_year, verdict, years

pytestmark = pytest.mark.django_db


class TestAge:
    @pytest.mark.parametrize(("birth", "applied"), [
        ("1971-08-31", ["age_full"]),     # 55th birthday the day before the review
        ("1971-09-01", ["age_full"]),     # on the review day
        ("1971-09-02", ["age_partial"]),  # the day after: 54
    ])
    def test_men_are_exempt_from_their_55th_birthday(self, birth, applied):
        result = verdict(birth_date=birth, sex="M")
        assert result["applied"] == applied
        assert result["eligible"] is (applied == ["age_full"])

    @pytest.mark.parametrize(("birth", "eligible"), [("1976-09-01", True), ("1976-09-02", False)])
    def test_women_are_exempt_from_their_50th_birthday(self, birth, eligible):
        result = verdict(birth_date=birth, sex="F")
        assert result["eligible"] is eligible
        if eligible:
            assert (result["required_years"], result["years"]) == ([], {})

    def test_full_age_reason_is_in_chinese(self):
        result = verdict(birth_date="1971-09-01", sex="M")
        assert any("男满55周岁" in reason for reason in result["reasons"])

    def test_the_age_comes_from_the_id_number(self):
        assert verdict(id_number="150102197109010011", birth_date=None, sex=None)["applied"] == ["age_full"]

    @pytest.mark.parametrize(("birth", "sex", "applied"), [
        ("1976-09-01", "M", ["age_partial"]), ("1976-09-02", "M", []),
        ("1981-09-01", "F", ["age_partial"]), ("1981-09-02", "F", []),
    ])
    def test_partial_age_thresholds(self, birth, sex, applied):
        assert verdict(birth_date=birth, sex=sex, records=years(2025))["applied"] == applied

    @pytest.mark.parametrize(("records", "eligible"), [(years(2025), True), (full_year(2025, public=29), False)])
    def test_partial_age_from_2024_needs_one_complete_year(self, records, eligible):
        result = verdict(birth_date="1975-01-01", sex="M", records=records)
        assert (result["required_years"], result["eligible"]) == ([2024, 2025, 2026], eligible)

    @pytest.mark.parametrize(("public", "eligible"), [(30, True), (29, False)])
    def test_partial_age_in_2022_set_needs_a_third_of_270_hours(self, public, eligible):
        records = [
            {"year": 2021, "subject": "public", "hours": public, "source": "training"},
            {"year": 2023, "subject": "professional", "hours": 60, "source": "training"},
        ]
        result = verdict({"date": "2023-06-01"}, birth_date="1970-01-01", sex="M", records=records)
        assert (result["applied"], result["eligible"]) == (["age_partial"], eligible)

    @pytest.mark.parametrize(("public", "eligible"), [(27, True), (26, False)])
    def test_partial_age_in_2017_set_needs_a_third_of_170_rounded_up(self, public, eligible):
        # 1/3 of 170 is 56.67: 57 hours pass, 56 fail; one year is enough, no attendance each year
        records = full_year(2018, public, 30)
        result = verdict({"date": "2019-06-01"}, birth_date="1965-01-01", sex="M", records=records)
        assert (result["applied"], result["eligible"]) == (["age_partial"], eligible)


class TestTransfer:
    def test_a_transfer_in_the_review_year_requires_nothing(self):
        result = verdict(flags=[{"code": "transferred_from_organ", "year": 2026}])
        assert (result["eligible"], result["required_years"], result["applied"]) == (
            True, [], ["transferred_from_organ"],
        )

    @pytest.mark.parametrize(("year", "required"), [(2025, [2026]), (2024, [2025, 2026]), (2023, [2024, 2025, 2026])])
    def test_an_earlier_transfer_requires_the_years_after_it(self, year, required):
        result = verdict(flags=[{"code": "transferred_from_organ", "year": year}], records=years(*required))
        assert (result["required_years"], result["eligible"]) == (required, True)
        assert ("transferred_from_organ" in result["applied"]) is (len(required) < 3)

    def test_a_transfer_after_the_review_year_is_malformed(self):
        with pytest.raises(EligibilityInputError) as exc:
            verdict(flags=[{"code": "transferred_from_organ", "year": 2027}])
        assert (exc.value.key, exc.value.field_name) == ("P-1", "flags[0].year")

    def test_the_2017_set_has_no_transfer_rule(self):
        result = verdict({"date": "2019-06-01"}, flags=[{"code": "transferred_from_organ", "year": 2019}])
        assert (result["eligible"], result["applied"]) == (False, [])


class TestExceptionalPromotion:
    def test_only_the_years_in_post_are_required(self):
        flags = [{"code": "exceptional_promotion"}]
        result = verdict(flags=flags, post_start_year=2025, records=years(2025, 2026))
        assert (result["required_years"], result["eligible"]) == ([2025, 2026], True)
        assert result["applied"] == ["exceptional_promotion"]

    def test_a_post_before_the_window_changes_nothing(self):
        result = verdict(flags=[{"code": "exceptional_promotion"}], post_start_year=2020, records=years(2025, 2026))
        assert (result["required_years"], result["eligible"], result["applied"]) == ([2024, 2025, 2026], False, [])

    def test_it_needs_post_start_year(self):
        with pytest.raises(EligibilityInputError) as exc:
            verdict(flags=[{"code": "exceptional_promotion"}])
        assert (exc.value.key, exc.value.field_name) == ("P-1", "post_start_year")

    def test_the_2022_set_has_no_exceptional_promotion_rule(self):
        result = verdict({"date": "2023-06-01"}, flags=[{"code": "exceptional_promotion"}], post_start_year=2023,
                         records=years(2023))
        assert (result["required_years"], result["eligible"]) == ([2021, 2022, 2023], False)


class TestReferenceOnly:
    @pytest.mark.parametrize(("code", "day"), [
        ("non_public", "2026-09-01"), ("grassroots", "2026-09-01"), ("non_public", "2022-06-01"),
        ("grassroots", "2024-06-01"), ("left_to_start_business", "2026-09-01"),
    ])
    def test_hours_are_a_reference_factor(self, code, day):
        result = verdict({"date": day}, flags=[{"code": code}], records=full_year(int(day[:4]), public=10))
        assert (result["eligible"], result["required_years"], result["applied"]) == (True, [], [code])
        assert any("参考因素" in reason for reason in result["reasons"])
        assert result["years"][day[:4]]["public"] == 10  # shown for reference

    def test_leaving_to_start_a_business_is_not_a_reduction_before_2026(self):
        result = verdict({"date": "2025-09-01"}, flags=[{"code": "left_to_start_business"}])
        assert (result["eligible"], result["applied"]) == (False, [])

    def test_the_2017_set_has_no_non_public_rule(self):
        assert verdict({"date": "2019-06-01"}, flags=[{"code": "non_public"}])["eligible"] is False


class TestPostdoc:
    def test_a_senior_title_requires_nothing(self):
        result = verdict({"date": "2024-06-01"}, flags=[{"code": "postdoc_retained"}])
        assert (result["eligible"], result["applied"]) == (True, ["postdoc_retained"])

    def test_an_intermediate_title_is_not_reduced(self):
        result = verdict({"level": "intermediate"}, flags=[{"code": "postdoc_retained"}])
        assert (result["eligible"], result["applied"]) == (False, [])

    def test_the_2022_set_has_no_postdoc_rule(self):
        assert verdict({"date": "2023-06-01"}, flags=[{"code": "postdoc_retained"}])["eligible"] is False


class TestEpidemic:
    def test_from_2024_the_epidemic_year_leaves_the_window(self):
        flags = [{"code": "epidemic_frontline", "year": 2023}]
        result = verdict({"date": "2024-06-01"}, flags=flags, records=years(2022, 2024))
        assert (result["required_years"], result["eligible"]) == ([2022, 2024], True)
        assert result["applied"] == ["epidemic_frontline"]

    def test_from_2024_an_epidemic_year_outside_the_window_changes_nothing(self):
        flags = [{"code": "epidemic_frontline", "year": 2020}]
        result = verdict({"date": "2024-06-01"}, flags=flags, records=years(2022, 2024))
        assert (result["eligible"], result["applied"]) == (False, [])

    def test_from_2024_the_year_is_required(self):
        with pytest.raises(EligibilityInputError) as exc:
            verdict({"date": "2024-06-01"}, flags=[{"code": "epidemic_frontline"}])
        assert exc.value.field_name == "flags[0].year"

    def test_in_the_2022_set_nothing_is_required(self):
        result = verdict({"date": "2023-06-01"}, flags=[{"code": "epidemic_frontline", "year": 2022}])
        assert (result["eligible"], result["required_years"], result["applied"]) == (
            True, [], ["epidemic_frontline"],
        )
