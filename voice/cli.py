"""Command line: argument parsing only; every command calls the package API."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from voice.errors import VoiceError


def _hotwords(value: str | None) -> tuple[str, ...]:
    """`--hotwords "张三,李四"` or `--hotwords @file.txt` (one per line)."""
    if not value:
        return ()
    if value.startswith("@"):
        path = Path(value[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise VoiceError(f"{path}: cannot read hotwords file: {exc.strerror}") from None
        items = text.splitlines()
    else:
        items = value.replace("，", ",").split(",")
    return tuple(w.strip() for w in items if w.strip())


def _asr_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="model name from `voice models list` or a CTranslate2 Whisper folder "
                                   "(default: whisper-base)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    p.add_argument("--compute-type", default="default",
                   help="CTranslate2 compute type (default: int8 on CPU, float16 on CUDA)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads per process (default: all cores)")
    p.add_argument("--beam-size", type=int, default=None, help="beam width (default: 5; 2 with --fast)")
    p.add_argument("--fast", action="store_true",
                   help="beam 2 and no 30 s retry of doubtful chunks: about a third less time, about 3 CER "
                        "points more on ../shared/audio (see README)")
    p.add_argument("--itn", action="store_true", help="write numbers, dates, times, money… as digits")
    p.add_argument("--hotwords", help='names / terms to favour: "张三,李四" or @file (one per line)')
    p.add_argument("--no-vad", action="store_true", help="decode everything, not only detected speech")


def asr_options(args):
    from voice.asr.types import ASROptions

    fast = getattr(args, "fast", False)
    beam = args.beam_size if args.beam_size is not None else 2 if fast else 5
    return ASROptions(model=args.model, device=args.device, compute_type=args.compute_type,
                      threads=args.threads, beam_size=beam, itn=args.itn,
                      hotwords=_hotwords(args.hotwords), vad=not args.no_vad, full_window_retry=not fast)


# --- transcribe -----------------------------------------------------------------------------------------


def cmd_transcribe(args) -> int:
    from voice.batch.command import transcribe_command

    return transcribe_command(args.paths, asr_options(args), args.format or "txt", args.output_dir, args.jobs,
                              args.engine, args.address, args.quiet)


# --- models ---------------------------------------------------------------------------------------------


def cmd_models(args) -> int:
    from voice.models.command import models_command

    return models_command(args.action, getattr(args, "name", None), getattr(args, "force", False))


# --- normalize ------------------------------------------------------------------------------------------


def cmd_normalize(args) -> int:
    if args.tts:
        from voice.tts.normalize import normalize_tts

        print(normalize_tts(args.text))
        return 0
    from voice.text.itn import itn

    print(itn(args.text))
    return 0


# --- assistant ------------------------------------------------------------------------------------------


def _now(value: str | None):
    from datetime import datetime

    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise VoiceError(f"--now {value!r}: not an ISO date-time (e.g. 2026-11-27T10:00)") from None


def cmd_ask(args) -> int:
    import json

    from voice.dialog.assistant import Assistant

    text = " ".join(args.text).strip()
    if not text:
        raise VoiceError("nothing to ask: give the utterance as TEXT")
    now = _now(args.now)
    with Assistant(args.profile, args.db) as assistant:
        turn = assistant.ask(text, now, on_token=None)
    if args.json:
        print(json.dumps(turn.to_dict(), ensure_ascii=False))
    else:
        print(turn.reply.text)
    return 0


def cmd_profile(args) -> int:
    from voice.dialog.userdata import profile_command

    return profile_command(args.action, args.profile, args.db, getattr(args, "yes", False), args.file)


# --- say ------------------------------------------------------------------------------------------------


def cmd_say(args) -> int:
    from voice.tts.say import say_command

    return say_command(" ".join(args.text), args.engine, args.voice, args.speed, args.rate, args.notice, args.output)


# --- live loop ------------------------------------------------------------------------------------------


def cmd_listen(args) -> int:
    from voice.pipeline.live import listen

    return listen(profile=args.profile, db=args.db, speak=not args.no_speak, source=args.input, play=args.play,
                  realtime=args.realtime, wake=args.wake, events=args.events, engine=args.engine, vad=args.vad,
                  device=args.device)


def cmd_demo(args) -> int:
    from voice.pipeline.live import demo

    return demo(limit=args.limit, fast=args.fast, events=args.events)


# --- serve --------------------------------------------------------------------------------------------


def cmd_serve(args) -> int:
    from voice.serve.options import ServeOptions
    from voice.serve.run import serve

    options = ServeOptions(token=args.token, db_path=args.db, profile_path=args.profile, tts_engine=args.engine,
                           max_upload_bytes=args.max_upload_mb * 1024 * 1024, max_streams=args.max_streams,
                           requests_per_minute=args.rate_limit, stream_idle_s=args.idle_timeout)
    ready = None
    if args.open:
        if not args.http:
            raise VoiceError("--open needs --http HOST:PORT (the page is served over HTTP)")

        def ready(bound):  # the page in the user's browser, once the server listens
            import webbrowser

            webbrowser.open(f"http://{bound['http']}/")

    return serve(args.http, args.wyoming, options, insecure=args.insecure, ready=ready)


# --- export -------------------------------------------------------------------------------------------


def cmd_export(args) -> int:
    from voice.export.cli import export_coreml

    return export_coreml(args.model, args.out, args.int8, args.layout, args.precision, args.audio, args.part)


# --- bench ----------------------------------------------------------------------------------------------


def cmd_bench(args) -> int:
    if args.what == "serve":
        from voice.bench.serve import run_serve_bench

        return run_serve_bench(as_json=args.json, sessions=args.sessions, requests=args.requests)
    if args.what == "latency":
        from voice.bench.latency import run_latency_bench

        return run_latency_bench(as_json=args.json, limit=args.limit, engine=args.engine,
                                 turn_end=not args.no_turn_end)
    if args.what == "tts":
        from voice.bench.tts import run_tts_bench

        return run_tts_bench(engines=args.engines, as_json=args.json, intelligibility=not args.no_cer)
    if args.what == "nlu":
        from voice.bench.nlu import run_nlu_bench

        return run_nlu_bench(cases=args.cases, as_json=args.json, repeat=args.repeat, ha_tests=args.ha_tests)
    if args.what == "web":
        from voice.bench.web import run_web_bench

        return run_web_bench(names=tuple(n for n in args.samples.split(",") if n), engine=args.engine,
                             as_json=args.json)
    if args.what == "understand":
        from voice.bench.understand import run_understand_bench

        return run_understand_bench(as_json=args.json, sets=tuple(s for s in args.sets.split(",") if s),
                                    audio_dir=args.audio, compare=not args.no_compare, show=args.misses)
    from voice.bench.asr import run_asr_bench

    return run_asr_bench(audio_dir=args.audio, model=args.model, as_json=args.json, jobs=args.jobs,
                         limit=args.limit)


def build_parser() -> argparse.ArgumentParser:
    from voice import __version__

    parser = argparse.ArgumentParser(prog="voice", description="On-device Mandarin voice pipeline.")
    parser.add_argument("--version", action="version", version=f"voice {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("transcribe", help="transcribe Mandarin audio files, folders or globs",
                       description="Transcribe files, folders (recursively) or globs to Simplified Chinese.")
    t.add_argument("paths", nargs="+", metavar="PATH")
    t.add_argument("--format", choices=["txt", "json", "srt", "vtt", "tsv"],
                   help="output format (default: plain text); tsv without --output-dir prints PATH<TAB>TEXT")
    t.add_argument("--output-dir", "-o", help="write one file per input here (atomically)")
    t.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (or Ray actors) for several files")
    t.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="ray: one model per Ray actor on a cluster (--address), results streamed back here; "
                        "with --output-dir, files whose output exists are skipped (re-runs resume)")
    t.add_argument("--address", help="Ray cluster address HOST:PORT (default: start a local Ray instance)")
    t.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
    _asr_args(t)
    t.set_defaults(func=cmd_transcribe)

    m = sub.add_parser("models", help="list, verify, locate or install models")
    msub = m.add_subparsers(dest="action", required=True)
    msub.add_parser("list", help="every known model and its status")
    v = msub.add_parser("verify", help="check sha256 of installed models")
    v.add_argument("name", nargs="?")
    pth = msub.add_parser("path", help="print a model's folder (assembling it if needed)")
    pth.add_argument("name")
    ins = msub.add_parser("install", help="assemble a registry model or download a hub model")
    ins.add_argument("name")
    ins.add_argument("--force", action="store_true", help="re-assemble even if already installed")
    m.set_defaults(func=cmd_models)

    n = sub.add_parser("normalize", help="text normalization")
    mode = n.add_mutually_exclusive_group(required=True)
    mode.add_argument("--itn", action="store_true",
                      help="inverse text normalization: spoken numbers → digits (二十五个 → 25个)")
    mode.add_argument("--tts", action="store_true",
                      help="spoken form for speech: 2026-11-27 → 二零二六年十一月二十七日, 110 → 幺幺零")
    n.add_argument("text")
    n.set_defaults(func=cmd_normalize)

    a = sub.add_parser("ask", help="understand one utterance, act on it and print the reply",
                       description="Run one utterance through the assistant (intent, slots, skill, reply).")
    a.add_argument("text", nargs="+", metavar="TEXT")
    a.add_argument("--json", action="store_true",
                   help='print {"text", "intent", "slots", "reply", "action"?, "confidence"}')
    a.add_argument("--now", help="reference time, ISO (default: the clock), e.g. 2026-11-27T10:00")
    a.add_argument("--profile", help="profile JSON (default: $VOICE_HOME/profile.json or the user data dir)")
    a.add_argument("--db", help="assistant database (default: assistant.db next to the default profile)")
    a.set_defaults(func=cmd_ask)

    pr = sub.add_parser("profile", help="your on-device data: path, export, delete, import-devices FILE")
    pr.add_argument("action", choices=["path", "export", "delete", "import-devices"])
    pr.add_argument("file", nargs="?", help="import-devices: a device list (JSON/YAML) or a Home Assistant "
                                            "export (/api/states JSON, or YAML with areas and entities)")
    pr.add_argument("--profile", help="profile JSON (default: the default profile)")
    pr.add_argument("--db", help="assistant database (default: next to the default profile)")
    pr.add_argument("--yes", action="store_true", help="confirm delete")
    pr.set_defaults(func=cmd_profile)

    sy = sub.add_parser("say", help="speak Chinese text (to the speakers, or to a labelled WAV with -o)",
                        description="Normalize, synthesize and play or save text. WAV files carry an AI-generated "
                                    "content label (LIST/INFO).")
    sy.add_argument("text", nargs="+", metavar="TEXT")
    sy.add_argument("-o", "--output", help="write a WAV file (atomically) instead of playing")
    sy.add_argument("--engine", choices=["kokoro", "fastspeech2", "paddlespeech", "espeak"],
                    help="default: kokoro when installed, else espeak")
    sy.add_argument("--voice", help="engine voice (kokoro: zf_xiaobei, zm_yunxi, …)")
    sy.add_argument("--speed", type=float, default=1.0, help="0.5–2.0")
    sy.add_argument("--rate", type=int, help="output sample rate (default: the engine's)")
    sy.add_argument("--notice", action="store_true", help="start with a spoken AI-generated notice")
    sy.set_defaults(func=cmd_say)

    li = sub.add_parser("listen", help="the live loop: microphone (or --input FILE) → assistant → speakers",
                        description="Listen, show partial and final transcripts, answer, and print per-turn "
                                    "latencies. Speaking while it answers interrupts it.")
    li.add_argument("--input", help="a recording played as the microphone; - reads raw 16 kHz mono s16le "
                                    "PCM from standard input")
    li.add_argument("--realtime", action="store_true", help="feed --input at its real pace (default: as fast "
                                                            "as possible)")
    li.add_argument("--play", action="store_true", help="with --input, also play replies on the speakers")
    li.add_argument("--device", help="input device (name or index, see python -m sounddevice)")
    li.add_argument("--events", help="write every event as one JSON line to this file")
    li.add_argument("--wake", help='answer only utterances starting with this phrase, e.g. "你好小V"')
    li.add_argument("--no-speak", action="store_true", help="print replies without synthesizing them")
    li.add_argument("--vad", choices=["silero", "webrtc"], default="silero",
                    help="voice activity detector (webrtc needs pip install webrtcvad-wheels)")
    li.add_argument("--engine", help="TTS engine (default: kokoro when installed, else espeak)")
    li.add_argument("--profile", help="profile JSON (its contacts, artists and home city also bias recognition)")
    li.add_argument("--db", help="assistant database")
    li.set_defaults(func=cmd_listen)

    de = sub.add_parser("demo", help="the whole loop over the bundled sample commands, as if spoken")
    de.add_argument("--fast", action="store_true",
                    help="feed the audio as fast as possible (latencies are then not those of live speech)")
    de.add_argument("--limit", type=int, default=0, help="only the first N samples")
    de.add_argument("--events", help="write every event as one JSON line to this file")
    de.set_defaults(func=cmd_demo)

    sv = sub.add_parser("serve", help="HTTP (OpenAI-compatible), WebSocket streaming and Wyoming servers",
                        description="One process serving the pipeline: --http gives POST /v1/audio/transcriptions, "
                                    "POST /v1/audio/speech, POST /v1/assistant, GET /healthz, GET /metrics and the "
                                    "WebSocket /v1/stream; --wyoming gives Home Assistant speech-to-text, "
                                    "text-to-speech and intent handling. Loopback only unless --token or --insecure.")
    sv.add_argument("--http", metavar="HOST:PORT", help="e.g. 127.0.0.1:8000")
    sv.add_argument("--wyoming", metavar="tcp://HOST:PORT", help="e.g. tcp://127.0.0.1:10300")
    sv.add_argument("--token", help="clients must send it (HTTP/WebSocket: Authorization: Bearer TOKEN; "
                                    "Wyoming: an auth event first)")
    sv.add_argument("--insecure", action="store_true", help="allow a non-loopback address without a token")
    sv.add_argument("--open", action="store_true", help="open the talk page (/) in your browser once serving")
    sv.add_argument("--engine", help="TTS engine (default: kokoro when installed, else espeak)")
    sv.add_argument("--db", help="assistant database (default: the profile's)")
    sv.add_argument("--profile", help="profile JSON for every session (contacts, names, hot words)")
    sv.add_argument("--max-upload-mb", type=int, default=25, help="largest accepted upload (default 25)")
    sv.add_argument("--max-streams", type=int, default=16, help="concurrent WebSocket/Wyoming streams (default 16)")
    sv.add_argument("--rate-limit", type=int, default=600, help="HTTP requests per minute per client (default 600)")
    sv.add_argument("--idle-timeout", type=float, default=30.0,
                    help="seconds without data before a stream is closed (default 30)")
    sv.set_defaults(func=cmd_serve)

    ex = sub.add_parser("export", help="export the ASR encoder and the VAD for other runtimes (Core ML)")
    exs = ex.add_subparsers(dest="target", required=True)
    cm = exs.add_parser("coreml", help="Whisper encoder and Silero VAD → .mlpackage (MIL Builder, no torch), "
                                       "verified on Linux",
                        description="Export the encoder of a CTranslate2 Whisper model and the Silero VAD to Core ML "
                                    "and verify them (encoder: contract, graph, replay, decode; VAD: contract, graph, "
                                    "replay, decisions; coreml on macOS). A failed level removes the package and exits "
                                    "non-zero; each report is written as PACKAGE.verify.json.")
    cm.add_argument("--part", choices=["all", "encoder", "vad"], default="all", help="what to export (default: all)")
    cm.add_argument("--model", help="model name or CTranslate2 folder (default: whisper-base)")
    cm.add_argument("--out", help="output folder (default: ./exports)")
    cm.add_argument("--int8", action="store_true", help="8-bit linear weight quantization (encoder only)")
    cm.add_argument("--layout", choices=["ane", "standard"], default="ane",
                    help="ane: (B, C, 1, T) tensors and 1x1 convolutions (default); standard: (B, T, C)")
    cm.add_argument("--precision", choices=["fp16", "fp32"], default="fp16")
    cm.add_argument("--audio", nargs="*", help="recordings for the replay, decode and decisions levels "
                                               "(default: two samples)")
    ex.set_defaults(func=cmd_export)

    from voice.bench.web import DEFAULT_SAMPLES as WEB_SAMPLES

    b = sub.add_parser("bench", help="benchmarks")
    bsub = b.add_subparsers(dest="what", required=True)
    ba = bsub.add_parser("asr", help="this engine vs plain faster-whisper, side by side, on a folder "
                                     "with manifest.tsv")
    ba.add_argument("--audio", help="folder with manifest.tsv (default: $VOICE_TEST_AUDIO or ../shared/audio)")
    ba.add_argument("--model", help="model name or folder for both engines (default: whisper-base)")
    ba.add_argument("--jobs", type=int, default=2, help="worker processes for this engine's batch")
    ba.add_argument("--limit", type=int, default=0, help="only the first N files (quick look)")
    ba.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    bl = bsub.add_parser("latency", help="live-loop latencies over the sample commands and short real "
                                         "recordings played in real time, plus CPU and memory")
    bl.add_argument("--limit", type=int, default=0, help="only the first N recordings of each set")
    bl.add_argument("--engine", help="TTS engine for the replies (default: kokoro when installed, else espeak)")
    bl.add_argument("--no-turn-end", action="store_true", help="skip the premature end-of-turn measurement")
    bl.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    bs = bsub.add_parser("serve", help="load and fault runs against voice serve started as a separate process")
    bs.add_argument("--sessions", type=int, default=8, help="concurrent real-time WebSocket sessions (default 8)")
    bs.add_argument("--requests", type=int, default=100, help="concurrent HTTP transcriptions (default 100)")
    bs.add_argument("--json", action="store_true", help="print one JSON object instead of lines")
    bt = bsub.add_parser("tts", help="first-audio latency, RTF, memory and intelligibility (CER) per engine")
    bt.add_argument("--engines", help="comma-separated (default: every installed engine)")
    bt.add_argument("--no-cer", action="store_true", help="skip the intelligibility check (ASR of the audio)")
    bt.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    bu = bsub.add_parser("understand", help="spoken commands through the loop (VAD, ASR, NLU) graded by hand-"
                                            "written labels, with and without misheard-command repair; "
                                            "false accepts on speech that is no command")
    bu.add_argument("--sets", default="samples,voices,heldout,unseen,profile,dialog,guard",
                    help="comma-separated: samples, voices, heldout, unseen, profile, dialog, guard (default: all)")
    bu.add_argument("--audio", help="recordings for noise and the guard (default: $VOICE_TEST_AUDIO or "
                                    "../shared/audio)")
    bu.add_argument("--no-compare", action="store_true", help="skip the run without repair")
    bu.add_argument("--misses", action="store_true", help="list every command not understood")
    bu.add_argument("--json", action="store_true", help="print one JSON object instead of lines")
    bw = bsub.add_parser("web", help="voice-to-voice from the browser page (headless Chromium, fake microphone) "
                                     "against voice listen on the same samples")
    bw.add_argument("--samples", default=",".join(WEB_SAMPLES),
                    help="comma-separated sample names from samples/ (default: six commands)")
    bw.add_argument("--engine", help="TTS engine for the replies (default: kokoro when installed, else espeak)")
    bw.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    bn = bsub.add_parser("nlu", help="intent accuracy, slot exact match and latency on a case file")
    bn.add_argument("--cases", help="JSONL cases (default: the bundled nlu_cases.jsonl and nlu_families.jsonl)")
    bn.add_argument("--ha-tests", metavar="DIR", help="a Home Assistant intents test folder (tests/zh-cn), "
                                                      "measured at the intent level with its fixtures as devices")
    bn.add_argument("--repeat", type=int, default=3, help="timing passes over the cases")
    bn.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    b.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except VoiceError as exc:
        print(f"voice: error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:
        from voice.errors import missing_dependency

        error = missing_dependency(exc, f"voice {args.command}")
        if error is None:
            raise
        print(f"voice: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("voice: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
