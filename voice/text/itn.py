"""Inverse text normalization (ITN) for Mandarin ASR transcripts.

``itn(text)`` rewrites spoken numbers as written digits inside a sentence and
leaves every other character as it was. Input that already has Arabic digits
passes through, and ``itn(itn(x)) == itn(x)``.

Why not ``cn2an.transform``: it converts every numeral character, giving
一心一意 -> 1心1意, 等一下 -> 等1下, 十分好 -> 10分好. Here a rule layer decides
*which* spans are numbers. cn2an only computes the value of a span that has
already been chosen.

The rules below are tried in order at each position, and the first one that
matches wins. A numeral span that no rule accepts is copied unchanged as a
whole.

1. Protected words are never changed: idioms and words whose numerals are not
   quantities (一五一十, 三三两两, 十分好, 千万不要, 万一, 星期一, 初一, 一点儿,
   十字路口, 三番五次, 四分五裂, 二人转 ...). See ``_PROTECTED_WORDS``.
2. Percentages: 百分之五十 -> 50%, 百分之三点五 -> 3.5%, 百分之百 -> 100%,
   千分之五 -> 5‰. 百分百 (an adverb) stays.
3. Fractions: 三分之二 -> 2/3. 万分之一 stays, because it is a set phrase.
4. Digit strings: a run of 3 or more digits with no place value (十百千万亿)
   is read digit by digit, and leading zeros are kept. This covers phone
   numbers, room numbers and years: 幺三八… -> 138…, 零幺零 -> 010,
   二零二六年 -> 2026年. 幺 means 1. 两 is never a digit here. 洞 (0, the radio
   reading) is not supported.
5. Dates: 十一月二十七日 -> 11月27日, 三月一号 -> 3月1号 (month 1-12,
   day 1-31).
6. Clock times, hour 0-24: 下午三点 -> 下午3点, 两点 -> 2点, 七点半 -> 7点半,
   十点十五分 -> 10点15分, 三点零五分 -> 3点05分 (a spoken 零 keeps the 0),
   十点一刻 -> 10点一刻. A bare 一点 means "a little". It becomes 1点 only after
   a time-of-day word (凌晨一点) or before 钟/整/半/一刻/minutes. If 点 is
   followed by plain digits and no 分, the number is a decimal (rule 7),
   unless a time-of-day word comes before it (下午三点零五 -> 下午3点05).
7. Decimals need digits on both sides of 点: 零点五 -> 0.5, 三点一四 -> 3.14,
   一点五万 -> 1.5万.
8. Amounts with a trailing sub-unit digit keep their spoken shape:
   三块五 -> 3块5, 两块五毛 -> 2块5毛, 一米七五 -> 1米75, 三十七度五 -> 37度5.
9. Cardinals. A numeral run is converted when any of these holds:
   a. It has a place value: 二十五 -> 25, 一千二百 -> 1200, 一万五 -> 15000.
      Round multiples of 万/亿 keep the unit, as print does: 两千三百万 -> 2300万,
      三亿五千万 -> 3亿5000万.
   b. It is a single digit (or 十) followed by a measure word or unit, with an
      optional 多/余 in between: 三个 -> 3个, 两公里 -> 2公里, 十多个 -> 10多个.
      一 becomes 1 before units of measure, money, age, numbering and
      durations (一公里, 一元, 一岁, 一号, 一楼, 一月, 一分钟). Before general
      classifiers (一个人, 一次, 一天, 一种) it stays a word, unless a counting
      cue comes before it (共/只有/还剩/买了 ... 一个 -> 1个).
   c. It is two digits read as one number before 年/后/折: 九八年 -> 98年,
      八零后 -> 80后, 八五折 -> 85折 (but 三四年 "three or four years" stays).
   A single digit also converts when it is one end of a range whose other
   end converts (三到五个 -> 3到5个), or an operand of arithmetic with a number
   on the operator's other side (三乘以五 -> 3乘以5, 三比二 -> 3比2).
   These are never converted:
   - approximations: 十几个, 几十万, 三四个, 两三百, 二十五六岁, 三五年
   - small ordinals 第一 … 第十 (第十一 -> 第11)
   - bare unit words: 百, 千万, 万万
   - malformed runs: 十两银子, 二两酒
   零下 and 负 stay words, so there are no minus signs: 零下五度 -> 零下5度,
   负五度 -> 负5度.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

import cn2an

# ---------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------
_DIGIT_VALUE = {"零": 0, "〇": 0, "幺": 1, "一": 1, "二": 2, "三": 3, "四": 4,
                "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DIGITS = "零〇一二三四五六七八九"
_PLACES = "十百千万亿"
_RUN_CHARS = _DIGITS + "两" + _PLACES          # characters of a spoken cardinal
_PLACE_SET = frozenset(_PLACES)
_RUN_SET = frozenset(_RUN_CHARS + "幺")
_NUMBER_CHARS = _RUN_SET | frozenset("0123456789")   # spoken or written digits
_NUMBER_CLASS = _RUN_CHARS + "幺0-9"                  # the same as a regex class

_RUN = f"[{_RUN_CHARS}]+"
_FRACTION_DIGITS = f"[{_DIGITS}]+"
_RUN_RE = re.compile(_RUN)
_ANY_RUN_RE = re.compile(f"[{_RUN_CHARS}幺]+")   # also digit strings with 幺
# 两 is only a digit on its own or before a place value: 两百, 两万 (not 十两, 二两).
_BAD_LIANG_RE = re.compile("两(?![百千万亿])")

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------
# After these units even 一 is a number (一公里 -> 1公里).
_UNITS = frozenset("""
    元 块钱 毛钱 角钱 美元 欧元 英镑 日元 港元 港币
    公里 千米 米 厘米 毫米 英里 公斤 千克 斤 克 吨 毫升 升 平方米 平米 亩
    摄氏度 岁 周岁 号 楼 单元 月 月份 倍 小时 分钟 秒钟 秒
