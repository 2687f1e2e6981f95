"""Builders for eligibility payloads: one person, defaults that no rule reduces."""

from rules.eligibility import eligibility_check


def full_year(year: int, public: int = 30, professional: int = 60) -> list[dict]:
    return [
        {"year": year, "subject": "public", "hours": public, "source": "training"},
        {"year": year, "subject": "professional", "hours": professional, "source": "training"},
    ]


def years(*numbers: int) -> list[dict]:
    return [record for year in numbers for record in full_year(year)]


def payload(review: dict | None = None, **person) -> dict:
    base_review = {"kind": "title_review", "level": "senior", "date": "2026-09-01"}
    base_person = {"key": "P-1", "birth_date": "1985-03-15", "sex": "M", "flags": [], "records": []}
    return {"review": {**base_review, **(review or {})}, "persons": [{**base_person, **person}]}


def answer(review: dict | None = None, **person) -> dict:
    return eligibility_check(payload=payload(review, **person))


def verdict(review: dict | None = None, **person) -> dict:
    return answer(review, **person)["results"][0]
