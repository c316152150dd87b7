"""Navigation and opening apps."""

from __future__ import annotations

import re

from voice.nlu.rules.common import BARE, EXACT, LIKELY_APP, TYPICAL, Context
from voice.nlu.rules.home import DEVICE_RE

# What a bare "去X" (no 导航 / 带我 / 怎么走) goes to do rather than where: a plan, not a route
_ACTIVITY = re.compile(r"^(?:吃|喝|睡|玩|看|买|逛|洗|做|打|上班|上学|下班|放学|露营|跑步|游泳|散步|旅游|旅行|工作|学习|"
                       r"休息|钓鱼|爬山|健身|锻炼|遛|接|送|拿|取|找|办|开会|出差|约会|见|参加|度假)")


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
            if not dest or re.fullmatch(r"导航|回来", dest):
                continue
            # a bare "去X" with no 导航 / 带我 / 怎么走 is a plan when X is something to do ("去露营", "去吃饭")
            bare = p == patterns[1] and not re.search(r"导航|带我|前往", n)
            if bare and _ACTIVITY.search(dest):
                continue
            return EXACT if re.search(r"导航|带我", n) else TYPICAL, "navigation.start", {
                "destination": re.sub(r"的$", "", dest)}
    if n in ("导航", "打开导航", "开始导航", "开启导航"):
        return BARE, "navigation.start", {}
    return None


def app(c: Context):
    n = c.norm
    m = re.match(r"^(?:打开|启动|开启|运行|进入|打开一下|开|用)(.+?)(?:app|应用|软件|程序|应用程序|客户端|小程序)?$", n)
    if not m:
        return None
    name = m.group(1)
    if DEVICE_RE.search(name) or len(name) > 12 or name.startswith("导航"):
        return None
    return (LIKELY_APP if not re.search(r"app|应用|软件", n) else EXACT), "app.open", {"app": name}
