"""Weather questions: day and city."""

from __future__ import annotations

import re

from voice.nlu.lexicon import DEVICES, by_length
from voice.nlu.rules.common import TYPICAL, Context

_WEATHER = (r"天气|气温|下雨|下雪|有雨|有雪|刮风|大风|雾霾|空气质量|空气怎么样|冷不冷|热不热|几度|多少度|温度|"
            r"带伞|带雨伞|晴天|阴天|多云|预报|紫外线|湿度|穿什么|穿多少|降温|升温|台风|暴雨")


def weather(c: Context):
    n = c.norm
    if not re.search(_WEATHER, n):
        return None
    if re.search("|".join(by_length(DEVICES)), n) and re.search(r"温度|度", n) and not re.search(r"天气|下雨", n):
        return None
    # a remark about the weather is no question ("最近天气超舒服"): 天气 followed by how it is, not by 怎么样
    if re.search(r"天气(?:真|超|很|太|挺|特别|非常|好|不错|舒服|棒|糟|差|热|冷)(?!不)", n) and not re.search(
            r"吗|呢|怎么样|如何|多少|几度|预报|会不会|要不要|是不是|好不好|冷不冷|热不热|[?？]", c.canon):
        return None
    slots = {}
    t = c.time
    if t is not None and (t.date or t.when):
        slots["date"] = t.day.isoformat()
    rest = c.without_times()
    rest = re.sub(r"现在|目前|此刻|当前|最近|这几天|未来几天|这两天", "", rest)
    rest = re.sub(r"^(?:查询|查查|查|看看|看|告诉我|问问|播报|说说|我想知道|想知道|请问|预报)+", "", rest)
    m = re.match(r"(?:在|去)?([\u4e00-\u9fffa-z]{2,8}?)(?:市|县|区)?(?:的|那边|那里|这边)?(?:天气|气温|会|下雨|下雪|有雨|有雪|"
                 r"下不下|会不会|要不要|需不需要|冷|热|几度|多少度|温度|刮风|空气|要|需要|适合|紫外线|湿度|是|怎么样)", rest)
    if m:
        city = m.group(1)
        if not re.search(r"^(?:今|明|后|这|那|我|外面|现在|最近|未来|周|天气|会不|需不|要不|下不|有没|能不|需要|出门|晚上|"
                         r"早上|下午|上午|中午|是不是|还)", city):
            slots["city"] = re.sub(r"(?:市|的)$", "", city)
    return TYPICAL, "weather.query", slots
