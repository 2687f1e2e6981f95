"""Malformed input names the person and the field."""

import pytest

from rules.eligibility import eligibility_check
from rules.engine import EligibilityInputError
from tests.rules.support import payload, verdict

pytestmark = pytest.mark.django_db

RECORD = {"year": 2026, "subject": "public", "hours": 30, "source": "training"}


def error_of(review=None, **person) -> tuple[str, str]:
    with pytest.raises(EligibilityInputError) as exc:
        eligibility_check(payload=payload(review, **person))
    return exc.value.key, exc.value.field_name


@pytest.mark.parametrize(("person", "field"), [
    ({"id_number": "150102198503150018"}, "id_number"),               # check digit
    ({"id_number": "150102198503150017", "birth_date": "1985-03-16"}, "birth_date"),
    ({"id_number": "150102198503150017", "sex": "F"}, "sex"),
    ({"birth_date": None}, "birth_date"),
    ({"sex": None}, "sex"),
    ({"sex": "男"}, "sex"),
    ({"birth_date": "1985-02-30"}, "birth_date"),
    ({"flags": [{"code": "vip"}]}, "flags[0].code"),
    ({"flags": [{"year": 2025}]}, "flags[0].code"),
    ({"post_start_year": "2020年"}, "post_start_year"),
    ({"records": [{**RECORD, "subject": "other"}]}, "records[0].subject"),
    ({"records": [{**RECORD, "source": "unknown"}]}, "records[0].source"),
    ({"records": [RECORD, {**RECORD, "year": None}]}, "records[1].year"),
    ({"records": [{"year": 2026, "subject": "public", "source": "training"}]}, "records[0].hours"),
    ({"records": [{**RECORD, "minutes": 100}]}, "records[0].hours"),
    ({"records": [{**RECORD, "hours": -1}]}, "records[0].hours"),
    ({"records": [{**RECORD, "source": "seminar"}]}, "records[0].subject"),
])
def test_it_names_the_person_and_field(person, field):
    assert error_of(**person) == ("P-1", field)


@pytest.mark.parametrize(("review", "field"), [
    ({"kind": "promotion"}, "kind"), ({"level": "grade_10_up"}, "level"), ({"date": "2026/09/01"}, "date"),
    ({"date": None}, "date"), ({"region": "15"}, "region"),
])
def test_it_names_the_review_field(review, field):
    assert error_of(review) == ("review", field)


def test_a_person_without_key_is_named_by_position():
    assert error_of(key=None) == ("persons[0]", "key")


def test_duplicate_keys_are_malformed():
    data = payload()
    data["persons"].append(dict(data["persons"][0]))
    with pytest.raises(EligibilityInputError) as exc:
        eligibility_check(payload=data)
    assert (exc.value.key, exc.value.field_name) == ("P-1", "key")


def test_the_message_names_key_and_field_in_chinese():
    with pytest.raises(EligibilityInputError, match=r"P-1：字段 id_number：身份证号码校验码不符"):
        eligibility_check(payload=payload(id_number="150102198503150018"))


def test_agreeing_id_number_and_birth_date_are_accepted():
    result = verdict(id_number="150102198503150017", birth_date="1985-03-15", sex="M")
    assert result["key"] == "P-1"
