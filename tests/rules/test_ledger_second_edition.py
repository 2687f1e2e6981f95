"""The ledger-driven pages give the command's verdicts under the second edition, with the rules of the
person's employer's division, and show review kinds and notices by name, never by internal code."""

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from rules.cards.explain import explain
from rules.eligibility import eligibility_check
from rules.engine import Review
from tests.factories import OrganisationFactory, division
from tests.rules.test_card_support import credit, flag, make_person, title_office_user
from tests.rules.test_eligibility_web import BATCH, upload

pytestmark = pytest.mark.django_db
XLGL_DAY = "2024-06-01"


@pytest.fixture
def xilingol_employer(db):
    return OrganisationFactory(name="锡林浩特市医院", kind="employer", division=division("152502"))


@pytest.fixture
def covered(xilingol_employer, chifeng_bureau, reviewer):
    """Public hours only in 2024, and the unit's professional plan filed for 2024."""
    person = make_person(name="其其格")
    person.employer_organisation = xilingol_employer
    person.save(update_fields=["employer_organisation"])
    credit(person, 2024, "public", 30, chifeng_bureau)
    flag(person, "unit_plan_filed", reviewer, year=2024)
    return person


def command_verdict(person, review: dict) -> dict:
    """The contract command's verdict for the same facts, as an outside office would send them."""
    persons = [{"key": "X", "birth_date": person.birth_date.isoformat(), "sex": person.sex,
                "flags": [{"code": f.code, "year": f.year} for f in person.flags.all()],
                "records": [{"year": e.year, "subject": e.subject, "hours": e.hours, "source": e.source}
                            for e in person.hour_entries.all()]}]
    return eligibility_check(payload={"review": review, "persons": persons})["results"][0]


def test_the_explanation_uses_the_employers_rules_and_agrees_with_the_command(covered):
    """Xilingol 2024 §七(二): "对其审验卡中的专业科目学时不作要求"."""
    found = explain(person=covered, review=Review("title_review", "junior", date=_day(XLGL_DAY)))
    expected = command_verdict(covered, {"kind": "title_review", "level": "junior", "date": XLGL_DAY,
                                         "region": "152502"})
    assert found.verdict.as_dict() == {**expected, "key": str(covered.pk)}
    assert (found.verdict.eligible, found.verdict.applied) == (True, ["unit_plan_filed"])
    assert found.notice.number == "锡人社办字〔2024〕11号"


def test_the_professional_page_names_the_notice_and_no_rule_set_code(client, covered):
    from tests.rules.test_card_support import professional_user

    user = professional_user("qiqige")
    covered.user = user
    covered.save(update_fields=["user"])
    client.force_login(user)
    with time_machine.travel("2024-06-01 10:00 +0800"):
        page = client.get(reverse("rules:my_eligibility")).content.decode()
    assert "《关于做好2024年全盟专业技术人员继续教育网络学习的通知》（锡人社办字〔2024〕11号）" in page
    assert "锡林郭勒盟人力资源和社会保障局" in page
    assert "xlgl-2024" not in page and "nmg-" not in page and "title_review" not in page


def test_the_verdict_page_takes_an_appraisal_without_a_level(client, region_bureau, chifeng_bureau):
    person = make_person()
    person.employer_organisation = OrganisationFactory(name="东胜区医院", kind="employer", division=division("150602"))
    person.save(update_fields=["employer_organisation"])
    credit(person, 2021, "public", 30, chifeng_bureau)
    client.force_login(title_office_user(region_bureau))
    url = reverse("rules:verdict_detail", args=[person.pk])
    page = client.get(url, {"kind": "annual_appraisal", "date": "2022-06-01"}).content.decode()
    assert "年度考核评优 · 审验日期 2022-06-01" in page
    assert "继续教育学时未达到要求" in page and "2021年" in page
    assert "鄂尔多斯市人力资源和社会保障局" in page and "eeds-2022" not in page


def test_the_batch_shows_kind_names_and_the_notice(client, region_bureau, covered):
    client.force_login(title_office_user(region_bureau))
    rows = [("其其格", covered.id_number, "职称评审", "初级", XLGL_DAY),
            ("其其格", covered.id_number, "事业单位奖励", None, XLGL_DAY)]
    page = client.post(BATCH, {"file": upload(rows)}, follow=True).content.decode()
    assert "职称评审（初级）" in page and "事业单位奖励（嘉奖及以上）" in page
    assert "关于做好2024年全盟专业技术人员继续教育网络学习的通知（锡人社办字〔2024〕11号）" in page
    assert "title_review" not in page.split("审验结果")[1].split("逐项说明")[0]
    sheet = load_workbook(io.BytesIO(client.get(reverse("rules:eligibility_batch_download")).content)).active
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["审验结论"] == "符合要求" and first["减免及折算"] == "所属单位专业科目培训方案已备案"
    assert first["依据通知"].endswith("（锡人社办字〔2024〕11号）")


def test_a_region_column_overrides_the_employer(client, region_bureau, covered):
    client.force_login(title_office_user(region_bureau))
    rows = [("其其格", covered.id_number, "职称评审", "初级", XLGL_DAY, "150400")]
    client.post(BATCH, {"file": upload(rows, header=("姓名", "身份证号码", "审验类型", "级别", "审验日期", "审验地区代码"))})
    sheet = load_workbook(io.BytesIO(client.get(reverse("rules:eligibility_batch_download")).content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["审验结论"] == "不符合要求"  # the unit-plan rule is Xilingol's only


def test_a_title_exam_in_the_ledger_counts_nothing_after_2017(chifeng_bureau):
    """2017 §三(三) converts title exams; no later notice names them: they must not count as hours."""
    person = make_person()
    credit(person, 2026, "public", 30, chifeng_bureau)
    credit(person, 2026, "professional", 30, chifeng_bureau)
    credit(person, 2026, "professional", 30, chifeng_bureau, source="title_exam")
    found = explain(person=person, review=Review("title_review", "junior", date=_day("2026-09-01")))
    assert (found.verdict.eligible, found.verdict.years[2026].professional) == (False, 30)


def _day(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(("year", "years"), [(2026, [2024, 2025, 2026]), (2019, [2016, 2017, 2018])])
def test_a_title_card_covers_the_window_of_the_rules_in_force(chifeng_bureau, reviewer, year, years):
    """2017 §三(一): "须近三年连续参加继续教育…" (the three years before, its audit closing on 31 May); 2026
    §一(三)1: "申报高、中级职称评审，需完成近三年公需科目和专业科目学习" — the card's years come from the rule set."""
    import datetime as dt

    from rules.cards import card_html, card_issue

    card = card_issue(person=make_person(), year=year, scope="title", actor=reviewer, today=dt.date(2026, 9, 1))
    assert card.years == years
    page = card_html(card, "https://example.test/v")
    assert "依据通知" in page and "nmg-" not in page
