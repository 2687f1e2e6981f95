import pytest

from accounts.pii import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize("raw,masked", [
    ("150102197105120011", "150102********0011"),
    ("15010219710512001X", "150102********001X"),
    ("", ""),
    (None, ""),
])
def test_id_numbers_keep_only_the_address_code_and_last_four(raw, masked):
    assert mask_id_number(raw) == masked


@pytest.mark.parametrize("raw,masked", [
    ("13812345678", "138****5678"),
    ("0476-8466847", "0476-*****47"),
])
def test_phones_are_masked(raw, masked):
    assert mask_phone(raw) == masked


def test_names_keep_the_first_character():
    assert mask_name("巴特尔") == "巴**"
