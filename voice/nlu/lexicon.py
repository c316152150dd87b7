"""Closed vocabularies the grammar refers to: devices, rooms, units, genres, media actions."""

from __future__ import annotations

from fractions import Fraction

# said → canonical device (longest names first when matching)
DEVICES = {
    "空调": "air_conditioner", "冷气": "air_conditioner", "中央空调": "air_conditioner",
    "灯": "light", "灯光": "light", "电灯": "light", "台灯": "light", "吊灯": "light", "顶灯": "light",
    "射灯": "light", "灯带": "light", "吸顶灯": "light", "夜灯": "light", "落地灯": "light", "床头灯": "light",
    "窗帘": "curtain", "纱帘": "curtain", "遮光帘": "curtain", "百叶窗": "curtain",
    "电视": "tv", "电视机": "tv",
    "风扇": "fan", "电风扇": "fan", "电扇": "fan", "吊扇": "fan", "落地扇": "fan",
    "暖气": "heater", "取暖器": "heater", "电暖器": "heater", "暖风机": "heater", "加热器": "heater",
    "电暖气": "heater", "地暖": "heater", "小太阳": "heater",
    "加湿器": "humidifier",
    "净化器": "purifier", "空气净化器": "purifier", "空净": "purifier",
    "扫地机器人": "robot_vacuum", "扫地机": "robot_vacuum", "扫地机器": "robot_vacuum",
    "扫拖机器人": "robot_vacuum", "拖地机器人": "robot_vacuum",
    "热水器": "water_heater", "电热水器": "water_heater", "燃气热水器": "water_heater",
    "开关": "switch", "插座": "switch", "智能插座": "switch", "排插": "switch",
    "窗户": "cover", "窗子": "cover", "天窗": "cover", "车库门": "cover", "卷帘门": "cover", "闸门": "cover",
    "卷帘": "curtain", "帘子": "curtain",
    "门锁": "lock", "智能锁": "lock", "指纹锁": "lock", "大门": "lock", "前门": "lock", "后门": "lock",
    "房门": "lock", "入户门": "lock", "防盗门": "lock",
    "阀门": "valve", "水阀": "valve", "气阀": "valve", "燃气阀": "valve", "总阀": "valve",
    "音箱": "media_player", "音响": "media_player", "播放器": "media_player", "投影仪": "media_player",
    "温度计": "sensor", "温湿度计": "sensor", "传感器": "sensor", "温度传感器": "sensor",
}
DEVICE_NAMES_ZH = {
    "air_conditioner": "空调", "light": "灯", "curtain": "窗帘", "tv": "电视", "fan": "风扇",
    "heater": "取暖器", "humidifier": "加湿器", "purifier": "空气净化器", "robot_vacuum": "扫地机器人",
    "water_heater": "热水器", "switch": "开关", "cover": "窗户", "lock": "门锁", "valve": "阀门",
    "media_player": "音箱", "sensor": "传感器",
}
ROOMS = ("客厅", "卧室", "主卧", "次卧", "厨房", "书房", "卫生间", "洗手间", "浴室", "厕所", "餐厅", "饭厅",
         "阳台", "儿童房", "玄关", "走廊", "过道", "车库", "办公室", "客房", "衣帽间", "地下室", "一楼",
         "二楼", "三楼", "楼上", "楼下", "老人房", "宝宝房", "婴儿房", "主卧室", "次卧室", "大卧室", "小卧室",
         "起居室", "门厅", "花园", "院子", "会议室")

GENRES = {"爵士": "爵士", "摇滚": "摇滚", "古典": "古典", "流行": "流行", "民谣": "民谣", "说唱": "说唱",
          "嘻哈": "嘻哈", "电子": "电子", "轻音乐": "轻音乐", "纯音乐": "纯音乐", "儿歌": "儿歌",
          "钢琴曲": "钢琴曲", "乡村": "乡村", "蓝调": "蓝调", "布鲁斯": "蓝调", "金属": "金属", "国风": "国风",
          "古风": "古风", "粤语歌": "粤语", "粤语": "粤语", "英文歌": "英文", "日语歌": "日语", "韩语歌": "韩语",
          "经典老歌": "老歌", "老歌": "老歌", "情歌": "情歌", "舞曲": "舞曲", "民乐": "民乐", "戏曲": "戏曲",
          "京剧": "京剧", "相声": "相声", "r&b": "r&b", "rap": "说唱", "jazz": "爵士", "rock": "摇滚",
          # moods people ask for by feeling rather than by genre
          "轻松": "轻音乐", "放松": "轻音乐", "舒缓": "轻音乐", "安静": "轻音乐"}

