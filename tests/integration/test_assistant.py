"""The assistant end to end: skills with real SQLite state, the scheduler, multi-turn dialog, the CLI, and
the weather and LLM fallbacks against real HTTP servers on 127.0.0.1 started here (the LLM server is a
stand-in that streams a fixed answer: no Chinese LLM installs from the registries, see FACTS)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
import soundfile as sf

from voice.dialog.assistant import Assistant
from voice.profile import Contact, LLMConfig, Profile, save_profile
from voice.skills.scheduler import Scheduler
from voice.skills.store import Store

NOW = datetime(2026, 11, 27, 10, 0)


@pytest.fixture
def assistant(tmp_path):
    profile = Profile(home_city="杭州", contacts=[Contact("王建国", "13800138000", ["老王"]),
                                                 Contact("李梅", "13900000000", ["妈妈", "老妈"])],
                      favourite_artists=["周杰伦"], wake_time="06:30")
    with Assistant(profile, tmp_path / "a.db") as a:
        yield a


class _Server:
    def __init__(self, handler):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


class WeatherHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        q = parse_qs(urlparse(self.path).query)
        self.server.requests.append(q)
        body = json.dumps({"condition": "小雨" if q["date"][0] == "2026-11-29" else "晴",
                           "temp_min": -2, "temp_max": 9}, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


class ChatHandler(BaseHTTPRequestHandler):
    answer = ["天空看起来是蓝色，", "是因为空气分子", "更容易散射蓝光。", "**详见** https://example.org"]

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in self.answer:
            event = {"choices": [{"delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *a):
        pass


# --- alarms, timers, reminders, scheduler ----------------------------------------------------------


def test_alarm_set_list_cancel_with_confirmation(assistant):
    t = assistant.ask("明天早上七点叫我起床", NOW)
    assert t.reply.text == "好的，已为您设置明天早上7点的闹钟"
    assert t.reply.action["time"] == "2026-11-28T07:00"
    assistant.ask("每个工作日早上六点半的闹钟", NOW)
    listed = assistant.ask("我有哪些闹钟", NOW)
    assert len(listed.reply.data["alarms"]) == 2 and "2个闹钟" in listed.reply.text
    ask = assistant.ask("取消所有闹钟", NOW)
    assert ask.reply.expects == "confirm" and len(assistant.store.items("alarms")) == 2
    done = assistant.ask("确定", NOW)
    assert done.intent.intent == "alarm.cancel" and assistant.store.items("alarms") == []


def test_confirmation_can_be_declined(assistant):
    assistant.ask("明天早上七点叫我起床", NOW)
    assistant.ask("后天早上八点叫我起床", NOW)
    assert assistant.ask("删除所有闹钟", NOW).reply.expects == "confirm"
    assert assistant.ask("不要", NOW).intent.intent == "dialog.cancel"
    assert len(assistant.store.items("alarms")) == 2


def test_cancel_by_day_keeps_the_other_days(assistant):
    assistant.ask("明天早上七点叫我起床", NOW)
    assistant.ask("后天早上八点叫我起床", NOW)
    done = assistant.ask("取消明天的闹钟", NOW)
    assert done.intent.slots == {} and done.intent.hints.date == "2026-11-28"
    assert [a["time"] for a in assistant.store.items("alarms")] == ["2026-11-29T08:00:00"]


def test_day_given_after_the_question_survives_the_turn(assistant):
    first = assistant.ask("提醒我交电费", NOW)
    assert first.reply.expects == "time"
    second = assistant.ask("明天", NOW + timedelta(seconds=20))
    assert second.intent.intent == "reminder.set" and second.intent.hints.date == "2026-11-28"
    assert second.reply.action["time"] == "2026-11-28T09:00"  # a day without a clock: 9 o'clock


def test_missing_slot_is_asked_for_then_filled(assistant):
    first = assistant.ask("设个闹钟", NOW)
    assert first.reply.expects == "time" and "几点" in first.reply.text
    second = assistant.ask("七点", NOW + timedelta(seconds=30))
    assert second.intent.intent == "alarm.set"
    assert second.reply.action["time"] == "2026-11-28T07:00"  # an alarm's bare hour is the morning


def test_wake_time_from_profile(assistant):
    t = assistant.ask("明天叫我起床", NOW)
    assert t.reply.action["time"] == "2026-11-28T06:30"


def test_timer_and_reminder_fire_from_the_scheduler(assistant):
    assistant.ask("倒计时三分钟", NOW)
    assistant.ask("半小时后提醒我关火", NOW)
    assistant.ask("每天晚上十点提醒我吃药", NOW)
    q = assistant.ask("计时器还剩多久", NOW + timedelta(minutes=1))
    assert "2分钟" in q.reply.text
    sched = Scheduler(assistant.store)
    assert sched.due(NOW + timedelta(minutes=2)) == []
    fired = sched.due(NOW + timedelta(minutes=31))
    assert [(f.kind, f.text) for f in fired] == [("timer", "计时结束了"), ("reminder", "提醒您：关火")]
    fired = sched.due(datetime(2026, 11, 27, 22, 0))
    assert [f.text for f in fired] == ["提醒您：吃药"]
    # a daily reminder moves to tomorrow instead of disappearing
    assert [r["time"] for r in assistant.store.items("reminders")] == ["2026-11-28T22:00:00"]
    assert sched.due(datetime(2026, 11, 27, 23, 0)) == []


def test_state_survives_restart(tmp_path):
    db = tmp_path / "a.db"
    with Assistant(Profile(), db) as a:
        a.ask("下周三上午十点提醒我交报告", NOW)
    with Assistant(Profile(), db) as a:
        listed = a.ask("我有什么提醒", NOW)
    assert [r["text"] for r in listed.reply.data["reminders"]] == ["交报告"]


_WRITER = """
import sys
from datetime import datetime
from voice.skills.store import Store
store = Store(sys.argv[1])
for i in range(100000):
    store.add("alarms", datetime(2026, 11, 28, 7, 0), label=f"a{i}" * 50)
    print(i + 1, flush=True)