""".split())
# After these classifiers 一 usually means "a" (一个人, 一次) and stays a word.
_CLASSIFIERS = frozenset("""
    个 只 位 名 人 件 条 张 本 台 辆 次 遍 趟 天 年 周 星期 块 种 份 家 所 间 套 双
    对 首 部 场 颗 粒 杯 瓶 碗 盘 篇 句 声 匹 棵 朵 片 道 项 笔 段 节 届 期 批 座 栋
    架 艘 局 集 页 章 组 队 排 封 枚 根 支 包 箱 袋 盒 顿 把 扇 层 分 度 日 路 款 折
""".split())
_MEASURE_RE = re.compile("|".join(sorted(_UNITS | _CLASSIFIERS, key=len, reverse=True)))

# Words just before a lone 一 that make it a count rather than the article "a".
_COUNTING_CUES = ("共", "只有", "仅有", "只剩", "还剩", "剩下", "买了", "卖了", "订了")
_OPERATORS = ("乘以", "除以", "等于", "加", "减", "乘", "除", "比")
_TIME_WORDS = ("凌晨", "早上", "早晨", "清晨", "上午", "中午", "下午", "傍晚", "晚上",
               "夜里", "半夜", "深夜", "午夜", "今早", "今晚", "明早", "明晚", "昨晚")

_PROTECTED_WORDS = """
    一五一十 一一 三三两两 七七八八 千千万万 万万 千万 万一 百分百
    十全十美 十字 十万火急 十万八千里 十有八九 十拿九稳 十年寒窗 十年树木 十三陵 十三香
    三十而立 四十不惑 五十步笑百步 三十六计 七十二变 十八般 一千零一夜
    三番五次 五次三番 三年五载 三天两头 三天打鱼 四分五裂 三分天下 兵分两路
    两口子 三口之家 两把刷子 两回事 二人转 二人世界 三人行 五花 五道口
    一元复始 二元论 二元对立 更上一层楼 十一长假 十一黄金周 十一假期
    一点儿 一点点 一点一点 一点都 一点也 有一点 差一点 一下 一些 一起 一直 一定 一样 一般
    统一 唯一 一会儿 一切 一共 一半 这两天 前两天 过两天 这两年 个二百五
