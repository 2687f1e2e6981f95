"""The region's calendar: days are local (Asia/Shanghai, the project's TIME_ZONE) days.

Every deadline that ends "at the end of a day" is computed here, and the words a reminder
uses for a period come from the number of days a rule set gives.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

_NUMERALS = "零一两三四五六七八九十"


def local_date(moment: dt.datetime, tz: dt.tzinfo | None = None) -> dt.date:
    """The local day of a moment (in `tz` when the caller has looked up the current zone already)."""
    return (timezone.localtime(moment) if tz is None else moment.astimezone(tz)).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a local day."""
    next_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(next_day) - dt.timedelta(microseconds=1)


def days_in_words(days: int) -> str:
    """A period as a notice words it: 14 → 两周, 7 → 一周, 10 → 10天."""
    weeks, rest = divmod(days, 7)
    if rest == 0 and 0 < weeks < len(_NUMERALS):
        return ("一" if weeks == 1 else _NUMERALS[weeks]) + "周"
    return f"{days}天"
