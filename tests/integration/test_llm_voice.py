"""An LLM answer spoken while it streams: the live loop against a stand-in OpenAI-compatible server on
127.0.0.1 that sends tokens at 20 per second (no Chinese LLM installs from the registries, see FACTS). First
audio must follow the first clause, not the last token; barge-in must stop the HTTP stream too."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from voice.pipeline.observers import EventLog
from voice.pipeline.session import Engines, Session
from voice.profile import LLMConfig, Profile

# one or two characters per token, as a Chinese model streams them
ANSWER = ["天空", "看起来", "是", "蓝色", "，", "是因为", "空气", "分子", "更", "容易", "散射", "蓝光", "。", "傍晚",
          "的", "时候", "，", "阳光", "穿过", "更", "厚", "的", "大气", "，", "所以", "天边", "会", "变红", "。"]
RATE = 20  # tokens per second


class SlowChat(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        sent = self.server.sent
        try:
            for piece in ANSWER:
                time.sleep(1 / RATE)
                event = {"choices": [{"delta": {"content": piece}}]}
                self.wfile.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
                sent.append((piece, time.perf_counter()))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.server.dropped = True

    def log_message(self, *a):
        pass


@pytest.fixture
def chat():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), SlowChat)
    httpd.sent, httpd.dropped = [], False
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def engines():
    return Engines.load(tts_engine="espeak")


class Clock:
    """When each event reached the observers (wall clock, same as the server's)."""

    def __init__(self):
        self.at: dict[str, float] = {}

    def __call__(self, event):
        self.at.setdefault(event.type, time.perf_counter())


def _session(engines, chat, tmp_path, observers):
    profile = Profile(llm=LLMConfig(url=f"http://127.0.0.1:{chat.server_address[1]}/v1", model="m", timeout_s=20))
    return Session(engines, profile=profile, db_path=tmp_path / "llm.db", sink="record", realtime=True,
                   observers=observers)


def test_first_audio_follows_the_first_clause_not_the_last_token(engines, chat, tmp_path):
    log, clock = EventLog(), Clock()
    with _session(engines, chat, tmp_path, [log, clock]) as session:
        session.say("为什么天空是蓝色的")
        session.wait()
    first_clause = next(t for piece, t in chat.sent if piece == "，")
    last_token = chat.sent[-1][1]
    first_audio = clock.at["tts.first_audio"]
    assert first_audio - first_clause <= 0.4, first_audio - first_clause
    assert last_token - first_audio > 0.8  # most of the answer was still to come
    turn = log.of("turn")[0].data
    assert turn["intent"] == "unknown" and turn["streamed"]
    assert turn["reply"].startswith("天空看起来是蓝色，是因为空气分子更容易散射蓝光。")
    assert len(session.sink.replies) == 1 and session.sink.replies[0].size > 16000  # spoken, several clauses


def test_barge_in_stops_the_llm_stream_too(engines, chat, tmp_path):
    log, clock = EventLog(), Clock()
    with _session(engines, chat, tmp_path, [log, clock]) as session:
        session.say("为什么天空是蓝色的")
        assert "tts.first_audio" in clock.at
        session.loop.cancel_reply()  # what speech starting over the reply does (Loop._on_endpoint)
        session.wait()
    time.sleep(0.5)  # let the server notice the closed connection
    assert chat.dropped or len(chat.sent) < len(ANSWER), len(chat.sent)
    assert len(chat.sent) <= len(ANSWER) - 5  # several tokens never generated-and-sent
    assert not log.of("turn")  # a cancelled answer is not reported as a finished turn


def test_an_answer_to_a_pending_question_is_never_sent_to_the_llm(engines, chat, tmp_path):
    log = EventLog()
    with _session(engines, chat, tmp_path, [log]) as session:
        session.say("明天早上七点叫我起床")
        session.say("明天早上八点叫我起床")
        session.say("取消闹钟")  # two of them: "要取消全部吗？"
        session.say("是的")
        session.wait()
    turns = [e.data for e in log.of("turn")]
    assert "吗" in turns[2]["reply"], turns[2]
    assert turns[3]["intent"] != "unknown" and not turns[3].get("streamed"), turns[3]
    assert chat.sent == []  # the model was never asked
