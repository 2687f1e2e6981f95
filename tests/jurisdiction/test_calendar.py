import datetime as dt

from jurisdiction.calendar import days_in_words, end_of_day, local_date

CST = dt.timezone(dt.timedelta(hours=8))


def test_the_end_of_a_day_is_its_last_instant_in_the_regions_time():
    assert end_of_day(dt.date(2026, 3, 8)) == dt.datetime(2026, 3, 8, 23, 59, 59, 999999, tzinfo=CST)


def test_a_moment_late_in_the_utc_day_is_already_the_next_local_day():
    assert local_date(dt.datetime(2026, 3, 8, 17, 0, tzinfo=dt.UTC)) == dt.date(2026, 3, 9)


def test_whole_weeks_read_as_weeks_and_other_periods_as_days():
    assert [days_in_words(d) for d in (7, 14, 21, 10, 30)] == ["一周", "两周", "三周", "10天", "30天"]