# unit said → (dimension, factor to the dimension's base unit); temperature is affine, handled apart
UNITS: dict[str, tuple[str, Fraction]] = {
    # length, base metre
    "米": ("length", Fraction(1)), "公尺": ("length", Fraction(1)), "千米": ("length", Fraction(1000)),
    "公里": ("length", Fraction(1000)), "厘米": ("length", Fraction(1, 100)), "公分": ("length", Fraction(1, 100)),
    "毫米": ("length", Fraction(1, 1000)), "分米": ("length", Fraction(1, 10)),
    "英里": ("length", Fraction("1609.344")), "英尺": ("length", Fraction("0.3048")),
    "英寸": ("length", Fraction("0.0254")), "码": ("length", Fraction("0.9144")),
    "海里": ("length", Fraction(1852)), "里": ("length", Fraction(500)),
    "丈": ("length", Fraction(10, 3)), "尺": ("length", Fraction(1, 3)), "寸": ("length", Fraction(1, 30)),
    # mass, base gram
    "克": ("mass", Fraction(1)), "千克": ("mass", Fraction(1000)), "公斤": ("mass", Fraction(1000)),
    "毫克": ("mass", Fraction(1, 1000)), "吨": ("mass", Fraction(1000000)), "斤": ("mass", Fraction(500)),
    "两": ("mass", Fraction(50)), "钱": ("mass", Fraction(5)), "磅": ("mass", Fraction("453.59237")),
    "盎司": ("mass", Fraction("28.349523125")),
    # area, base square metre
    "平方米": ("area", Fraction(1)), "平米": ("area", Fraction(1)), "平方": ("area", Fraction(1)),
    "平方公里": ("area", Fraction(1000000)), "平方千米": ("area", Fraction(1000000)),
    "平方厘米": ("area", Fraction(1, 10000)), "公顷": ("area", Fraction(10000)),
    "亩": ("area", Fraction(2000, 3)), "平方英尺": ("area", Fraction("0.09290304")),
    "英亩": ("area", Fraction("4046.8564224")),
    # volume, base litre
    "升": ("volume", Fraction(1)), "公升": ("volume", Fraction(1)), "毫升": ("volume", Fraction(1, 1000)),
    "立方米": ("volume", Fraction(1000)), "加仑": ("volume", Fraction("3.785411784")),
    "立方厘米": ("volume", Fraction(1, 1000)),
    # time, base second
    "秒": ("time", Fraction(1)), "分钟": ("time", Fraction(60)), "小时": ("time", Fraction(3600)),
    "天": ("time", Fraction(86400)), "周": ("time", Fraction(604800)), "星期": ("time", Fraction(604800)),
    # speed, base metre/second
    "公里每小时": ("speed", Fraction(1000, 3600)), "米每秒": ("speed", Fraction(1)),
    "英里每小时": ("speed", Fraction("1609.344") / 3600),
    # data, base byte
    "字节": ("data", Fraction(1)), "kb": ("data", Fraction(1024)), "mb": ("data", Fraction(1024 ** 2)),
    "gb": ("data", Fraction(1024 ** 3)), "tb": ("data", Fraction(1024 ** 4)),
    "千字节": ("data", Fraction(1024)), "兆": ("data", Fraction(1024 ** 2)),
}
TEMPERATURE_UNITS = {"摄氏度": "C", "华氏度": "F", "开尔文": "K", "开氏度": "K", "℃": "C", "°c": "C",
                     "°f": "F", "度": "C"}


def by_length(names) -> list[str]:
    return sorted(names, key=len, reverse=True)
