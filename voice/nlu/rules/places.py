"""Navigation and opening apps."""

from __future__ import annotations

import re

from voice.nlu.rules.common import BARE, EXACT, LIKELY_APP, TYPICAL, Context
from voice.nlu.rules.home import DEVICE_RE

_PLACE = re.compile(r"(?:站|机场|路|街|道|巷|公园|医院|学校|大学|中学|小学|酒店|宾馆|广场|大厦|中心|商场|超市|银行|"
                    r"公司|家|馆|店|城|市|区|县|镇|村|山|湖|寺|港|码头|小区|门|桥|楼|园|场|厅|所|局|院|部)$")


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
            # a bare "去X" with no 导航 / 带我 / 怎么走 is a plan ("去露营", "去吃饭") unless X is a place
            bare = p == patterns[1] and not re.search(r"导航|带我|前往", n)
            if bare and not _PLACE.search(dest):
                continue
            return EXACT if "导航" in n else TYPICAL, "navigation.start", {"destination": re.sub(r"的$", "", dest)}
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
