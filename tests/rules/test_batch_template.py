"""The title-office batch template can be uploaded as downloaded: its example row reads cleanly."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from rules.cards.batch import read_applicants, template_bytes


def test_it_reads_the_templates_own_example_row_without_an_error():
    applicants = read_applicants(SimpleUploadedFile("审验名单.xlsx", template_bytes()), today=date(2026, 11, 30))
    assert [(a.name, a.id_number) for a in applicants] == [("张三", "150102197105120010")]
