"""Text → the words a Mandarin speaker would say (`voice normalize --tts`).

Rules, applied in this order (cases in tests/data/tts_normalize.tsv):
1. Traditional → Simplified; full-width letters, digits and signs → ASCII (Chinese punctuation stays);
   numbers with thousands separators are quantities (1,234 → 一千二百三十四).
2. Dates: 2026年11月27日 / 2026-11-27 / 2026/11/27 / 2026.11.27 → 二零二六年十一月二十七日; a year (4 digits + 年)
   is read digit by digit; 3月8日 → 三月八日.
3. Times: 12:30 → 十二点三十分, 14:05 → 十四点零五分, 10:00 → 十点, 10:00-12:00 → 十点到十二点;
   N:M where M is not two digits is a score or ratio: 3:2 → 三比二.
4. Phone numbers and codes digit by digit, 1 as 幺: mobile numbers (1[3-9] + 9 digits), landlines
   (010-62345678), service numbers (110, 119, 120, 12345, 10086, 95588 …), numbers after 电话/号码/拨打/验证码/
   编号/尾号/房间/邮编…, and any other digit string of 10 or more digits.
5. Money: ¥/￥199 → 一百九十九元, ¥3.50 → 三元五角, $20 → 二十美元, €/£ likewise.
6. Temperatures: -5°C / -5℃ → 零下五摄氏度, 30°F → 三十华氏度, 26度 stays 二十六度.
7. Percentages 12.5% → 百分之十二点五, -3% → 负百分之三; fractions 2/3 → 三分之二; ranges 3-5天 → 三到五天.
8. Ordinals 第1名 → 第一名 (二, never 两); units after a number: km/h 公里每小时, kg 千克, km 公里, m 米, cm 厘米,
   mm 毫米, g 克, mg 毫克, ml 毫升, L 升, m² 平方米, h 小时, min 分钟, s 秒, GB/MB/KB as letters.
9. Cardinals: 两 before a measure word (2个 → 两个, 2点 → 两点) and as the leading digit of 千/万/亿 (2000 → 两千,
   2亿 → 两亿), 二 elsewhere (12 → 十二, 第2 → 第二, 2 alone → 二); decimals 3.14 → 三点一四; negatives → 负.
10. Signs between numbers: + 加, = 等于, × 乘, ÷ 除以, ~ 到. Latin words and letters are left to the engine.
"""

from __future__ import annotations

import re
import unicodedata

from voice.text.script import to_simplified

_DIGIT = dict(zip("0123456789", "零一二三四五六七八九"))
_PHONE_DIGIT = {**_DIGIT, "1": "幺"}
MEASURE_WORDS = (
    "个只本条张件位次天年岁台辆块斤两公斤千克米公里小时分钟周种份杯瓶家间层点首部篇幅双对套批名人口栋座所辆架艘"
    "颗粒片根支枝把项门道节课场届期周月倍趟遍声步瓣滴股升克吨秒瓦伏圈成轮局盘碗盒袋箱包辆起"
)
_SERVICE_NUMBERS = {"110", "119", "120", "122", "114", "12315", "12345", "12306", "12356", "12348", "12110",
                    "10086", "10010", "95588", "95533", "95599", "95555", "95566", "96110", "999"}
_CODE_CUES = r"(?:电话|号码|手机号|手机|拨打|拨|呼叫|热线|验证码|编号|尾号|订单号|单号|账号|卡号|房间号|房间|房号|邮编|工号|学号|车次|航班|代码|密码|分机|打)"
_UNITS = [("km/h", "公里每小时"), ("m/s", "米每秒"), ("m²", "平方米"), ("m2", "平方米"), ("km²", "平方公里"),
          ("kg", "千克"), ("km", "公里"), ("cm", "厘米"), ("mm", "毫米"), ("mg", "毫克"), ("ml", "毫升"),
          ("mL", "毫升"), ("kw", "千瓦"), ("kW", "千瓦"), ("kwh", "千瓦时"), ("kWh", "千瓦时"), ("min", "分钟"),
          ("ms", "毫秒"), ("g", "克"), ("m", "米"), ("L", "升"), ("l", "升"), ("h", "小时"), ("s", "秒"),
          ("t", "吨"), ("W", "瓦"), ("V", "伏")]
_UNIT_RE = re.compile(r"(?<![A-Za-z])(\d+(?:\.\d+)?)\s?(" + "|".join(re.escape(u) for u, _ in _UNITS) + r")(?![A-Za-z²/])")
_UNIT_ZH = dict(_UNITS)
_CURRENCY = {"¥": "元", "￥": "元", "$": "美元", "€": "欧元", "£": "英镑", "HK$": "港元"}


