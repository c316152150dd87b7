"""Words about the conversation itself: never mind (a dismissal), small talk, and questions about traffic
(understood, so the answer can be honest about having no traffic source)."""

from __future__ import annotations

import re

from voice.nlu.rules.common import EXACT, TYPICAL, WRAPPER, Context


def dialog_cancel(c: Context):
    if re.fullmatch(r"(?:算了|取消|不用了|不要了|没事了|没事|退出|结束|停止|闭嘴|别说了|不需要了|没什么|不用|不要|"
                    r"算了算了|好了不用了|取消吧|算了吧|不用了谢谢|没有了|就这样|先这样|不说了|安静|别吵|刚才说的不算|说错了|当我没说|"
                    r"不对不对|没事没事|不用麻烦了|忘了吧|取消取消|没事儿|没事儿了|退下|你退下|退下吧|你退下吧|下去吧|"
                    r"没你的事了|没你事了|好了没事了|行了|好了|去吧|你忙吧|没什么事|没别的事了|就这些|没有别的了|"
                    r"再见吧|拜拜吧|没关系|没关系的)[。！!]?", c.canon or c.norm):
        return EXACT, "dialog.cancel", {}
    return None


_CHITCHAT = (r"你好|您好|嗨|哈喽|hello|hi|hey|早上好|早安|中午好|下午好|晚上好|晚安|谢谢|谢谢你|多谢|辛苦了|"
             r"你是谁|你叫什么|你叫什么名字|你几岁|你多大|你多大了|你真棒|你真聪明|你好聪明|好厉害|我爱你|我喜欢你|你喜欢我吗|"
             r"(?:再)?(?:讲|说|来)(?:一)?个笑话|讲笑话|你(?:都|还)?(?:会|能)(?:做|干)(?:些|点)?什么|你有什么功能|你在吗|在吗|在不在|再见|拜拜|"
             r"好的|好|嗯|哈哈|哈哈哈|你是机器人吗|你是男的还是女的|你吃饭了吗|我好无聊|我很无聊|无聊|我心情不好|我好累|"
             r"陪我聊天|聊聊天|聊天|你好啊|你在干嘛|你在干什么|你真可爱|夸夸我|唱首歌给我听|晚安啦|我回来了|我出门了|早|"
             # questions about the assistant itself: how it is, what it likes
             r"你(?:今天|最近|这几天)?(?:过得|心情|感觉)?(?:怎么样|好吗|还好吗|好不好)|"
             r"你(?:最)?喜欢(?:吃|喝|做|干|看|听|玩|去)?(?:什么|哪里|谁)")


def chitchat(c: Context):
    # "给我讲个笑话吧": who it is for and the closing particle do not change the small talk
    core = re.sub(r"[吧呀啊嘛哦呗]+$", "", re.sub(r"^(?:给我|跟我|和我|为我)(?=讲|说|唱|来)", "", c.norm))
    if re.fullmatch(rf"(?:{_CHITCHAT})(?:{_CHITCHAT})*", c.canon or c.norm) or re.fullmatch(rf"(?:{_CHITCHAT})", core):
        return TYPICAL, "chitchat", {}
    return None


_ROAD = r"堵不堵|堵吗|堵$|好走$|堵车|塞车|塞不塞|堵得厉害|路况|交通(?:情况|状况)?(?:怎么样|如何|好不好)|好走吗|好不好走|路上车多不多|拥堵"


def traffic(c: Context):
    """"回家的路上堵不堵" / "去公司堵车吗" / "现在路况怎么样": the destination, if one was said."""
    n = c.norm
    # about roads and driving, not a blocked nose, a drain or "一路好走"
    if not re.search(_ROAD, n) or not re.search(r"路|车|交通|高架|高速|环|桥|隧道|回家|去|到|上班|下班", n) \
            or re.search(r"一路|鼻|下水|马桶|心里|心口|胸|^你路上|慢走", n):
        return None
    slots = {}
    m = re.search(r"(?:去|到|回|往)([\u4e00-\u9fff]{1,10}?)(?:的路上?|的路况|路上|方向|那边|这条路)?(?:" + _ROAD + ")", n)
    if m:
        dest = re.sub(r"(?:的路上?|路上|的)$", "", m.group(1))
        slots["destination"] = "家" if n[m.start()] == "回" and dest == "家" else dest
    return WRAPPER, "traffic.query", slots  # a question about the road, over the navigation it names
