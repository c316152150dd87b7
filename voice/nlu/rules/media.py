"""Playback control, volume and music requests."""

from __future__ import annotations

import re

from voice.nlu.lexicon import GENRES, ROOMS, by_length
from voice.nlu.rules.common import EXACT, INEXACT, TYPICAL, WEAK, Context, as_said
from voice.nlu.types import Hints


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
            return EXACT, "media.control", {"action": action}
    # aimed at a room's or a named player: "客厅下一首", "暂停TV", "继续客厅的音乐" (a player the user named,
    # "客厅电视暂停", is the device rule's)
    if any(name in n for d in c.devices if d.kind in ("tv", "media_player") for name in d.names):
        return None
    for m in re.finditer(rf"({'|'.join(ROOMS)})(?:的|里的)?(?:{_PLAYERS}|{_CONTENT})?|{_PLAYERS}", n):
        rest = (n[:m.start()] + n[m.end():]).strip()
        rest = re.sub(r"台$", "首", re.sub(r"^(?:把|将|让)", "", rest))  # 下一台 / 上一台: the next channel
        for pattern, action in table:
            if rest and re.search(pattern, rest):
                slots = {"action": action}
                player = re.search(_PLAYERS, m.group(0))
                if player:
                    slots["device"] = "tv" if re.search(r"电视|tv", player.group(0), re.I) else "media_player"
                if m.group(1):
                    slots["room"] = m.group(1)
                return EXACT, "media.control", slots
    return None


_PLAYERS = r"电视机|电视|tv ?show|tv|TV|media ?player|播放器|音箱|音响"
_CONTENT = r"music|音乐|节目"  # "客厅的音乐": what plays in a room, said only with the room


def volume(c: Context):
    n = c.norm
    if not re.search(r"音量|声音|大声|小声|静音|大点声|小点声|响一点|轻一点|太吵|听不见|听不清", n):
        return None
    # 大声 / 小声 alone ask for volume only at the end ("大声点", "说话小声一点"), not inside a sentence
    # about something else ("活动大声和所谓的高手")
    if not re.search(r"音量|声音|静音|大点声|小点声|响一点|轻一点|太吵|听不见|听不清", n) and not re.search(
            r"(?:大声|小声)(?:一?点儿?|一些|些)?(?:吧|啊|呀|哦)?$", n):
        return None
    if re.search(r"取消静音|关闭静音", n):
        return TYPICAL, "volume.set", {"level": 50}
    if re.search(r"静音", n):
        return EXACT, "volume.set", {"level": 0}
    if re.search(r"最大|最响", n):
        return EXACT, "volume.set", {"level": 100}
    if re.search(r"最小|最低", n):
        return EXACT, "volume.set", {"level": 0}
    m = re.search(r"(?:调到|调成|调为|设为|设置为|设置成|设成|设到|开到|调至|到|为|是|在)(\d+)%?|(\d+)%", n)
    up = re.search(r"大|高|加|响|增|提|太小|听不见|听不清", n)
    down = re.search(r"小|低|减|降|轻|太吵|太大|太响", n)
    step = re.search(r"(?:调高|调大|加大|增大|提高|升高|调低|调小|降低|减小|减少|增加|加|减|大|小|高|低)(\d+)", n)
    if step and not m:
        value = int(step.group(1))
        return EXACT, "volume.set", {"delta": value if up and not re.search(r"低|小|减|降", step.group(0)) else -value}
    if m:
        level = int(m.group(1) or m.group(2))
        if 0 <= level <= 100:
            return EXACT, "volume.set", {"level": level}
    if up and not (down and down.start() < up.start()):
        return INEXACT, "volume.set", {"delta": 10}
    if down:
        return INEXACT, "volume.set", {"delta": -10}
    return None


def music(c: Context):
    found = _music(c)
    if found:
        score, intent, slots, *hints = found
        found = score, intent, {k: as_said(c, v) if isinstance(v, str) else v for k, v in slots.items()}, *hints
    return found


def _music(c: Context):
    n = c.norm
    # 放心 / 放弃 / 放假 / 放学 / 来自 are words of their own, never "play …"
    m = re.match(r"^(?:我想|我要|想|要|随便|随意|随机)?(?:播放|放(?!心|弃|假|学)|来(?!自)|听|唱|播|听听|放放|来来)"
                 r"(?:一首|一曲|首|一点|点|一些|些|几首|一下|个)?(.*)$", n)
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
        return EXACT, "music.play", slots
    genre = None
    for word in by_length(GENRES):
        if re.fullmatch(rf"(?:(?:一些|一点|点|些|首|一首|几首)?(?:好听的|经典的|安静的|舒缓的|欢快的)?){re.escape(word)}"
                        rf"(?:乐|音乐|歌曲|歌|的歌|风格的歌|类的歌|的音乐|曲|曲子)?", body):
            genre = GENRES[word]
            break
    if genre:
        return EXACT, "music.play", {"genre": genre}
    if re.fullmatch(r"(?:歌|音乐|首歌|歌曲|好听的歌|好听的|一首歌|点歌|点音乐|点儿音乐|随便什么|随便|随便一首|一首|"
                    r"好听的音乐|我喜欢的歌|我喜欢的音乐|我收藏的歌|几首歌|流行歌曲)?", body):
        if not m and not re.search(r"放|播|听|来|唱", n):
            return None
        if re.search(r"喜欢|收藏", body):
            return TYPICAL, "music.play", {}, Hints(favourite=True)
        return TYPICAL, "music.play", {}
    sm = re.match(r"^(.+?)的(?:歌|歌曲|音乐|新歌|老歌|歌儿|作品)$", body) or re.match(r"^(.+?)唱的(?:歌|歌曲)?$", body)
    if sm:
        return EXACT, "music.play", {"artist": sm.group(1)}
    tm = re.match(r"^([\u4e00-\u9fff]{1,4}|[a-z0-9 .&]+?)(?:唱)?的(.+?)(?:这首歌|这首|那首歌|那首|歌曲|歌)?$", body)
    if tm and m:
        return INEXACT, "music.play", {"artist": tm.group(1), "title": tm.group(2)}
    title = re.sub(r"(?:这首歌|这首|那首歌|那首|这首歌曲|歌曲)$", "", body)
    title = re.sub(r"^(?:歌曲|歌)", "", title)
    if m and title:
        verb = n[:len(n) - len(m.group(1))]
        # "来点X" / "听X" with a short unknown X: still music, lower confidence
        score = TYPICAL if re.search(r"播放|放|听|唱", verb) else WEAK
        return score, "music.play", {"title": title}
    return None