def digits(s: str, yao: bool = False) -> str:
    table = _PHONE_DIGIT if yao else _DIGIT
    return "".join(table.get(c, "") for c in s)


def cardinal(s: str, measure: str = "") -> str:
    """'2' → 二 (两 before a measure word), '2000' → 两千, '12' → 十二, '3.14' → 三点一四, '-5' → 负五."""
    import cn2an

    negative = s.startswith("-")
    s = s.lstrip("-+")
    whole, _, frac = s.partition(".")
    whole = whole.lstrip("0") or "0"
    if len(whole) > 16:
        spoken = digits(whole)
    else:
        spoken = cn2an.an2cn(whole, "low")
        if spoken.startswith("二") and len(spoken) > 1 and spoken[1] in "千万亿百":
            spoken = "两" + spoken[1:]
        if spoken == "二" and measure and (measure[0] in MEASURE_WORDS or measure[0] in "百千万亿") and not frac:
            spoken = "两"
    if frac:
        spoken += "点" + digits(frac)
    return ("负" if negative else "") + spoken


def _year(y: str) -> str:
    return digits(y) + "年"


def _date(m: re.Match) -> str:
    y, mo, d, suffix = m.group("y"), m.group("mo"), m.group("d"), m.group("suf") or "日"
    out = (_year(y) if y else "") + cardinal(mo) + "月"
    if d:
        out += cardinal(d) + suffix
    return out


def _time(h: str, mi: str, s: str | None = None) -> str:
    out = cardinal(h, "点") + "点"
    if mi != "00" or s:
        out += ("零" + _DIGIT[mi[1]] if mi[0] == "0" and mi != "00" else cardinal(mi) if mi != "00" else "零") + "分"
    if s and s != "00":
        out += cardinal(s) + "秒"
    return out


def _money(m: re.Match) -> str:
    unit = _CURRENCY[m.group("cur")]
    value = m.group("v").replace(",", "")
    whole, _, frac = value.partition(".")
    if unit == "元" and frac and len(frac) <= 2:
        frac = frac.ljust(2, "0")
        out = cardinal(whole, "元") + "元" if whole.strip("0") else ""
        if frac[0] != "0":
            out += _DIGIT[frac[0]] + "角"
        if frac[1] != "0":
            out += ("零" if frac[0] == "0" and out else "") + _DIGIT[frac[1]] + "分"
        return out or "零元"
    return cardinal(value, "块") + unit


