"""Helpers for credit applications and circumstance records: a hospital with its HR, a doctor with an
account, and evidence files."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import Role
from ledger import services as ledger_services
from ledger.services.applications import CircumstanceData, CreditData
from tests.factories import OrganisationFactory, UserFactory, division
from tests.ledger.support import PNG, id_number

TODAY = dt.date(2026, 9, 1)
NOW = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def employer(name: str = "松山区医院", code: str = "150404"):
    return OrganisationFactory(name=name, kind="employer", division=division(code))


def hr_user(organisation, username: str = "hr"):
    return UserFactory(username=username, role=Role.EMPLOYER_HR, organisation=organisation)


def person_of_employer(organisation, *, seq: int = 1, user=None, birth: str = "19800101", male: bool = True,
                       name: str = "李医生"):
    person = ledger_services.persons_ensure(
        people=[ledger_services.PersonData(id_number(seq, birth=birth, male=male), name, organisation.name)],
        employer_organisation=organisation,
    )[id_number(seq, birth=birth, male=male)]
    if user is not None:
        type(person).objects.filter(pk=person.pk).update(user=user)
        person.refresh_from_db()
    return person


def _blank_pdf() -> bytes:
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


PDF = _blank_pdf()  # a PDF readers open (the personal-data scan reads every PDF it is served)


def evidence(name: str = "证书.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def image(name: str = "证书.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def exam(day: dt.date = dt.date(2026, 6, 20), **overrides) -> CreditData:
    return CreditData(**{"source": "qualification_exam", "subject": "professional", "title": "执业药师职业资格考试",
                         "certificate_date": day, **overrides})


def seminar(minutes: int | None = 2700, hours: int | None = None, day: dt.date = dt.date(2026, 5, 20)) -> CreditData:
    return CreditData(source="seminar", subject="professional", title="自治区医学高研班", certificate_date=day,
                      minutes=minutes, hours=hours)


def circumstance(code: str = "grassroots", **overrides) -> CircumstanceData:
    return CircumstanceData(**{"code": code, "effective_from": dt.date(2026, 1, 1), **overrides})
