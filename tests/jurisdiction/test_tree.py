import pytest

from jurisdiction.models import Division

pytestmark = pytest.mark.django_db


def test_it_loads_the_region_its_leagues_and_counties():
    assert Division.objects.filter(level="region").get().code == "150000"
    leagues = set(Division.objects.filter(level="league").values_list("name", flat=True))
    assert {"呼和浩特市", "赤峰市", "锡林郭勒盟", "阿拉善盟", "满洲里市", "二连浩特市"} <= leagues
    assert len(leagues) == 14
    assert Division.objects.filter(level="county").count() == 101


def test_manzhouli_and_erenhot_report_to_the_region_directly():
    for code in ("150781", "152501"):
        assert Division.objects.get(code=code).parent_id == "150000"


def test_a_county_lies_in_its_leagues_subtree_and_not_in_another():
    chifeng, songshan, ordos = (Division.objects.get(code=c) for c in ("150400", "150404", "150600"))
    assert chifeng.contains(songshan)
    assert not ordos.contains(songshan)
    assert songshan.league_code == "150400"
