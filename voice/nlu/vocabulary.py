"""Words the assistant knows, for sound-alike repair and recognizer biasing.

`Vocabulary.build(profile, library)` gathers: the grammar's trigger words (below, by intent family), the
lexicon's devices, rooms and genres, well-known apps, cities, artists and family terms (below), and what
this user has: contacts and their aliases, favourite artists, the home city, the music library's artists
and titles. `known(kind, value)` tells whether a slot value is one of them: a reading whose slots are all
known is a better reading than one with a name nobody has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voice.nlu.lexicon import DEVICES, GENRES, ROOMS

# The words each rule keys on, as a user says them. A misheard trigger word is the commonest failure.
TRIGGERS = (
    # clock
    "闹钟", "叫我起床", "叫醒我", "倒计时", "计时", "计时器", "定时器", "定时", "提醒我", "提醒", "取消",
    # weather
    "天气", "下雨", "下雪", "冷不冷", "热不热", "气温", "温度", "带伞",
    # media and volume
    "播放", "暂停", "暂停播放", "继续播放", "下一首", "上一首", "换一首", "一首", "放一首", "音乐", "歌",
    "音量", "声音", "静音", "大一点", "小一点", "调到", "调大", "调小",
    # calls and messages (a dictated message follows 说: with the verb before it, a misheard 说我 is found)
    "打电话", "给", "发微信", "发短信", "发消息", "告诉", "说我", "发微信说我", "发短信说我", "发消息说我",
    # home, and questions about its state
    "打开", "关闭", "关掉", "拉上", "拉开", "开始打扫", "全部", "把", "调高", "调低", "开着", "关着", "锁上",
    "锁好", "解锁", "开着吗", "关了吗", "锁了吗", "回去充电", "调成", "亮度",
    # timers
    "暂停计时", "继续计时", "计时器加", "还剩多久",
    # info
    "几点", "现在几点", "几号", "几月几号", "星期几", "加", "减", "乘以", "除以", "等于", "多少", "是多少",
    # places
    "导航", "导航到", "怎么走", "怎么去", "最近的",
    # small talk, dismissals, traffic
    "你叫什么名字", "什么", "讲个笑话", "没事了", "退下吧", "不用了", "堵不堵", "路况", "堵车",
    # question tails: three syllables give the matcher more to go on than 几 or 多少 alone
    "等于几", "等于多少", "是多少",
)

# Whole short commands people say as they are: an utterance of three to six syllables that was not
# understood is also compared with these as a whole (拔充你辣香 → 把窗帘拉上), where a longer phrase gives the
# matcher more to go on than any of its words alone.
COMMANDS = (
    "把窗帘拉上", "把窗帘拉开", "把窗帘打开", "把窗帘关上", "打开窗帘", "关上窗帘", "拉上窗帘", "拉开窗帘",
    "把灯打开", "把灯关掉", "把灯关了", "打开灯", "打开空调", "关闭空调", "关掉空调",
    "打开电视", "关掉电视", "关闭电视", "打开风扇", "关掉风扇", "开始打扫", "暂停播放", "继续播放", "停止播放",
    "下一首", "上一首", "换一首", "声音大一点", "声音小一点", "大声一点", "小声一点", "音量调大", "音量调小",
    "现在几点", "现在几点了", "今天几号", "今天星期几", "明天星期几", "外面冷不冷", "要带伞吗",
    "明天下雨吗", "取消闹钟", "取消所有闹钟", "关掉闹钟", "有哪些闹钟", "导航回家",
    "导航去公司", "你叫什么名字", "讲个笑话", "放首歌", "来点音乐", "播放音乐", "停止计时", "取消计时",
)
APPS = ("微信", "支付宝", "淘宝", "抖音", "快手", "相机", "相册", "地图", "高德地图", "百度地图", "美团", "京东",
        "拼多多", "微博", "设置", "日历", "时钟", "计算器", "备忘录", "网易云音乐", "酷狗音乐", "哔哩哔哩",
        "小红书", "钉钉", "飞书", "滴滴", "饿了么", "爱奇艺", "优酷", "腾讯视频", "知乎", "今日头条", "浏览器",
        "短信", "通讯录", "邮件", "手电筒", "录音机", "钱包", "云闪付", "携程", "百度", "闲鱼", "大众点评")
CITIES = ("北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "武汉", "成都", "西安", "长沙",
          "郑州", "济南", "青岛", "沈阳", "大连", "哈尔滨", "长春", "石家庄", "太原", "合肥", "南昌", "福州",
          "厦门", "昆明", "贵阳", "南宁", "海口", "三亚", "兰州", "西宁", "银川", "乌鲁木齐", "拉萨", "呼和浩特",
          "宁波", "无锡", "温州", "东莞", "佛山", "珠海", "香港", "澳门", "台北")
ARTISTS = ("周杰伦", "王菲", "邓紫棋", "林俊杰", "陈奕迅", "薛之谦", "张学友", "刘德华", "李荣浩", "毛不易",
           "五月天", "蔡依林", "孙燕姿", "张惠妹", "王力宏", "陶喆", "许嵩", "汪峰", "朴树", "李健", "赵雷",
           "周深", "华晨宇", "张杰", "邓丽君", "李宗盛", "罗大佑", "齐秦", "那英", "田馥甄", "梁静茹", "莫文蔚",
           "张韶涵", "杨千嬅", "容祖儿", "谢霆锋", "郭富城", "黎明", "Beyond", "刀郎", "凤凰传奇", "周华健")
# Family and work terms people call by (a contact list usually names them so).
KIN = ("妈妈", "爸爸", "老妈", "老爸", "老婆", "老公", "媳妇", "儿子", "女儿", "哥哥", "姐姐", "弟弟", "妹妹",
       "爷爷", "奶奶", "外公", "外婆", "姥姥", "姥爷", "舅舅", "小舅", "舅妈", "叔叔", "婶婶", "阿姨", "姑姑",
       "姑妈", "姨妈", "伯伯", "大伯", "表哥", "表姐", "表弟", "表妹", "老板", "老师", "经理", "同事", "宝贝")
# 小/老 + a common surname is how colleagues and friends are called (小李, 老王): known as contacts even
# before a contact list exists, so that 小礼 → 小李 has something to match.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢"
NICKNAMES = tuple(f"{p}{s}" for s in SURNAMES for p in "小老")
# Less common surnames: a name that starts with one still looks like a name (钟子昂, 滕欣悦, 司马晓东)
MORE_SURNAMES = ("姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
                 "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
                 "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连"
                 "芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞"
                 "敖巩明佘池查麻苑迟邝")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "慕容", "令狐", "皇甫", "尉迟", "长孙", "夏侯", "公孙")


def looks_like_name(value: str) -> bool:
    """Whether a contact nobody has yet is at least shaped like a name: a kin term, 小/老 + surname, or a
    surname with one or two characters after it (张伟, 王经理, 司马晓东). A shape, not a dictionary: 马上
    passes too; it only keeps rewrites from calling "上狼犀的红豆"."""
    if not isinstance(value, str) or not 2 <= len(value) <= 4 or not all("\u4e00" <= ch <= "\u9fff" for ch in value):
        return False
    if value in KIN or value in NICKNAMES:
        return True
    rest = value[2:] if value[:2] in COMPOUND_SURNAMES else value[1:] if value[0] in SURNAMES + MORE_SURNAMES else None
    return rest is not None and 1 <= len(rest) <= 2
# A trigger with its value is one longer phrase (给妈妈, 打开支付宝, 空调调到): more syllables to compare, so
# a mishearing of the short trigger (姐妈妈, 下开支付宝) is still found when the value was heard right.
BEFORE_CONTACT = ("给", "打给", "打电话给")
BEFORE_APP = ("打开",)
BEFORE_DEVICE = ("打开", "关掉", "关闭", "把")
AFTER_DEVICE = ("调到", "开着", "关了")


@dataclass
class Vocabulary:
    phrases: tuple[str, ...]  # everything a span may be repaired to, longest first
    values: dict[str, frozenset[str]] = field(default_factory=dict)  # slot kind → known values
    user: tuple[str, ...] = ()  # this user's own names, most important first
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)  # trigger+value phrase → value's span
    commands: tuple[str, ...] = COMMANDS  # whole short commands (see COMMANDS)

    def known(self, kind: str, value) -> bool:
        return isinstance(value, str) and value in self.values.get(kind, frozenset())

    def name_span(self, phrase: str) -> tuple[int, int] | None:
        """Where `phrase` holds one of the user's own names (a contact, an artist, the home city, a title of
        the music library), if it does."""
        a, b = self.parts.get(phrase, (0, len(phrase)))
        return (a, b) if phrase[a:b] in self.user else None

    def answers(self, expects: str | None, limit: int = 16) -> list[str]:
        """Words that answer the question just asked ("要打给谁？" → contacts and kin terms, "哪个城市？" →
        cities), for the recognizer's prompt of the next utterance; none for times, numbers or free text."""
        if expects == "contact":
            return [*self.user, *(k for k in KIN if k not in self.user)][:limit]
        if expects == "city":
            return sorted(self.values.get("city", ()), key=lambda c: (c not in self.user, CITIES.index(c)
                                                                       if c in CITIES else 0))[:limit]
        return []

    def hotwords(self, limit: int = 24) -> list[str]:
        """The user's own names (contacts, artists, home city, library), for the recognizer's prompt."""
        return list(self.user[:limit])

    @classmethod
    def build(cls, profile=None, library_artists=(), library_titles=()) -> Vocabulary:
        contacts: list[str] = []
        user: list[str] = []
        artists = list(ARTISTS)
        cities = list(CITIES)
        if profile is not None:
            for c in profile.contacts:
                contacts += [c.name, *c.aliases]
            artists += profile.favourite_artists
            if profile.home_city:
                cities.append(profile.home_city)
            user = profile.hotwords()
        own_devices = [n for d in profile.devices for n in d.names] if profile is not None else []
        own_rooms = [d.room for d in profile.devices if d.room] if profile is not None else []
        artists += [a for a in library_artists if a]
        titles = [t for t in library_titles if t]
        user += [*library_artists, *titles]
        people = [*contacts, *KIN, *NICKNAMES]
        devices = [d for d in DEVICES if len(d) <= 3] + [n for n in own_devices if len(n) <= 4]
        parts: dict[str, tuple[int, int]] = {}  # composite → where its value is
        for before, names in ((BEFORE_CONTACT, people), (BEFORE_APP, APPS), (BEFORE_DEVICE, devices)):
            parts.update({f"{t}{v}": (len(t), len(t) + len(v)) for t in before for v in names if not v.isascii()})
        parts.update({f"{d}{t}": (0, len(d)) for t in AFTER_DEVICE for d in devices})
        values = {
            "contact": frozenset(people),
            "artist": frozenset(artists),
            "title": frozenset(titles),
            "app": frozenset(APPS),
            "city": frozenset(cities),
            "room": frozenset([*ROOMS, *own_rooms]),
            "name": frozenset(own_devices),
            "genre": frozenset(GENRES),
        }
        words = [*TRIGGERS, *DEVICES, *ROOMS, *(g for g in GENRES if not g.isascii()), *APPS, *cities, *artists,
                 *titles, *people, *parts, *own_devices, *own_rooms]
        phrases = tuple(sorted({w for w in words if w and not w.isascii()}, key=len, reverse=True))
        return cls(phrases, values, tuple(dict.fromkeys(user)), parts)
