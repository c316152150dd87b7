"""Wyoming (Home Assistant's protocol): speech-to-text, text-to-speech and the assistant as a conversation
agent, from one server.

- `describe` → `info` advertising the Mandarin ASR model, every TTS voice and the intent handler;
- `transcribe` + `audio-start`/`audio-chunk`/`audio-stop` → `transcript-start`, one `transcript-chunk`
  per decoded segment, `transcript-stop`, then the full `transcript` (what Home Assistant reads);
- `synthesize` (or streamed `synthesize-start`/`-chunk`/`-stop`) → `audio-start`, `audio-chunk`s as the
  clauses are synthesized, `audio-stop` (and `synthesize-stopped` for a streamed request);
- `transcript` (what Home Assistant's conversation agent sends) → `handled` with the reply, or `not-handled`;
  `recognize` → `intent` (name, entities, text) and `handled`, or `not-recognized` and `not-handled`.

Incoming events are read with size limits (a garbage or oversized header ends the connection with an
`error` event). With a token configured the first event must be `{"type": "auth", "data": {"token": …}}`
(Home Assistant cannot send it: keep Wyoming on loopback or a trusted LAN with --insecure).
"""

from __future__ import annotations

import asyncio
import json
import logging

from voice.audio.frames import RATE, from_s16le, to_s16le

MAX_HEADER = 64 * 1024
MAX_DATA = 1024 * 1024
MAX_PAYLOAD = 1024 * 1024

log = logging.getLogger("voice.serve")


def info_event(service):
    from wyoming.info import AsrModel, AsrProgram, Attribution, HandleModel, HandleProgram, Info, TtsProgram, TtsVoice

    from voice import __version__

    me = Attribution(name="voice", url="https://pypi.org/project/voice/")
    engine = service.synth.engine
    return Info(
        asr=[AsrProgram(name="voice-asr", description="Mandarin speech recognition (Whisper on CTranslate2)",
                        attribution=me, installed=True, version=__version__,
                        models=[AsrModel(name="whisper-base", description="Whisper base, Mandarin-tuned decoding",
                                         attribution=Attribution(name="OpenAI", url="https://github.com/openai/whisper"),
                                         installed=True, version="1", languages=["zh", "zh-CN"])],
                        supports_transcript_streaming=True)],
        tts=[TtsProgram(name="voice-tts", description=f"Mandarin text-to-speech ({engine.name})", attribution=me,
                        installed=True, version=__version__,
                        voices=[TtsVoice(name=v, description=f"{engine.name} {v}", attribution=me, installed=True,
                                         version=None, languages=["zh", "zh-CN"]) for v in engine.voices],
                        supports_synthesize_streaming=True)],
        handle=[HandleProgram(name="voice-assistant", description="Mandarin assistant: alarms, timers, reminders, "
                              "weather, music, devices, dates, calculations", attribution=me, installed=True,
                              version=__version__,
                              models=[HandleModel(name="voice-assistant", description="rule-based Mandarin intents",
                                                  attribution=me, installed=True, version=__version__,
                                                  languages=["zh", "zh-CN"])])],
        # no `intent` program: Home Assistant would then run our intent names as its own intents; as a
        # `handle` program it sends the transcript and speaks our reply
    ).event()