def normalize_tts(text: str) -> str:
    """The spoken form of `text` (Simplified Chinese, numbers and symbols as words)."""
    text = "".join(_half_width(c) for c in to_simplified(text or ""))
    text = re.sub(r"(?<=\d)：(?=\d)", ":", text)
    text = text.replace("°C", "℃").replace("°c", "℃").replace("°F", "℉").replace("°f", "℉")
    text = re.sub(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])", lambda m: cardinal(m.group(0).replace(",", ""),
                                                                               _after(text, m.end())), text)
    # 2 dates
    text = re.sub(r"(?P<y>\d{4})[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})(?P<suf>)(?![\d:])",
                  lambda m: _date(m), text)
    text = re.sub(r"(?:(?P<y>\d{4})年)?(?P<mo>\d{1,2})月(?:(?P<d>\d{1,2})(?P<suf>[日号]))?", _date, text)
    text = re.sub(r"(\d{4})年", lambda m: _year(m.group(1)), text)
    # 3 times, time ranges, scores
    time_re = r"([01]?\d|2[0-4]):([0-5]\d)(?::([0-5]\d))?"
    text = re.sub(rf"{time_re}\s*[-~～至到]\s*{time_re}",
                  lambda m: _time(m.group(1), m.group(2), m.group(3)) + "到" + _time(m.group(4), m.group(5), m.group(6)),
                  text)
    text = re.sub(rf"(?<![\d:]){time_re}(?![\d:])", lambda m: _time(m.group(1), m.group(2), m.group(3)), text)
    text = re.sub(r"(\d+):(\d+)", lambda m: cardinal(m.group(1)) + "比" + cardinal(m.group(2)), text)
    # 4 phone numbers and codes
    text = re.sub(r"(?<!\d)(0\d{2,3})-(\d{7,8})(?!\d)", lambda m: digits(m.group(1), True) + "，" + digits(m.group(2), True), text)
    text = re.sub(r"(?<![\d.])(\+?86)?(1[3-9]\d{9})(?![\d.])", lambda m: digits(m.group(2), True), text)
    text = re.sub(rf"({_CODE_CUES}(?:是|为|：|:)?\s*)(\d{{3,}})(?![\d.%])", lambda m: m.group(1) + digits(m.group(2), True), text)
    text = re.sub(r"(?<![\d.])(\d{3,5})(?![\d.%])",
                  lambda m: digits(m.group(1), True) if m.group(1) in _SERVICE_NUMBERS and not _measured(text, m.end())
                  and not _arithmetic(text, m.start(), m.end()) else m.group(0), text)
    # 5 money
    text = re.sub(r"(?P<cur>HK\$|[¥￥$€£])\s?(?P<v>\d+(?:\.\d+)?)", _money, text)
    # 6 temperatures (and their ranges)
    text = re.sub(r"(-|零下)?(\d+(?:\.\d+)?)\s?[~～到至]\s?(-|零下)?(\d+(?:\.\d+)?)\s?℃",
                  lambda m: ("零下" if m.group(1) else "") + cardinal(m.group(2)) + "到"
                  + ("零下" if m.group(3) else "") + cardinal(m.group(4)) + "摄氏度", text)
    text = re.sub(r"(-|零下)?(\d+(?:\.\d+)?)\s?℃",
                  lambda m: ("零下" if m.group(1) else "") + cardinal(m.group(2), "度") + "摄氏度", text)
    text = re.sub(r"(-|零下)?(\d+(?:\.\d+)?)\s?℉",
                  lambda m: ("零下" if m.group(1) else "") + cardinal(m.group(2), "度") + "华氏度", text)
    text = re.sub(r"(?<![\d.])-(\d+(?:\.\d+)?)度", lambda m: "零下" + cardinal(m.group(1), "度") + "度", text)
    # 7 percentages, fractions, ranges
    text = re.sub(r"(\d+(?:\.\d+)?)%\s?[-~～到至]\s?(\d+(?:\.\d+)?)%",
                  lambda m: _percent(m.group(1)) + "到" + _percent(m.group(2)), text)
    text = re.sub(r"(-)?(\d+(?:\.\d+)?)\s?%", lambda m: ("负" if m.group(1) else "") + _percent(m.group(2)), text)
    text = re.sub(r"(?<![\d/])(\d+)/(\d+)(?![\d/])", lambda m: cardinal(m.group(2)) + "分之" + cardinal(m.group(1)), text)
    text = re.sub(r"(?<![\d.])(\d+(?:\.\d+)?)\s?[-~～]\s?(\d+(?:\.\d+)?)(?![\d.])",
                  lambda m: cardinal(m.group(1)) + "到" + cardinal(m.group(2), _after(text, m.end())), text)
    # 8 ordinals, units
    text = re.sub(r"第(\d+)", lambda m: "第" + cardinal(m.group(1)), text)
    text = _UNIT_RE.sub(lambda m: cardinal(m.group(1), _UNIT_ZH[m.group(2)]) + _UNIT_ZH[m.group(2)], text)
    # 9 long digit strings (IDs), then every remaining number
    text = re.sub(r"\d{10,}", lambda m: digits(m.group(0), True), text)
    # a minus is a sign only when it does not join a word ("GPT-4" keeps its hyphen)
    text = re.sub(r"(?:(?<![A-Za-z0-9.])(-))?(?<![\d.])(\d+(?:\.\d+)?)",
                  lambda m: cardinal((m.group(1) or "") + m.group(2), _after(text, m.end())), text)
    # 10 signs
    for sign, word in (("+", "加"), ("=", "等于"), ("×", "乘"), ("÷", "除以"), ("~", "到"), ("～", "到"), ("&", "和")):
        text = text.replace(sign, word)
    return text


def _percent(value: str) -> str:
    return "百分之百" if value in ("100", "100.0") else "百分之" + cardinal(value)


def _half_width(c: str) -> str:
    """Full-width letters, digits and math signs → ASCII; Chinese punctuation (，。！？：) stays."""
    if "０" <= c <= "９" or "Ａ" <= c <= "Ｚ" or "ａ" <= c <= "ｚ" or c in "％＋－＝．／＄￥":
        return unicodedata.normalize("NFKC", c) if c != "￥" else c
    return c


def _after(text: str, end: int) -> str:
    return text[end:end + 1]


def _arithmetic(text: str, start: int, end: int) -> bool:
    """True inside a calculation (120乘3等于360): then 120 is a quantity, not the ambulance number."""
    ops = "加减乘除+-×÷*/=＝"
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return bool(before and before[-1] in ops or after and after[0] in ops or "等于" in (before, after))


def _measured(text: str, end: int) -> bool:
    """True when a number is followed by a measure word or unit (then 110 is a quantity, not a code)."""
    nxt = text[end:end + 1]
    return bool(nxt) and (nxt in MEASURE_WORDS or nxt in "元块米克度岁%" or nxt.isalpha() and nxt.isascii())
