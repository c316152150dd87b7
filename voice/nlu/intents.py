"""The zh-CN grammar: one small rule per intent, ranked by score.

Why our own engine rather than hassil templates: every rule shares one normalization (script, numbers,
politeness) and one time-expression parser, so a rule only names the words that decide the intent and
where the slots are; slots that need arithmetic (time, duration, calc, units) are computed in place.
A rule returns `(score, intent, slots)`; slot keys starting with "_" are hints for the skill (e.g. "_all"
for "取消所有闹钟"), not public slots. The best score wins, ties go to the candidate with more slots. Scores:
0.95 an unambiguous command with its trigger word, 0.9 typical phrasings, 0.6–0.8 weaker evidence
(e.g. "打开X" for an app), below 0.5 nothing is claimed and the utterance is `unknown`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from voice.nlu import calc
from voice.nlu.lexicon import DEVICES, GENRES, ROOMS, by_length
from voice.nlu.numbers import as_json_number, to_int, to_number
from voice.nlu.timeexpr import TimeExpr, find_durations, find_times


@dataclass
class Context:
    norm: str  # politeness stripped
    canon: str  # before stripping
    now: datetime
    times: list[TimeExpr]
    plain: str = ""  # like norm but without ITN (numbers as said)

    def without_times(self) -> str:
        text = self.norm
        for t in sorted(self.times, key=lambda t: -t.start):
            text = text[:t.start] + text[t.end:]
        return text

    @property
    def time(self) -> TimeExpr | None:
        dated = [t for t in self.times if t.when or t.date or t.repeat]
        return max(dated, key=lambda t: t.end - t.start) if dated else None


def context(norm: str, canon: str, now: datetime, morning: bool = False, plain: str = "") -> Context:
    return Context(norm, canon, now, find_times(norm, now, morning=morning), plain)


def _time_slots(t: TimeExpr | None) -> dict:
    if t is None:
        return {}
    slots = {}
    if t.when:
        slots["time"] = t.iso()
    elif t.date:
        slots["_date"] = t.date.isoformat()
    if t.repeat:
        slots["repeat"] = t.repeat
    return slots


def _clean_label(text: str) -> str:
    return re.sub(r"^(?:的|一个|个|一下|要|记得|该|去做|一声)+|(?:的|了|一下|一声)+$", "", text)


def as_said(c: Context, text: str) -> str:
    """`text` (cut from ITN'd text) as the user said it: "会议改到3点" → "会议改到三点" when they said 三点."""
    if not re.search(r"\d", text) or not c.plain:
        return text
    pattern = "".join("[零〇一二两三四五六七八九十百千万点0-9.:%]+?" if part.isdigit() else re.escape(part)
                      for part in re.split(r"(\d+)", text) if part)
    m = re.search(pattern + "$", c.plain) or re.search(pattern, c.plain)
    return m.group(0) if m else text


# --- alarms, timers, reminders --------------------------------------------------------------------

_CANCEL = r"(?:取消|删除|删掉|删了|去掉|关掉|关闭|关了|不要|撤销|清除|清空|停掉|停止|停了|移除)"
_LIST = r"(?:有哪些|有什么|有几个|有多少|有没有|列出|查看|看看|看下|查询|查查|查一查|查|列表|几点的|都有|哪些)"
_ALL = r"(?:所有|全部|全都|都)"


def alarm(c: Context):
    n = c.norm
    if not re.search(r"闹钟|闹铃|叫醒我|叫我起床|喊我起床|叫我$|把我叫醒|起床铃", n):
        return None
    t = c.time
    slots = _time_slots(t)
    if t is not None and not t.repeat and re.search(r"(?<![这下本上])周末", n):
        slots["repeat"] = "weekends"  # an alarm "周末早上八点" rings every weekend
    tagged = re.search(r"(?:备注|标签)(?:是|为|叫)?([\u4e00-\u9fff]{1,8}?)的", c.without_times()) or \
        re.search(r"(?:备注|标签|名字|名称)(?:是|为|叫)?([\u4e00-\u9fff]{1,8}?)(?:的闹钟)?$", c.without_times())
    if re.search(_CANCEL, n) and re.search(r"闹钟|闹铃", n):
        out = {k: v for k, v in slots.items() if k in ("time", "repeat")}
        if tagged:
            out["label"] = tagged.group(1)
        if re.search(_ALL, n):
            out["_all"] = True
        return 0.95, "alarm.cancel", out
    if re.search(r"闹钟|闹铃", n) and (re.search(r"几个|哪些|有什么|什么|列表|查看|看看|有没有|都有", n) and t is None
                                     or re.search(_LIST, n) and not re.search(r"设|定|订|建|加", n)):
        return 0.93, "alarm.list", {}
    label = None
    m = re.search(r"(?:的)?([\u4e00-\u9fff]{1,6}?)(?:的)?闹钟", c.without_times())
    if m:
        candidate = _clean_label(re.sub(r"^(?:设置?|定|订|建|创建|新建|加|添加|来|整|弄)?(?:一个|个|一下)?", "",
                                        m.group(1)))
        if candidate and not re.search(r"^(?:设|定|订|建|加|添|来|帮|个|把|我|请|明|今|后|每|下|这|那|标签|备注)", candidate):
            label = candidate
    if tagged:
        label = tagged.group(1)
    if label:
        slots["label"] = label
    return 0.95, "alarm.set", slots


def timer(c: Context):
    n = c.norm
    if not re.search(r"计时|倒计时|定时器|计时器|秒表", n):
        return None
    kind = "timer.set"
    if re.search(_CANCEL, n):
        kind = "timer.cancel"
    elif re.search(r"还剩|还有多久|还有多少|剩多少|剩下|多长时间|多久|查看|看看|进度|还有几", n):
        kind = "timer.query"
    n = re.sub(r"那个|这个", "", n)
    durations = find_durations(n)
    slots = {}
    if durations:
        slots["duration_s"] = sum(d[2] for d in durations)
        label_text = n[:durations[0][0]] + n[durations[-1][1]:]
    else:
        label_text = n
    label_text = label_text.replace("倒计时", "计时")
    label_text = re.sub(rf"^(?:把)?{_CANCEL}|^把|^我的|^我", "", label_text)
    m = re.search(r"([\u4e00-\u9fff]{1,6}?)(?:的)?(?:倒计时|计时器|计时)", label_text)
    if m:
        label = _clean_label(re.sub(r"^(?:设置?|定|开始|开启|启动|开|来|创建|新建|帮)?(?:一个|个)?", "", m.group(1)))
        if label and label not in ("开始", "启动", "设置", "定", "设", "开", "看看", "查看", "查"):
            slots["label"] = label
    m = re.search(r"(?:给|为)([\u4e00-\u9fff]{1,6}?)(?:计时|倒计时|定时)", n)
    if m:
        slots["label"] = m.group(1)
    if kind != "timer.set":
        slots.pop("label", None) if slots.get("label") in ("取消", "关掉", "停止", "删除") else None
        return (0.95 if kind == "timer.cancel" else 0.93), kind, slots
    return 0.95, "timer.set", slots


def timer_bare(c: Context):
    """"10分钟后叫我" is an alarm-like reminder; "定时25分钟" / "25分钟计时" are timers (above)."""
    m = re.fullmatch(r"(?:定时|设定时|定个时|开始计时)(.*)", c.norm)
    if m:
        durations = find_durations(m.group(1))
        if durations:
            return 0.9, "timer.set", {"duration_s": sum(d[2] for d in durations)}
    return None


def reminder(c: Context):
    n = c.norm
    has_remind = re.search(r"提醒|别忘了|不要忘了|记得|备忘|待办|叫我", n)
    if not has_remind:
        return None
    negative = re.match(r"^(?:不用|不要|别|无需|不需要)(?:再)?提醒我?(.+?)(?:了)?$", n)
    if negative:
        return 0.95, "reminder.cancel", {"text": as_said(c, _clean_label(negative.group(1)))}
    setting = re.search(r"提醒我|提醒一下我|提醒下我|叫我|记得", n)
    if re.search(r"提醒|备忘|待办", n) and not re.search(_CANCEL, n) and not setting and re.search(
            r"什么|哪些|几个|列|查|看|所有|全部|多少|有没有", n):
        return 0.93, "reminder.list", {}
    if re.search(r"提醒|备忘|待办", n):
        if re.search(_CANCEL, n):
            rest = c.without_times()
            tm = re.search(rf"{_CANCEL}(?:掉)?(?:提醒我)?(.+?)的(?:那个|这个)?(?:提醒|备忘)", rest)
            out = {k: v for k, v in _time_slots(c.time).items() if k in ("time", "repeat")}
            if tm and _clean_label(tm.group(1)) not in ("所有", "全部", ""):
                out["text"] = as_said(c, _clean_label(re.sub(r"^(?:所有|全部|那个|这个)", "", tm.group(1))))
            if re.search(_ALL, n):
                out["_all"] = True
            return 0.95, "reminder.cancel", out
            return 0.95, "reminder.cancel", {k: v for k, v in _time_slots(c.time).items() if k == "time"} | (
                {"_all": True} if re.search(_ALL, n) else {})
        if re.search(_LIST, n) and not re.search(r"提醒我|提醒一下我|提醒下我", n):
            return 0.93, "reminder.list", {}
    t = c.time
    slots = _time_slots(t)
    rest = c.without_times()
    m = (re.search(r"(?:提醒我|提醒一下我|提醒下我|记得提醒我|提醒一下|叫我|提醒)(?:说|一下|一声)?(.*)", rest)
         or re.search(r"(?:别忘了|不要忘了|记得)(.*)", rest))
    text = _clean_label(m.group(1)) if m else ""
    text = re.sub(r"^(?:的|在|到时候|到时|要)+", "", text)
    if not text:
        m2 = re.match(r"(.+?)(?:的时候)?(?:要)?(?:提醒我|叫我)", rest)
        if m2:
            text = _clean_label(re.sub(r"^(?:在|到)", "", m2.group(1)))
    if text:
        slots["text"] = as_said(c, text)
    if "叫我" in n and "提醒" not in n and not t:
        return None
    return (0.97 if "提醒" in n else 0.92), "reminder.set", slots


# --- weather ----------------------------------------------------------------------------------------

_WEATHER = (r"天气|气温|下雨|下雪|有雨|有雪|刮风|大风|雾霾|空气质量|空气怎么样|冷不冷|热不热|几度|多少度|温度|"
            r"带伞|带雨伞|晴天|阴天|多云|预报|紫外线|湿度|穿什么|穿多少|降温|升温|台风|暴雨")


def weather(c: Context):
    n = c.norm
    if not re.search(_WEATHER, n):
        return None
    if re.search("|".join(by_length(DEVICES)), n) and re.search(r"温度|度", n) and not re.search(r"天气|下雨", n):
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
    return 0.9, "weather.query", slots


# --- media ------------------------------------------------------------------------------------------

def media(c: Context):
    n = c.norm
    table = [
        (r"^(?:暂停|暂停播放|停止播放|停一下|停|别放了|不要放了|别唱了|先停|暂停音乐|暂停一下|停止音乐|停止|停下|暂停歌曲|"
         r"关掉音乐|关闭音乐|别播了|音乐暂停|歌曲暂停)$", "pause"),
        (r"^(?:继续|继续播放|恢复播放|接着放|接着播|继续放|接着唱|继续唱|播放|开始播放|恢复|继续音乐|接着播放)$", "resume"),
        (r"^(?:换|切|放|播放|切到|跳到|来)?下一(?:首|曲|个)(?:歌)?$", "next"),
        (r"^(?:回到|返回|切到|放|播放|换到|回)?上一(?:首|曲)(?:歌)?$", "previous"),
        (r"^(?:先)?(?:暂停|停一下|停)(?:播放|音乐|一下)?$", "pause"),
        (r"^(?:下一首|下一曲|下一个|切歌|换一首|换一首歌|换首歌|换歌|跳过|下首|跳过这首|切到下一首|播放下一首|"
         r"放下一首|换一个|换个歌|不听这首|下一首歌|切换下一首)$", "next"),
        (r"^(?:上一首|上一曲|前一首|上首|播放上一首|放上一首|返回上一首|回到上一首|切到上一首|上一首歌|刚才那首|再放一遍刚才那首)$",
         "previous"),
    ]
    for pattern, action in table:
        if re.search(pattern, n):
            return 0.95, "media.control", {"action": action}
    return None


def volume(c: Context):
    n = c.norm
    if not re.search(r"音量|声音|大声|小声|静音|大点声|小点声|响一点|轻一点|太吵|听不见|听不清", n):
        return None
    if re.search(r"取消静音|关闭静音", n):
        return 0.9, "volume.set", {"level": 50}
    if re.search(r"静音", n):
        return 0.95, "volume.set", {"level": 0}
    if re.search(r"最大|最响", n):
        return 0.95, "volume.set", {"level": 100}
    if re.search(r"最小|最低", n):
        return 0.95, "volume.set", {"level": 0}
    m = re.search(r"(?:调到|调成|调为|设为|设置为|设置成|设成|设到|开到|调至|到|为|是|在)(\d+)%?|(\d+)%", n)
    up = re.search(r"大|高|加|响|增|提|太小|听不见|听不清", n)
    down = re.search(r"小|低|减|降|轻|太吵|太大|太响", n)
    step = re.search(r"(?:调高|调大|加大|增大|提高|升高|调低|调小|降低|减小|减少|增加|加|减|大|小|高|低)(\d+)", n)
    if step and not m:
        value = int(step.group(1))
        return 0.95, "volume.set", {"delta": value if up and not re.search(r"低|小|减|降", step.group(0)) else -value}
    if m:
        level = int(m.group(1) or m.group(2))
        if 0 <= level <= 100:
            return 0.95, "volume.set", {"level": level}
    if up and not (down and down.start() < up.start()):
        return 0.93, "volume.set", {"delta": 10}
    if down:
        return 0.93, "volume.set", {"delta": -10}
    return None


def music(c: Context):
    found = _music(c)
    if found:
        score, intent, slots = found
        found = score, intent, {k: as_said(c, v) if isinstance(v, str) else v for k, v in slots.items()}
    return found


def _music(c: Context):
    n = c.norm
    m = re.match(r"^(?:我想|我要|想|要|随便|随意|随机)?(?:播放|放|来|听|唱|播|听听|放放|来来)(?:一首|一曲|首|一点|点|一些|些|几首|一下|个)?(.*)$", n)
    if not m and not re.search(r"歌|音乐|专辑", n):
        return None
    body = m.group(1) if m else n
    body = re.sub(r"^(?:一首|首|点|一点|一些|些|几首|的)+", "", body)
    if not body and not m:
        return None
    slots: dict = {}
    am = re.match(r"^(?:(.+?)的)?专辑(.+)$", body) or re.match(r"^(.+?)的(.+?)(?:这张|那张)?专辑$", body)
    if am:
        if am.group(1):
            slots["artist"] = am.group(1)
        slots["album"] = am.group(2)
        return 0.95, "music.play", slots
    genre = None
    for word in by_length(GENRES):
        if re.fullmatch(rf"(?:(?:一些|一点|点|些|首|一首|几首)?(?:好听的|经典的|安静的|舒缓的|欢快的)?){re.escape(word)}"
                        rf"(?:乐|音乐|歌曲|歌|的歌|风格的歌|类的歌|的音乐|曲|曲子)?", body):
            genre = GENRES[word]
            break
    if genre:
        return 0.95, "music.play", {"genre": genre}
    if re.fullmatch(r"(?:歌|音乐|首歌|歌曲|好听的歌|好听的|一首歌|点歌|点音乐|点儿音乐|随便什么|随便|随便一首|一首|"
                    r"好听的音乐|我喜欢的歌|我喜欢的音乐|我收藏的歌|几首歌|流行歌曲)?", body):
        if not m and not re.search(r"放|播|听|来|唱", n):
            return None
        if re.search(r"喜欢|收藏", body):
            return 0.9, "music.play", {"_favourite": True}
        return 0.9, "music.play", {}
    sm = re.match(r"^(.+?)的(?:歌|歌曲|音乐|新歌|老歌|歌儿|作品)$", body) or re.match(r"^(.+?)唱的(?:歌|歌曲)?$", body)
    if sm:
        return 0.95, "music.play", {"artist": sm.group(1)}
    tm = re.match(r"^([\u4e00-\u9fff]{1,4}|[a-z0-9 .&]+?)(?:唱)?的(.+?)(?:这首歌|这首|那首歌|那首|歌曲|歌)?$", body)
    if tm and m:
        return 0.93, "music.play", {"artist": tm.group(1), "title": tm.group(2)}
    title = re.sub(r"(?:这首歌|这首|那首歌|那首|这首歌曲|歌曲)$", "", body)
    title = re.sub(r"^(?:歌曲|歌)", "", title)
    if m and title:
        verb = n[:len(n) - len(m.group(1))]
        # "来点X" / "听X" with a short unknown X: still music, lower confidence
        score = 0.9 if re.search(r"播放|放|听|唱", verb) else 0.7
        return score, "music.play", {"title": title}
    return None


# --- communication -------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^\+?\d[\d-]{2,}$")


def _contact_or_number(who: str) -> dict:
    who = re.sub(r"^(?:我的|我)(?=[\u4e00-\u9fff]{2})", "", who)
    who = re.sub(r"(?:的)?(?:手机号码|手机号|手机|电话号码|电话|座机|号码)$", "", who)
    digits = who.replace("-", "").lstrip("+")
    if _NUMBER_RE.match(who) and digits.isdigit():
        return {"number": digits}
    return {"contact": who} if who else {}


def call(c: Context):
    n = c.norm
    n = re.sub(r"(?:视频|语音|微信)(?=电话|通话)", "", n)
    patterns = [r"^给(.+?)打(?:一个|一通|个|通)?电话$", r"^(?:打电话|打个电话|拨个电话|打一个电话|打一通电话)给(.+)$",
                r"^(?:呼叫|拨打|拨通|拨|打给|联系|致电|call)(.+?)(?:的电话)?$", r"^(.+?)打(?:一个|个)?电话(?:给他|给她)?$",
                r"^打(.+?)的(?:手机|电话)$", r"^打(\+?\d[\d-]{2,})$", r"^和(.+?)(?:通话|打电话)$", r"^跟(.+?)打(?:个)?电话$"]
    for p in patterns:
        m = re.match(p, n)
        if m:
            slots = _contact_or_number(m.group(1))
            if slots:
                return 0.95, "call.dial", slots
    if re.fullmatch(r"(?:打电话|打个电话|拨号|拨打电话|我要打电话)", n):
        return 0.9, "call.dial", {}
    return None


_MSG = r"(?:短信|消息|信息|微信|微信消息|短消息|一条消息|条消息|个消息|一条短信|条短信|个短信|一条微信|条微信|个微信|qq消息|简讯)"


def message(c: Context):
    n = c.norm
    patterns = [rf"^给(.+?)(?:发|发送|发一|发个|发条|回)(?:一条|条|个)?{_MSG}(?:说|告诉(?:他|她)|内容是|跟(?:他|她)说|讲)?(.*)$",
                rf"^(?:发|发送|发一条|发条|发个)(?:一条|条|个)?{_MSG}(?:给|到)(.+?)(?:说|内容是|告诉(?:他|她))(.+)$",
                rf"^(?:发|发送|发一条|发条|发个)(?:一条|条|个)?{_MSG}(?:给|到)(.+)()$",
                r"^(?:告诉|通知|跟|和)(.+?)(?:说)(?:一声|一下)?(.+)$",
                r"^(?:告诉|通知)([\u4e00-\u9fff]{1,4}?)((?:我|你|他|她|我们|今天|明天|晚上|下午|上午|待会|等会|马上).+)$", rf"^(?:用微信|微信)(?:告诉|通知|跟)(.+?)(?:说)?(.+)$",
                r"^(?:回复|回)(.+?)(?:说)(.+)$"]
    for p in patterns:
        m = re.match(p, n)
        if m:
            slots = {}
            who = m.group(1)
            if who:
                slots.update(_contact_or_number(who))
            text = as_said(c, m.group(2).strip()) if m.lastindex and m.lastindex >= 2 else ""
            if text:
                slots["text"] = text
            return 0.95, "message.send", slots
    if re.fullmatch(rf"(?:发|发送|发个|发条|发一条)(?:一条|条|个)?{_MSG}", n):
        return 0.9, "message.send", {}
    return None


# --- smart home -------------------------------------------------------------------------------------

_DEVICE_RE = re.compile("|".join(by_length(DEVICES)))
_ROOM_RE = re.compile("|".join(by_length(ROOMS)))
_ON = r"打开|开启|启动|开开|点亮|亮起|拉开|开始|开一下|开着|运行|扫地|扫一下|打扫|清扫|开"
_OFF = r"关闭|关掉|关上|关了|熄灭|拉上|合上|停止|停掉|暂停|关|灭"
_SET = r"调到|调成|调为|设为|设置为|设置成|设成|设到|开到|调至|定到|设定为|设定到|调在|设置到|改到|改成|调整到|调整为"
_UP = r"调高|升高|调亮|调大|加大|增大|提高|升温|加强|高一点|亮一点|大一点|热一点|强一点|高点|亮点|大点|暖和一点|再高|再亮|再大|加热"
_DOWN = r"调低|降低|调暗|调小|减小|降温|减弱|低一点|暗一点|小一点|凉一点|弱一点|冷一点|低点|暗点|小点|凉快一点|再低|再暗|再小"


def device(c: Context):
    n = c.norm
    dm = _DEVICE_RE.search(n)
    if not dm:
        return None
    name = dm.group(0)
    dev = DEVICES[name]
    slots: dict = {"device": dev}
    room = _ROOM_RE.search(n)
    if room:
        slots["room"] = room.group(0)
    else:
        rm = re.search(rf"(?:把|将)?([\u4e00-\u9fff]{{2,4}}?)(?:的|里的|里面的|里)(?:{re.escape(name)})", n)
        if rm and not re.search(rf"^(?:{_ON}|{_OFF}|帮|给|请|所有|全部|家里|家)", rm.group(1)):
            slots["room"] = rm.group(1)
    value = None
    unit = None
    vm = re.search(r"(-?\d+(?:\.\d+)?|[一二两三四五六七八九十]+)(度|%|档|级)", n) or re.search(r"(?:温度|亮度|风速)(?:调到|设为|到|为)?(-?\d+(?:\.\d+)?)", n)
    if vm:
        value = as_json_number(to_number(vm.group(1)))
        suffix = vm.group(2) if vm.lastindex and vm.lastindex >= 2 else ("度" if "温度" in vm.group(0) else "%")
        unit = {"度": "celsius", "%": "percent", "档": "level", "级": "level"}[suffix]
        if suffix == "度" and dev == "light":
            unit = "percent"
    action = None
    n = n.replace(name, "#")  # "扫地机器人" must not read as the verb 扫地
    if re.search(_SET, n) and value is not None:
        action = "set"
    elif re.search(_UP, n):
        action = "up"
    elif re.search(_DOWN, n):
        action = "down"
    elif value is not None and re.search(r"#(?:温度)?(?:调|开|设|定)?(?:到|在|成)?-?\d", n):
        action = "set"
    elif re.search(_OFF, n) and not re.search(r"开始", n):
        off = re.search(_OFF, n)
        on = re.search(_ON, n)
        action = "off" if not on or off.start() <= on.start() or on.group(0) == "开" else "on"
        if dev == "curtain" and re.search(r"拉开", n):
            action = "on"
    elif re.search(_ON, n):
        action = "on"
    if action is None:
        return None
    slots["action"] = action
    if value is not None:
        slots["value"] = value
        slots["unit"] = unit
    return 0.95, "device.control", slots


# --- time and date ----------------------------------------------------------------------------------

def time_query(c: Context):
    n = c.norm
    if re.fullmatch(r"(?:看下|看看|查下|查查|告诉我|报一下|问下|问问|说下)?(?:现在|目前|当前|此刻)?(?:的)?(?:是)?(?:北京)?"
                    r"(?:几点|几点钟|几点几分|什么时间|时间|什么时候了)(?:了|啦|呀)?", n):
        return 0.95, "time.query", {}
    if re.fullmatch(r"(?:现在|目前|当前|此刻|北京时间)?(?:是)?(?:几点|几点钟|几点几分|什么时间|什么时候|时间|多少点)(?:了|啦)?"
                    r"(?:现在)?|报时|看看时间|查时间|告诉我时间|现在时间|现在的时间|(?:现在)?时间是多少|几点了", n):
        return 0.95, "time.query", {}
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
        return 0.6, "date.query", {"date": c.now.date().isoformat()}
    return 0.95, "date.query", slots


# --- calculation ------------------------------------------------------------------------------------

def calculate(c: Context):
    n = c.norm
    body = re.sub(r"^(?:算算|算一算|计算|算|帮我算|请问)+", "", n)
    body = re.sub(r"(?:等于几|等于多少|等于|是多少|是几|得多少|得几|多少|几|结果|=\?*|=)+$", "", body)
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
        return 0.9, "calc.evaluate", {"expression": calc.expression_text(tokens), "_error": str(exc)}
    return 0.95, "calc.evaluate", {"expression": calc.expression_text(tokens),
                                   "result": as_json_number(result, 4)}


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
    return 0.95, "unit.convert", {"value": as_json_number(value, 4), "from_unit": src, "to_unit": dst,
                                  "result": as_json_number(result, 2)}


# --- navigation, apps, dialog, chit-chat ----------------------------------------------------------

def navigation(c: Context):
    n = c.norm
    patterns = [r"^(?:去|到)(.+?)(?:帮我|给我|请)?(?:导航|开导航)$",
                r"^(?:打开导航|开启导航|开始导航|开导航)?(?:导航|带我)?(?:到|去|至|前往)(.+?)$",
                r"^(?:打开导航|开启导航|开始导航|开导航)?(?:导航|带我)(?:到|去|至|前往)?(.+?)$", r"^(?:去|到)(.+?)(?:怎么走|怎么去|的路线|的路|怎么坐车)$",
                r"^(.+?)怎么走$", r"^怎么(?:去|到)(.+)$", r"^(?:开车|骑车|步行|走路)(?:去|到)(.+)$",
                r"^(?:规划|查)(?:一下)?(?:去|到)(.+?)的路线$", r"^(?:前往|出发去)(.+)$"]
    for p in patterns:
        m = re.match(p, n)
        if m:
            dest = re.sub(r"(?:的路线|路线|的路|怎么走|怎么去)$", "", m.group(1))
            dest = re.sub(r"^(?:去|到)|^回(?=家|公司|学校|酒店)", "", dest)
            if dest and not re.fullmatch(r"导航|回来", dest):
                return 0.95 if p.startswith("^(?:打开导航") or "导航" in n else 0.9, "navigation.start", {
                    "destination": re.sub(r"的$", "", dest)}
    if n in ("导航", "打开导航", "开始导航", "开启导航"):
        return 0.8, "navigation.start", {}
    return None


def app(c: Context):
    n = c.norm
    m = re.match(r"^(?:打开|启动|开启|运行|进入|打开一下|开|用)(.+?)(?:app|应用|软件|程序|应用程序|客户端|小程序)?$", n)
    if not m:
        return None
    name = m.group(1)
    if _DEVICE_RE.search(name) or len(name) > 12 or name.startswith("导航"):
        return None
    return (0.85 if not re.search(r"app|应用|软件", n) else 0.95), "app.open", {"app": name}


def dialog_cancel(c: Context):
    if re.fullmatch(r"(?:算了|取消|不用了|不要了|没事了|没事|退出|结束|停止|闭嘴|别说了|不需要了|没什么|不用|不要|"
                    r"算了算了|好了不用了|取消吧|算了吧|不用了谢谢|没有了|就这样|先这样|不说了|安静|别吵|刚才说的不算|说错了|当我没说|"
                    r"不对不对|没事没事|不用麻烦了|忘了吧|取消取消)", c.canon or c.norm):
        return 0.95, "dialog.cancel", {}
    return None


_CHITCHAT = (r"你好|您好|嗨|哈喽|hello|hi|hey|早上好|早安|中午好|下午好|晚上好|晚安|谢谢|谢谢你|多谢|辛苦了|"
             r"你是谁|你叫什么|你叫什么名字|你几岁|你多大|你多大了|你真棒|你真聪明|你好聪明|好厉害|我爱你|我喜欢你|你喜欢我吗|"
             r"讲个笑话|说个笑话|讲笑话|来个笑话|你会做什么|你能做什么|你会干什么|你有什么功能|你在吗|在吗|在不在|再见|拜拜|"
             r"好的|好|嗯|哈哈|哈哈哈|你是机器人吗|你是男的还是女的|你吃饭了吗|我好无聊|我很无聊|无聊|我心情不好|我好累|"
             r"陪我聊天|聊聊天|聊天|你好啊|你在干嘛|你在干什么|你真可爱|夸夸我|唱首歌给我听|晚安啦|我回来了|我出门了|早")


def chitchat(c: Context):
    if re.fullmatch(rf"(?:{_CHITCHAT})(?:{_CHITCHAT})*", c.canon or c.norm) or re.fullmatch(rf"(?:{_CHITCHAT})", c.norm):
        return 0.9, "chitchat", {}
    return None


RULES = (alarm, timer, timer_bare, reminder, weather, media, volume, music, call, message, device,
         time_query, date_query, calculate, convert, navigation, app, dialog_cancel, chitchat)
