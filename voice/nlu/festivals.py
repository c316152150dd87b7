"""Lunar dates and festivals, resolved with borax's calendars: 腊月廿三, 春节, 明年中秋节 …

Festivals without a borax entry are fixed here: 清明节 (a solar term), 平安夜, 万圣节 and 小年 (腊月廿三).
"""

from __future__ import annotations

from datetime import date

from voice.nlu.numbers import to_int

LUNAR_MONTH = {"正": 1, "冬": 11, "腊": 12}
FESTIVALS = ("春节", "元宵节", "端午节", "中秋节", "重阳节", "七夕节", "除夕", "清明节", "国庆节", "劳动节",
             "元旦", "圣诞节", "情人节", "母亲节", "父亲节", "儿童节", "妇女节", "教师节", "腊八节", "冬至",
             "中元节", "建军节", "植树节", "青年节", "万圣节", "平安夜", "小年")
FEST_ALIASES = {"七夕": "七夕节", "元宵": "元宵节", "端午": "端午节", "中秋": "中秋节", "重阳": "重阳节",
                "清明": "清明节", "国庆": "国庆节", "五一": "劳动节", "十一": "国庆节", "新年": "元旦",
                "圣诞": "圣诞节", "大年三十": "除夕", "年三十": "除夕", "过年": "春节", "大年初一": "春节",
                "腊八": "腊八节", "六一": "儿童节", "三八": "妇女节"}


def _lunar_day(text: str) -> int | None:
    if text.startswith("初"):
        return to_int(text[1:])
    if text.startswith("廿"):
        rest = to_int(text[1:]) or 0
        return 20 + rest
    return to_int(text)


def lunar_date(month_text: str | None, day_text: str, today: date) -> date | None:
    """The next solar date of a lunar month and day as said ("腊月", "廿三"); no month: this lunar month."""
    from borax.calendars.lunardate import LunarDate

    day = _lunar_day(day_text)
    if not day or day > 30:
        return None
    current = LunarDate.from_solar(today)
    month = LUNAR_MONTH.get(month_text) or (to_int(month_text) if month_text else current.month)
    if not month or month > 12:
        return None
    for year in (current.year, current.year + 1):
        try:
            solar = LunarDate(year, month, day).to_solar_date()
        except ValueError:
            try:
                solar = LunarDate(year, month, day - 1).to_solar_date()  # month with 29 days
            except ValueError:
                continue
        if solar >= today:
            return solar
    return None


def festival_date(name: str, today: date, year_word: str | None = None) -> date | None:
    """The next (or the named year's: 今年/明年/去年) date of a festival: 春节, 中秋节, 清明节 …"""
    from borax.calendars.festivals2 import TermFestival

    name = FEST_ALIASES.get(name, name)
    lib = _festivals()
    fest = lib.get_festival(name) or lib.get_festival(name.rstrip("节"))
    if fest is None and name == "清明节":
        fest = TermFestival(name="清明")
    if fest is None and name in ("平安夜", "万圣节"):
        month, mday = (12, 24) if name == "平安夜" else (10, 31)
        return _next_fixed(month, mday, today, year_word)
    if fest is None and name == "小年":
        from borax.calendars.lunardate import LunarDate

        for year in (LunarDate.from_solar(today).year - 1, LunarDate.from_solar(today).year):
            d = LunarDate(year, 12, 23).to_solar_date()
            if d >= today:
                return d
        return None
    if fest is None:
        return None
    if year_word:
        year = today.year + {"今年": 0, "明年": 1, "去年": -1}[year_word]
        return _fest_in_year(fest, year)
    for year in (today.year - 1, today.year, today.year + 1):
        d = _fest_in_year(fest, year)
        if d and d >= today:
            return d
    return None


def _fest_in_year(fest, year: int) -> date | None:
    """The festival's date in Gregorian `year` (lunar festivals: the one falling in that year)."""
    found = []
    for lunar_year in (year - 1, year):
        try:
            d = fest.at(lunar_year)
        except (ValueError, TypeError):
            continue
        d = d.to_solar_date() if hasattr(d, "to_solar_date") else d
        if d is not None and d.year == year:
            found.append(d)
    return min(found) if found else None


_LIB = None


def _festivals():
    global _LIB
    if _LIB is None:
        from borax.calendars.festivals2 import FestivalLibrary

        _LIB = FestivalLibrary.load_builtin()
    return _LIB


def _next_fixed(month: int, mday: int, today: date, year_word: str | None) -> date:
    if year_word:
        return date(today.year + {"今年": 0, "明年": 1, "去年": -1}[year_word], month, mday)
    d = date(today.year, month, mday)
    return d if d >= today else date(today.year + 1, month, mday)