class Handler:
    """One connection. Not a subclass of wyoming's handler: it reads events itself, with limits."""

    def __init__(self, service, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.service = service
        self.reader = reader
        self.writer = writer
        self.audio: list[bytes] = []
        self.audio_bytes = 0
        self.converter = None
        self.streaming_text: list[str] | None = None
        self.voice: str | None = None
        self.authorized = not service.options.token
        self.session = f"wyoming-{id(self)}"
        self.streaming_stt = False
        self.busy = False  # inside a request (between audio-start and the transcript, during synthesis…)
        self.closing = False  # the server is stopping: end after the current request

    async def run(self) -> None:
        try:
            while True:
                event = await self._read()
                if event is None:
                    break
                self.busy = True
                try:
                    if not await self.handle(event):
                        break
                finally:
                    self.busy = self.converter is not None or self.streaming_text is not None
                if self.closing and not self.busy:
                    break
        except ValueError as exc:
            await self._send_error(str(exc))
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except Exception as exc:  # noqa: BLE001 - one line to the client, the server stays up
            from voice.errors import VoiceError
            from voice.serve.service import Busy

            if isinstance(exc, (VoiceError, Busy, KeyError, AttributeError, TypeError)):
                await self._send_error(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            else:
                log.exception("Wyoming handler failed")
                await self._send_error(f"internal error ({type(exc).__name__})")
        finally:
            if self.streaming_stt:
                self.service.stream_ended()
            self.writer.close()

    async def _read(self):
        idle = self.service.options.stream_idle_s
        try:
            return await asyncio.wait_for(self._read_event(), timeout=idle)  # header, data and payload together
        except asyncio.TimeoutError:
            raise ValueError(f"no complete event for {idle:g} s") from None

    async def _read_event(self):
        from wyoming.event import Event

        try:
            line = await self.reader.readline()
        except ValueError:  # asyncio's "separator not found, chunk exceeds the limit"
            raise ValueError(f"event header over {MAX_HEADER} bytes") from None
        if not line:
            return None
        try:
            header = json.loads(line)
            kind = header["type"]
            data_length = int(header.get("data_length") or 0)
            payload_length = int(header.get("payload_length") or 0)
        except (ValueError, KeyError, TypeError):
            raise ValueError("not a Wyoming event (each event starts with one JSON line with a 'type')") from None
        if not 0 <= data_length <= MAX_DATA or not 0 <= payload_length <= MAX_PAYLOAD:
            raise ValueError(f"event {kind!r} declares data/payload over the {MAX_PAYLOAD}-byte limit")
        data = header.get("data") or {}
        if not isinstance(data, dict):
            raise ValueError(f"event {kind!r}: data is not a JSON object")
        if data_length:
            try:
                extra = json.loads(await self.reader.readexactly(data_length))
                data.update(extra)
            except (ValueError, TypeError):
                raise ValueError(f"event {kind!r}: data is not a JSON object") from None
        payload = await self.reader.readexactly(payload_length) if payload_length else None
        return Event(type=str(kind), data=data, payload=payload)

    async def write(self, event) -> None:
        from wyoming.event import async_write_event

        await async_write_event(event, self.writer)

    async def _send_error(self, message: str) -> None:
        from wyoming.error import Error

        try:
            await self.write(Error(text=message, code="bad-request").event())
        except (ConnectionError, RuntimeError):
            pass

    async def handle(self, event) -> bool:
        from wyoming.asr import Transcribe, Transcript
        from wyoming.audio import AudioChunk, AudioChunkConverter, AudioStart, AudioStop
        from wyoming.info import Describe
        from wyoming.intent import Recognize
        from wyoming.ping import Ping, Pong
        from wyoming.tts import Synthesize, SynthesizeChunk, SynthesizeStart, SynthesizeStop

        if not self.authorized:
            if event.type == "auth" and event.data.get("token") == self.service.options.token:
                self.authorized = True
                return True
            await self._send_error("send {\"type\": \"auth\", \"data\": {\"token\": …}} first")
            return False
        if Describe.is_type(event.type):
            await self.write(info_event(self.service))
        elif Ping.is_type(event.type):
            await self.write(Pong(text=Ping.from_event(event).text).event())
        elif Transcribe.is_type(event.type):
            pass  # language/model: this server transcribes Mandarin with its one model
        elif AudioStart.is_type(event.type):
            _check_format(event.data)
            if not self.streaming_stt:
                if not self.service.stream_started():
                    await self._send_error(f"too many streams (limit {self.service.options.max_streams})")
                    return False
                self.streaming_stt = True
            self.audio, self.audio_bytes = [], 0
            self.converter = AudioChunkConverter(rate=RATE, width=2, channels=1)
        elif AudioChunk.is_type(event.type):
            if self.converter is None:
                raise ValueError("audio-chunk before audio-start")
            _check_format(event.data)  # before converting: a tiny rate would make the conversion huge
            chunk = self.converter.convert(AudioChunk.from_event(event))
            self.audio_bytes += len(chunk.audio)
            if self.audio_bytes > self.service.options.max_audio_s * RATE * 2:
                raise ValueError(f"more than {self.service.options.max_audio_s:g} s of audio in one request")
            self.audio.append(chunk.audio)
        elif AudioStop.is_type(event.type):
            if self.converter is None:
                raise ValueError("audio-stop before audio-start")
            await self._transcribe()
            self.converter = None
            if self.streaming_stt:
                self.service.stream_ended()
                self.streaming_stt = False
        elif Synthesize.is_type(event.type):
            if self.streaming_text is None:  # a streamed request also sends the whole text: ignore that copy
                request = Synthesize.from_event(event)
                self._check_text(request.text)
                await self._speak(request.text, request.voice.name if request.voice else None, streamed=False)
        elif SynthesizeStart.is_type(event.type):
            start = SynthesizeStart.from_event(event)
            self.streaming_text = []
            self.voice = start.voice.name if start.voice else None
        elif SynthesizeChunk.is_type(event.type):
            if self.streaming_text is None:
                raise ValueError("synthesize-chunk before synthesize-start")
            self.streaming_text.append(SynthesizeChunk.from_event(event).text)
            self._check_text("".join(self.streaming_text))
        elif SynthesizeStop.is_type(event.type):
            text = "".join(self.streaming_text or [])
            await self._speak(text, self.voice, streamed=True)
        elif Recognize.is_type(event.type):
            await self._recognize(Recognize.from_event(event).text[:1000])
        elif Transcript.is_type(event.type):
            # Home Assistant's conversation agent sends the user's words as a transcript: answer, do not transcribe
            await self._recognize(Transcript.from_event(event).text[:1000], intent_events=False)
        else:
            log.debug("ignoring Wyoming event %s", event.type)
        return True

    async def _transcribe(self) -> None:
        from wyoming.asr import Transcript, TranscriptChunk, TranscriptStart, TranscriptStop

        from voice.asr.cleanup import join_texts

        audio = from_s16le(b"".join(self.audio))
        self.audio = []
        await self.write(TranscriptStart(language="zh").event())
        texts = []
        async for segment in self.service.transcribe_segments(audio):
            texts.append(segment.text)
            await self.write(TranscriptChunk(text=segment.text).event())
        text = join_texts(texts)
        await self.write(TranscriptStop().event())
        await self.write(Transcript(text=text, language="zh").event())

    async def _speak(self, text: str, voice: str | None, streamed: bool) -> None:
        from wyoming.audio import AudioChunk, AudioStart, AudioStop
        from wyoming.tts import SynthesizeStopped

        from voice.errors import VoiceError

        synth = self.service.synth_for(voice if voice in self.service.synth.engine.voices else None, 1.0)
        rate = synth.sample_rate
        await self.write(AudioStart(rate=rate, width=2, channels=1).event())
        if text.strip():
            try:
                async for samples in self.service.speak(text, synth.voice):
                    pcm = to_s16le(samples)
                    for i in range(0, len(pcm), 8192):
                        await self.write(AudioChunk(rate=rate, width=2, channels=1, audio=pcm[i:i + 8192]).event())
            except VoiceError as exc:
                log.info("nothing to say: %s", exc)  # punctuation only: an empty reply, not an error
        await self.write(AudioStop().event())
        if streamed:
            self.streaming_text = None
            await self.write(SynthesizeStopped().event())

    def _check_text(self, text: str) -> None:
        if len(text) > self.service.options.max_tts_chars:
            raise ValueError(f"text of {len(text)} characters is over the {self.service.options.max_tts_chars} limit")

    async def _recognize(self, text: str, intent_events: bool = True) -> None:
        from wyoming.handle import Handled, NotHandled
        from wyoming.intent import Entity, Intent, NotRecognized

        turn = await self.service.ask(text, self.session)
        name = turn.get("intent")
        reply = turn.get("reply") or ""
        if not name or name == "unknown":
            if intent_events:
                await self.write(NotRecognized(text=reply or None).event())
            await self.write(NotHandled(text=reply or None).event())
            return
        if intent_events:
            entities = [Entity(name=k, value=v) for k, v in (turn.get("slots") or {}).items()]
            await self.write(Intent(name=name, entities=entities, text=reply or None).event())
        await self.write(Handled(text=reply or None).event())


class WyomingServer:
    """Listens for Wyoming clients; `stop()` stops accepting, lets requests in flight finish, ends idle ones."""

    def __init__(self, service):
        self.service = service
        self.handlers: dict[asyncio.Task, Handler] = {}
        self.server: asyncio.AbstractServer | None = None

    async def start(self, host: str, port: int) -> str:
        async def connected(reader, writer):
            handler = Handler(self.service, reader, writer)
            task = asyncio.current_task()
            self.handlers[task] = handler
            try:
                await handler.run()
            finally:
                self.handlers.pop(task, None)

        self.server = await asyncio.start_server(connected, host=host, port=port, limit=MAX_HEADER)
        return f"tcp://{host}:{self.server.sockets[0].getsockname()[1]}"

    async def stop(self, timeout: float) -> None:
        self.server.close()
        for handler in list(self.handlers.values()):
            handler.closing = True
            if not handler.busy:
                handler.reader.feed_eof()  # an idle connection ends now
        if self.handlers:
            await asyncio.wait(list(self.handlers), timeout=timeout)


def _check_format(data: dict) -> None:
    """Audio formats a microphone really produces; anything else is refused before any conversion."""
    rate, width, channels = data.get("rate"), data.get("width"), data.get("channels")
    if not (isinstance(rate, int) and 8000 <= rate <= 48000 and width in (1, 2, 4) and channels in (1, 2)):
        raise ValueError(f"unsupported audio format rate={rate} width={width} channels={channels} "
                         "(8000-48000 Hz, 1/2/4 bytes, 1-2 channels)")