""".split()
_PROTECTED_RE = re.compile("|".join([
    # Literal words count only as whole numeral runs: 一一 must not split 一一零 (110).
    rf"(?<![{_NUMBER_CLASS}])(?:{'|'.join(sorted(_PROTECTED_WORDS, key=len, reverse=True))})"
    rf"(?![{_NUMBER_CLASS}])",
    r"十分(?![钟之])",                       # 十分 = "very"; 十分钟, 十分之一 are numbers
    rf"(?<![{_NUMBER_CLASS}])(?:星期|礼拜|周)[一二三四五六日天]",   # weekdays, but 两周三次
    r"(?<![最当起年月])初[一二三四五六七八九十]",   # lunar 初一, grade 初三; not 当初三个人
    r"[一二三四]元[一二三四]次",               # 二元一次方程
]))

_PERCENT_RE = re.compile(rf"(?P<base>[百千])分之(?P<num>{_RUN}(?:点{_FRACTION_DIGITS})?)")
_FRACTION_RE = re.compile(rf"(?P<den>{_RUN})分之(?P<num>{_RUN}(?:点{_FRACTION_DIGITS})?)")
_DATE_RE = re.compile(rf"(?P<month>{_RUN})月(?P<day>{_RUN})(?P<suffix>[日号])")
# The minute is a whole numeral run (万/亿 may follow: 三点二亿 is a decimal), not followed
# by 刻 (十点一刻); its 分 does not start 分钟 (一点五分钟 = 1.5 min).
_TIME_RE = re.compile(
    rf"(?P<hour>{_RUN})点"
    rf"(?:(?P<half>半)|(?P<minute>[{_DIGITS}十]+)(?![{_DIGITS}两十百千刻])(?P<fen>分(?!钟))?)?")
_DECIMAL_RE = re.compile(rf"(?P<whole>{_RUN})点(?P<frac>{_FRACTION_DIGITS})")
_AMOUNT_RE = re.compile(
    rf"(?P<whole>{_RUN})(?P<unit>块|元|毛|米|度)(?P<sub>[{_DIGITS}]{{1,2}})(?P<subunit>[毛角分])?")


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
def _char(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _is_approximate(text: str, start: int, end: int) -> bool:
    """几 beside a numeral makes it an estimate (十几, 几十): keep it as words."""
    return "几" in (_char(text, start - 1), _char(text, end))


def _is_guarded(text: str, start: int, end: int) -> bool:
    """Approximations and ordinals (第三点 = "the third point") are not times or decimals."""
    return _is_approximate(text, start, end) or _char(text, start - 1) == "第"


def _value(run: str) -> Optional[int]:
    """Integer value of a spoken cardinal, or None if the run is not a well-formed number."""
    if not any(c in _DIGITS or c == "两" for c in run) and not run.startswith("十"):
        return None                              # bare unit words: 百, 千万, 万万
    if run != "两" and _BAD_LIANG_RE.search(run):
        return None
    try:
        return int(cn2an.cn2an(run, "normal"))
    except (ValueError, KeyError):               # cn2an rejects 二十五六, 三四十, 三亿六 ...
        return None


def _read_digits(digits: str) -> str:
    return "".join(str(_DIGIT_VALUE[c]) for c in digits)


def _number_text(spoken: str) -> Optional[str]:
    """'三' -> '3', '三点五' -> '3.5'."""
    whole, _, frac = spoken.partition("点")
    value = _value(whole)
    if value is None:
        return None
    return f"{value}.{_read_digits(frac)}" if frac else str(value)


def _format_int(value: int) -> str:
    """Plain digits, but round multiples of 万/亿 keep the unit (2300万, 3亿5000万, 3万亿)."""
    if value < 10_000 or value % 10_000:
        return str(value)
    yi, wan = divmod(value // 10_000, 10_000)
    return (f"{_format_int(yi)}亿" if yi else "") + (f"{wan}万" if wan else "")


def _measure_after(text: str, i: int) -> Optional[str]:
    """'unit', 'classifier' or None for the word at i; an estimate 多/余 may come first."""
    if _char(text, i) in ("多", "余"):
        i += 1
    m = _MEASURE_RE.match(text, i)
    if not m:
        return None
    return "unit" if m.group() in _UNITS else "classifier"


# ---------------------------------------------------------------------------
# Matchers: (text, pos) -> (end, replacement) or None
# ---------------------------------------------------------------------------
Hit = Optional[tuple[int, str]]


def _match_protected(text: str, pos: int) -> Hit:
    m = _PROTECTED_RE.match(text, pos)
    return (m.end(), m.group()) if m else None


def _match_percent(text: str, pos: int) -> Hit:
    m = _PERCENT_RE.match(text, pos)
    if not m or _is_approximate(text, m.start("num"), m.end()):
        return None
    number = "100" if m["num"] == "百" else _number_text(m["num"])
    if number is None:
        return None
    return m.end(), number + ("%" if m["base"] == "百" else "‰")


def _match_fraction(text: str, pos: int) -> Hit:
    m = _FRACTION_RE.match(text, pos)
    if not m or _is_approximate(text, pos, m.end()):
        return None
    denominator, numerator = _value(m["den"]), _number_text(m["num"])
    if not denominator or numerator is None:     # also rejects 万分之一 (bare 万)
        return None
    return m.end(), f"{numerator}/{denominator}"


def _match_digit_string(text: str, pos: int) -> Hit:
    m = _ANY_RUN_RE.match(text, pos)
    run = m.group() if m else ""
    if len(run) < 3 or any(c not in _DIGIT_VALUE for c in run):
        return None
    if _is_approximate(text, pos, m.end()):
        return None
    return m.end(), _read_digits(run)


def _match_date(text: str, pos: int) -> Hit:
    m = _DATE_RE.match(text, pos)
    if not m:
        return None
    month, day = _value(m["month"]), _value(m["day"])
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return m.end(), f"{month}月{day}{m['suffix']}"


def _match_time(text: str, pos: int) -> Hit:
    m = _TIME_RE.match(text, pos)
    if not m or _is_guarded(text, pos, m.end("hour")):
        return None
    hour = _value(m["hour"])
    if hour is None or hour > 24:
        return None
    after_time_word = text.endswith(_TIME_WORDS, 0, pos)
    spoken_minute = m["minute"]
    if spoken_minute:
        # Plain digits after 点 with no 分 and no time word are a decimal: 三点一四.
        if not (m["fen"] or after_time_word or "十" in spoken_minute):
            return None
        minute = _value(spoken_minute)
        if minute is not None and minute < 60:
            written = f"{minute:02d}" if spoken_minute[0] in "零〇" else str(minute)
            return m.end(), f"{hour}点{written}{m['fen'] or ''}"
        return m.end("hour") + 1, f"{hour}点"      # 两点八十: no such minute, keep the hour
    clock_suffix = m["half"] or text.startswith(("钟", "整", "一刻", "三刻"), m.end())
    if hour == 1 and not (after_time_word or clock_suffix):
        return None                              # 快一点, 多一点: "a little"
    return m.end(), f"{hour}点{m['half'] or ''}"


def _match_decimal(text: str, pos: int) -> Hit:
    m = _DECIMAL_RE.match(text, pos)
    if not m or _is_guarded(text, pos, m.end()):
        return None
    # 三点五十 is a time (but 三点五万 is 3.5万), and 下午三点一四 is not a number we understand.
    if _char(text, m.end()) in ("十", "百", "千") or text.endswith(_TIME_WORDS, 0, pos):
        return None
    number = _number_text(m.group())
    return (m.end(), number) if number else None


def _match_amount(text: str, pos: int) -> Hit:
    m = _AMOUNT_RE.match(text, pos)
    if not m or _is_guarded(text, pos, m.end("whole")):
        return None
    # The trailing digits must stand alone: not 三块五个, 三块五十, 一块五花肉, 三度零下.
    if (m["sub"] in ("零", "〇") or _char(text, m.end()) in _RUN_SET
            or _measure_after(text, m.end()) or _PROTECTED_RE.match(text, m.start("sub"))):
        return None
    whole = _value(m["whole"])
    if whole is None:
        return None
    return m.end(), f"{_format_int(whole)}{m['unit']}{_read_digits(m['sub'])}{m['subunit'] or ''}"


def _match_cardinal(text: str, pos: int) -> Hit:
    m = _RUN_RE.match(text, pos)
    if not m:
        return None
    written = _cardinal_text(text, pos, m.end())
    return (m.end(), written) if written is not None else None


def _cardinal_text(text: str, start: int, end: int) -> Optional[str]:
    run = text[start:end]
    if _is_approximate(text, start, end):
        return None
    ordinal = _char(text, start - 1) == "第"
    if len(run) > 1 and any(c in _PLACE_SET for c in run):
        value = _value(run)
        if value is None or (ordinal and value <= 10):
            return None
        return _format_int(value)
    if len(run) == 2:
        return _two_digit_number(text, run, end)
    if len(run) > 2 or ordinal:                  # 两三四 (approximate), 第三 (small ordinal)
        return None
    value = _value(run)
    if value is None:                            # bare 百, 千, 万, 亿
        return None
    measure = _measure_after(text, end)
    is_article = run == "一" and not text.endswith(_COUNTING_CUES, 0, start)
    if measure == "unit" or (measure == "classifier" and not is_article):
        return str(value)
    if _range_partner_converts(text, end) or _in_arithmetic(text, start, end):
        return str(value)
    return None


def _two_digit_number(text: str, run: str, end: int) -> Optional[str]:
    """九八年 -> 98年, 八零后 -> 80后, 八五折 -> 85折; 三四年 / 三五年 ("three or four years") stay."""
    if not all(c in _DIGIT_VALUE for c in run) or not text.startswith(("年", "后", "折"), end):
        return None
    first, second = (_DIGIT_VALUE[c] for c in run)
    if second == first + 1 or (first, second) == (3, 5):
        return None
    return _read_digits(run)


def _range_partner_converts(text: str, end: int) -> bool:
    """三到五个: the lone 三 is a number because the other end of the range is one."""
    if _char(text, end) not in ("到", "至"):
        return False
    hit = _first_hit(text, end + 1)
    return hit is not None and hit[1] != text[end + 1:hit[0]]


def _in_arithmetic(text: str, start: int, end: int) -> bool:
    """三乘以五, 一加一等于二, 三比二: a digit next to an operator with a number on its other side."""
    for op in _OPERATORS:
        if text.startswith(op, end) and _char(text, end + len(op)) in _NUMBER_CHARS:
            return True
        if text.endswith(op, 0, start) and _char(text, start - len(op) - 1) in _NUMBER_CHARS:
            return True
    return False


_MATCHERS: tuple[Callable[[str, int], Hit], ...] = (
    _match_protected, _match_percent, _match_fraction, _match_digit_string,
    _match_date, _match_time, _match_decimal, _match_amount, _match_cardinal,
)


def _first_hit(text: str, pos: int) -> Hit:
    for matcher in _MATCHERS:
        hit = matcher(text, pos)
        if hit:
            return hit
    return None


def itn(text: str) -> str:
    """Write spoken Mandarin numbers in ``text`` as digits (see the module docstring)."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        hit = _first_hit(text, pos)
        if hit is None:
            # Skip a declined numeral run whole: restarting inside it would misread
            # its tail (二十几 must not become 二10几).
            run = _ANY_RUN_RE.match(text, pos)
            end = run.end() if run else pos + 1
            out.append(text[pos:end])
        else:
            end, written = hit
            out.append(written)
        pos = end
    return "".join(out)
