"""Questions the assistant answers itself: the time, the date, arithmetic, unit conversion."""

from __future__ import annotations

import re

from voice.nlu import calc
from voice.nlu.numbers import as_json_number, to_number
from voice.nlu.rules.common import EXACT, GUESS, INEXACT, TYPICAL, Context
from voice.nlu.types import Hints


def time_query(c: Context):
    n = c.norm
    if re.fullmatch(r"(?:看下|看看|查下|查查|告诉我|报一下|问下|问问|说下)?(?:现在|目前|当前|此刻)?(?:的)?(?:是)?(?:北京)?"
                    r"(?:几点|几点钟|几点几分|什么时间|时间|什么时候了)(?:了|啦|呀)?", n):
        return EXACT, "time.query", {}
    if re.fullmatch(r"(?:现在|目前|当前|此刻|北京时间)?(?:是)?(?:几点|几点钟|几点几分|什么时间|什么时候|时间|多少点)(?:了|啦)?"
                    r"(?:现在)?|报时|看看时间|查时间|告诉我时间|现在时间|现在的时间|(?:现在)?时间是多少|几点了", n):
        return EXACT, "time.query", {}
    return None


def date_query(c: Context):
    n = c.norm
    if not re.search(r"几号|几月几日|几月几号|星期几|周几|礼拜几|哪天|哪一天|什么日子|日期|农历|阴历|几月|还有几天|还有多少天|"
                     r"多少号|什么节|节日|是几|多久", n):
        return None
    if re.search(r"提醒|闹钟|天气", n) or re.search(r"几点|时间", n) and not re.search(r"几号|星期|周几|礼拜|日期|哪天", n):
        return None
    t = c.time
    slots = {}
    if t is not None and t.day:
        slots["date"] = t.day.isoformat()
    elif re.search(r"^(?:今天|现在)?(?:是)?(?:几号|几月几号|几月几日|星期几|周几|礼拜几|什么日子|日期|农历|阴历)", n) or \
            re.match(r"^(?:今天|现在)", n):
        slots["date"] = c.now.date().isoformat()
    elif not t:
        return GUESS, "date.query", {"date": c.now.date().isoformat()}
    return EXACT, "date.query", slots


# --- calculation ------------------------------------------------------------------------------------

def calculate(c: Context):
    n = c.norm
    body = re.sub(r"^(?:算算|算一算|计算|算|帮我算|请问)+", "", n)
    tail = re.search(r"(?:等于几|等于多少|等于|是多少|是几|得多少|得几|多少|几|结果|=\?*|=)+$", body)
    body = body[:tail.start()] if tail else body
    # "乘以三十多少" is no way to ask: a bare 多少 / 几 right after a number is likelier a misheard 是多少
    # ("三是多少" heard as "三十多少"), so such a reading ranks under one with the full question
    score = INEXACT if tail and tail.group(0) in ("多少", "几") else EXACT
    body = re.sub(r"[零一二两三四五六七八九十百千万]+(?:点[零一二三四五六七八九]+)?",
                  lambda m: str(as_json_number(to_number(m.group(0)) or 0, 6)), body)
    # common ASR homophones of the operators between two numbers (三家五 → 3加5)
    body = re.sub(r"(?<=\d)[家佳嘉夹](?=\d)", "加", body)
    body = re.sub(r"(?<=\d)[剪检简见](?=\d)", "减", body)
    if not re.search(r"\d", body) or not re.search(r"加|减|乘|除|[+\-*/×÷^]|平方|立方|次方|根号", body):
        return None
    tokens = calc.tokenize(body)
    if not tokens or not any(t in "+-*/^√" for t in tokens):
        return None
    try:
        result = calc.evaluate(tokens)
    except (calc.CalcError, ZeroDivisionError, OverflowError) as exc:
        return TYPICAL, "calc.evaluate", {"expression": calc.expression_text(tokens)}, Hints(error=str(exc))
    return score, "calc.evaluate", {"expression": calc.expression_text(tokens), "result": as_json_number(result, 4)}


_CN = "[零一二两三四五六七八九十百千万点]+"
_CONVERT = re.compile(
    rf"^(?:把|将)?(?P<value>-?\d+(?:\.\d+)?|{_CN})(?:个)?(?P<from>{calc.UNIT_PATTERN})"
    rf"(?:地|田)?(?:等于|是|合|换算成|换算为|转换成|转换为|转成|换成|相当于|折合|折合成|等于是|有)?(?:多少|几)(?:个)?"
    rf"(?P<to>{calc.UNIT_PATTERN})$|"
    rf"^(?:把|将)?(?P<value2>-?\d+(?:\.\d+)?|{_CN})(?:个)?(?P<from2>{calc.UNIT_PATTERN})"
    rf"(?:换算成|换算为|转换成|转换为|转成|换成|折合成|等于|是)(?P<to2>{calc.UNIT_PATTERN})(?:是多少|多少|等于多少)?$")


def convert(c: Context):
    n = re.sub(r"^(?:换算|算算|算|请问|计算)", "", c.norm)
    n = n.replace("零下", "-")
    m = _CONVERT.match(n)
    if not m:
        return None
    value = to_number(m.group("value") or m.group("value2"))
    src = m.group("from") or m.group("from2")
    dst = m.group("to") or m.group("to2")
    if src == dst:
        return None
    try:
        result = calc.convert(value, src, dst)
    except calc.CalcError:
        return None
    return EXACT, "unit.convert", {"value": as_json_number(value, 4), "from_unit": src, "to_unit": dst,
                                  "result": as_json_number(result, 2)}
