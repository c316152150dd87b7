"""Navigation and opening apps."""

from __future__ import annotations

import re

from voice.nlu.rules.common import BARE, EXACT, LIKELY_APP, TYPICAL, Context
from voice.nlu.rules.home import DEVICE_RE


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
                return EXACT if p.startswith("^(?:打开导航") or "导航" in n else TYPICAL, "navigation.start", {
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
