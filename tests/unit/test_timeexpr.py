"""The Chinese time-expression parser (voice.nlu.timeexpr) on normalized text."""

from datetime import date, datetime

import pytest

from voice.nlu.normalize import canonical
from voice.nlu.timeexpr import find_durations, parse_time

FRI = datetime(2026, 11, 27, 10, 0)  # a Friday


def when(text, now=FRI, **kw):
    t = parse_time(canonical(text), now, **kw)
    assert t is not None, text
    return t


@pytest.mark.parametrize("text,expected", [
    ("半小时后", "2026-11-27T10:30"), ("一个半小时以后", "2026-11-27T11:30"), ("两个半小时之后", "2026-11-27T12:30"),
    ("三分钟后", "2026-11-27T10:03"), ("一刻钟后", "2026-11-27T10:15"), ("1个小时20分钟后", "2026-11-27T11:20"),
    ("三天后早上八点", "2026-11-30T08:00"), ("两小时过后", "2026-11-27T12:00"),
    ("明天早上七点", "2026-11-28T07:00"), ("后天下午三点半", "2026-11-29T15:30"), ("大后天中午12点", "2026-11-30T12:00"),
    ("今晚八点", "2026-11-27T20:00"), ("明早六点一刻", "2026-11-28T06:15"), ("明晚九点三刻", "2026-11-28T21:45"),
    ("下午2:30", "2026-11-27T14:30"), ("晚上十二点", "2026-11-28T00:00"), ("中午一点", "2026-11-27T13:00"),
    ("凌晨三点", "2026-11-28T03:00"), ("傍晚六点", "2026-11-27T18:00"), ("上午十点十五", "2026-11-27T10:15"),
    ("下周三上午十点", "2026-12-02T10:00"), ("这周日晚上8点", "2026-11-29T20:00"), ("周一早上九点", "2026-11-30T09:00"),
    ("下下周一上午9点", "2026-12-07T09:00"), ("12月5号下午3点", "2026-12-05T15:00"), ("下个月一号上午九点", "2026-12-01T09:00"),
    ("十点零五分", "2026-11-27T10:05"), ("明天早上", "2026-11-28T08:00"), ("今天下午", "2026-11-27T15:00"),
])
def test_points_in_time(text, expected):
    assert when(text).iso() == expected


def test_past_clock_moves_to_next_occurrence():
    assert when("七点").iso() == "2026-11-27T19:00"  # 07:00 has passed, 19:00 is next
    assert when("七点", morning=True).iso() == "2026-11-28T07:00"  # waking up: the morning
    assert when("九点", now=datetime(2026, 11, 27, 22, 0)).iso() == "2026-11-28T09:00"
    assert when("早上六点").iso() == "2026-11-28T06:00"
    assert when("11点").iso() == "2026-11-27T11:00"


@pytest.mark.parametrize("text,expected", [
    ("今天", "2026-11-27"), ("明天", "2026-11-28"), ("后天", "2026-11-29"), ("大后天", "2026-11-30"),
    ("昨天", "2026-11-26"), ("下周三", "2026-12-02"), ("这周三", "2026-11-25"), ("周三", "2026-12-02"),
    ("这周末", "2026-11-28"), ("下周末", "2026-12-05"), ("星期天", "2026-11-29"), ("礼拜五", "2026-11-27"),
    ("下个月一号", "2026-12-01"), ("十二月五号", "2026-12-05"), ("3号", "2026-12-03"), ("30号", "2026-11-30"),
    ("一月一号", "2027-01-01"), ("2027年3月8日", "2027-03-08"),
    ("农历八月十五", "2027-09-15"), ("正月初一", "2027-02-06"), ("农历腊月初八", "2027-01-15"), ("大年初一", "2027-02-06"),
    ("中秋节", "2027-09-15"), ("春节", "2027-02-06"), ("端午节", "2027-06-09"), ("元宵节", "2027-02-20"),
    ("除夕", "2027-02-05"), ("清明节", "2027-04-05"), ("国庆节", "2027-10-01"), ("元旦", "2027-01-01"),
    ("圣诞节", "2026-12-25"), ("冬至", "2026-12-22"), ("七夕", "2027-08-08"), ("重阳节", "2027-10-08"),
    ("明年春节", "2027-02-06"), ("平安夜", "2026-12-24"),
])
def test_days(text, expected):
    assert when(text).day == date.fromisoformat(expected)


@pytest.mark.parametrize("text,repeat,expected", [
    ("每天早上七点", "daily", "2026-11-28T07:00"), ("每天晚上十点", "daily", "2026-11-27T22:00"),
    ("每个工作日早上七点", "weekdays", "2026-11-30T07:00"), ("工作日早上八点", "weekdays", "2026-11-30T08:00"),
    ("每周一到周五早上七点", "weekdays", "2026-11-30T07:00"), ("每个周末早上九点", "weekends", "2026-11-28T09:00"),
    ("每周一早上八点", "weekly:mon", "2026-11-30T08:00"), ("每个星期五下午五点", "weekly:fri", "2026-11-27T17:00"),
    ("每周日晚上八点", "weekly:sun", "2026-11-29T20:00"), ("每晚九点", "daily", "2026-11-27T21:00"),
])
def test_recurrence_resolves_to_next_occurrence(text, repeat, expected):
    t = when(text)
    assert (t.repeat, t.iso()) == (repeat, expected)


@pytest.mark.parametrize("text,seconds", [
    ("半小时", 1800), ("一个半小时", 5400), ("二十五秒", 25), ("三分钟", 180), ("两个小时", 7200),
    ("一刻钟", 900), ("五分三十秒", 330), ("1小时30分钟", 5400), ("半分钟", 30), ("两天", 172800),
])
def test_durations(text, seconds):
    found = find_durations(canonical(text))
    assert [d[2] for d in found] == [seconds]


@pytest.mark.parametrize("text", ["把空调调到26度", "来3个", "一心一意", "我有两个问题", "第一次", "3加5"])
def test_not_a_time(text):
    assert parse_time(canonical(text), FRI) is None