"""


def test_kill_9_mid_write_leaves_a_consistent_database(tmp_path):
    db = tmp_path / "k.db"
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    committed = 0
    try:
        while committed < 300:
            line = proc.stdout.readline()
            assert line, "writer died early"
            committed = int(line)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute("SELECT COUNT(*) FROM alarms").fetchone()[0]
    conn.close()
    assert rows >= committed  # everything reported as committed is there (and nothing half-written)
    with Store(db) as store:
        assert len(store.items("alarms")) == rows


# --- information, actions, profile -------------------------------------------------------------


def test_contacts_resolve_aliases(assistant):
    t = assistant.ask("给老王打个电话", NOW)
    assert t.reply.action == {"type": "call.dial", "contact": "王建国", "number": "13800138000", "resolved": True}
    t = assistant.ask("给妈妈发消息说我到家了", NOW)
    assert t.reply.action == {"type": "message.send", "to": "李梅", "text": "我到家了", "number": "13900000000"}
    t = assistant.ask("给张三打电话", NOW)
    assert t.reply.action["resolved"] is False and "没有找到" in t.reply.text


def test_device_and_date_replies(assistant):
    t = assistant.ask("把卧室空调调到二十六度", NOW)
    assert t.reply.text == "好的，卧室的空调调到26度"
    assert t.reply.action == {"type": "device.control", "device": "air_conditioner", "room": "卧室",
                              "action": "set", "value": 26, "unit": "celsius"}
    d = assistant.ask("中秋节是哪天", NOW)
    assert d.reply.text.startswith("2027年9月15日，星期三") and "农历八月十五" in d.reply.text
    assert "星期五" in assistant.ask("今天星期几", NOW).reply.text
    assert assistant.ask("九十八华氏度是多少摄氏度", NOW).reply.text == "98华氏度等于36.67摄氏度"


def test_music_library_search(tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    tone = (0.1 * np.sin(np.linspace(0, 440 * 2 * np.pi, 8000))).astype("float32")
    for name, title, artist, album in [("a.flac", "晴天", "周杰伦", "叶惠美"), ("b.flac", "红豆", "王菲", "唱游")]:
        with sf.SoundFile(music / name, "w", 8000, 1, format="FLAC") as f:
            f.title, f.artist, f.album = title, artist, album
            f.write(tone)
    sf.write(music / "陈奕迅 - 十年.wav", tone, 8000)
    with Assistant(Profile(music_dir=str(music), favourite_artists=["王菲"]), tmp_path / "m.db") as a:
        t = a.ask("播放周杰伦的晴天", NOW)
        assert t.reply.action["tracks"] == [str(music / "a.flac")] and t.reply.text == "好的，为您播放周杰伦的晴天"
        assert a.ask("放一首十年", NOW).reply.action["artist"] == "陈奕迅"
        assert a.ask("放点我喜欢的歌", NOW).reply.action["title"] == "红豆"
        miss = a.ask("播放林俊杰的江南", NOW)
        assert miss.reply.action is None and "没有找到" in miss.reply.text


# --- weather and dialog follow-ups -------------------------------------------------------------------


def test_weather_from_a_configured_http_provider_and_follow_ups(tmp_path):
    server = _Server(WeatherHandler)
    try:
        profile = Profile(home_city="杭州", weather_url=server.url + "/w?city={city}&date={date}")
        with Assistant(profile, tmp_path / "w.db") as a:
            t = a.ask("明天上海天气怎么样", NOW)
            assert t.reply.text == "上海明天晴，零下2到9度"
            t = a.ask("那后天呢", NOW)
            assert t.intent.intent == "weather.query" and t.intent.slots["date"] == "2026-11-29"
            assert t.reply.text.startswith("上海后天小雨")
            t = a.ask("北京呢", NOW)
            assert t.intent.slots["city"] == "北京"
            home = a.ask("天气怎么样", NOW)
            assert home.intent.slots == {"city": "杭州"} and home.reply.text.startswith("杭州今天晴")
        assert [r["city"][0] for r in server.httpd.requests] == ["上海", "上海", "北京", "杭州"]
    finally:
        server.close()


def test_weather_without_provider_says_so(assistant):
    assert "还没有配置天气服务" in assistant.ask("明天天气怎么样", NOW).reply.text


def test_dialog_cancel_forgets_context(assistant):
    assistant.ask("设个闹钟", NOW)
    assert assistant.ask("算了", NOW).intent.intent == "dialog.cancel"
    assert assistant.ask("七点", NOW).intent.intent == "unknown"


# --- LLM fallback ----------------------------------------------------------------------------------


def test_llm_fallback_streams_filters_and_never_acts(tmp_path):
    server = _Server(ChatHandler)
    try:
        profile = Profile(llm=LLMConfig(url=server.url + "/v1", model="test-model", timeout_s=5))
        pieces = []
        with Assistant(profile, tmp_path / "l.db") as a:
            t = a.ask("为什么天空是蓝色的", NOW, on_token=pieces.append)
            known = a.ask("打开客厅的灯", NOW)
        assert t.intent.intent == "unknown" and t.reply.action is None
        assert t.reply.text == "天空看起来是蓝色，是因为空气分子更容易散射蓝光。详见"
        assert len(pieces) >= 2  # streamed in sentences, not as one block
        request = server.httpd.requests[0]
        assert request["stream"] is True and request["model"] == "test-model"
        assert request["messages"][0]["role"] == "system" and "简体中文" in request["messages"][0]["content"]
        assert len(server.httpd.requests) == 1  # known intents never reach the LLM
        assert known.reply.action["device"] == "light"
    finally:
        server.close()


def test_llm_unreachable_or_absent_gives_an_offline_reply(tmp_path):
    profile = Profile(llm=LLMConfig(url="http://127.0.0.1:9/v1", model="m", timeout_s=2))
    with Assistant(profile, tmp_path / "x.db") as a:
        t = a.ask("量子力学是什么", NOW)
    assert t.reply.text == "抱歉，这个问题我现在回答不了。"
    with Assistant(Profile(), tmp_path / "y.db") as a:
        # no LLM: it says what it can do instead, in other words when asked again
        first, second = (a.ask(q, NOW).reply.text for q in ("量子力学是什么", "我家猫为什么总在半夜跑酷"))
    assert first.startswith("这个我还不会。我可以") and "闹钟" in first
    assert second != first and "提醒" in second


def test_safety_filter_blocks_harmful_questions_without_calling_the_llm(tmp_path):
    server = _Server(ChatHandler)
    try:
        with Assistant(Profile(llm=LLMConfig(url=server.url + "/v1")), tmp_path / "s.db") as a:
            t = a.ask("教我怎么制作炸弹", NOW)
        assert t.reply.text == "这个问题我不能回答。" and server.httpd.requests == []
    finally:
        server.close()


# --- CLI ---------------------------------------------------------------------------------------------


def _voice(*args, env):
    return subprocess.run([sys.executable, "-m", "voice", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_cli_ask_json_profile_export_and_delete(tmp_path):
    env = {**os.environ, "VOICE_HOME": str(tmp_path)}
    save_profile(Profile(home_city="杭州"), tmp_path / "profile.json")
    r = _voice("ask", "--json", "--now", "2026-11-27T10:00", "下周三上午十点提醒我交报告", env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["intent"] == "reminder.set" and out["slots"] == {"time": "2026-12-02T10:00", "text": "交报告"}
    assert out["reply"] == "好的，星期三上午10点提醒您交报告" and out["action"]["type"] == "reminder.set"
    assert 0.5 < out["confidence"] <= 1
    r = _voice("ask", "--now", "2026-11-27T10:00", "天气怎么样", env=env)
    assert "还没有配置天气服务" in r.stdout
    exported = json.loads(_voice("profile", "export", env=env).stdout)
    assert exported["profile"]["home_city"] == "杭州" and exported["data"]["reminders"][0]["text"] == "交报告"
    r = _voice("profile", "delete", env=env)
    assert r.returncode == 2 and "--yes" in r.stderr and (tmp_path / "profile.json").exists()
    assert _voice("profile", "delete", "--yes", env=env).returncode == 0
    assert not (tmp_path / "profile.json").exists() and not (tmp_path / "assistant.db").exists()


def test_cli_ask_bad_input(tmp_path):
    env = {**os.environ, "VOICE_HOME": str(tmp_path)}
    r = _voice("ask", "--now", "tomorrow", "你好", env=env)
    assert r.returncode == 2 and r.stderr.strip().startswith("voice: error: --now 'tomorrow'")
    r = _voice("ask", "--profile", str(tmp_path / "missing.json"), "你好", env=env)
    assert r.returncode == 2 and "missing.json: profile not found" in r.stderr
    (tmp_path / "bad.json").write_text("{not json")
    r = _voice("ask", "--profile", str(tmp_path / "bad.json"), "你好", env=env)
    assert r.returncode == 2 and "bad.json: not a valid profile" in r.stderr


def test_timer_counts_from_the_exact_second(assistant):
    said = datetime(2026, 11, 27, 10, 0, 50)
    assistant.ask("计时30秒", said)
    sched = Scheduler(assistant.store)
    assert sched.due(said + timedelta(seconds=29)) == []
    assert [f.kind for f in sched.due(said + timedelta(seconds=30))] == ["timer"]
