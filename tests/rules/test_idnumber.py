from datetime import date

import pytest

from rules.idnumber import parse_id_number


def test_it_reads_birth_date_and_male_sex():
    assert parse_id_number("150102198503150017") == (date(1985, 3, 15), "M")


def test_it_reads_female_sex_from_an_even_sequence_digit():
    assert parse_id_number("150102198503150025") == (date(1985, 3, 15), "F")


def test_it_accepts_check_character_x_in_either_case():
    assert parse_id_number("11010519491231002X") == (date(1949, 12, 31), "F")
    assert parse_id_number("11010519491231002x") == (date(1949, 12, 31), "F")


def test_it_normalises_full_width_digits():
    assert parse_id_number("１５０１０２１９８５０３１５００１７") == (date(1985, 3, 15), "M")


def test_it_refuses_a_wrong_check_digit():
    with pytest.raises(ValueError, match="校验码"):
        parse_id_number("150102198503150018")


def test_it_refuses_a_wrong_length():
    with pytest.raises(ValueError, match="18位"):
        parse_id_number("15010219850315001")


def test_it_refuses_letters_in_the_first_17_characters():
    with pytest.raises(ValueError, match="数字"):
        parse_id_number("1501021985031500AX")


def test_it_refuses_an_impossible_birth_date():
    # 1985-02-30 with a correct check character
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    first17 = "15010219850230001"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]
    with pytest.raises(ValueError, match="出生日期"):
        parse_id_number(first17 + check)
