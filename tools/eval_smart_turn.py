"""Would Pipecat's Smart Turn v3.2 end-of-turn model help the live loop? Scores it at real pauses.

    python tools/eval_smart_turn.py [--audio ../shared/audio] [--threshold 0.5]

The model (ONNX, BSD-2-Clause) ships only inside the `pipecat-ai` wheel: this fetches that wheel with pip (no
dependencies, nothing installed), checks the wheel's and the model's sha256 and keeps the model in a temporary
folder; the project does not depend on the framework.

Pauses are found as the loop finds them (Silero per 32 ms frame at the loop's threshold): a run of at least
`--min-pause-ms` of non-speech after speech. A pause followed by more speech in the same recording is
*inside* the turn (the speaker went on); the last one is its *end*. The model sees the last 8 s of audio up to
`--min-pause-ms` into the pause, as Pipecat runs it once its VAD reports silence. Sets:
- real Mandarin recordings (../shared/audio: commands, read and spontaneous speech up to 25 s);
- the paused commands of `voice bench latency` (Kokoro, two parts with a 300–700 ms pause).
A model worth adding says "finished" rarely inside a turn and often at its end; as an extra wait for the
utterances the grammar cannot judge, what counts is how many pauses inside turns it would hold (score below
the threshold) against how many true ends it would delay.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

WHEEL = "pipecat-ai==1.14.0"
WHEEL_SHA256 = "0352f504b44e78bdf524e45af4bc759601c835b9b7dc195efe5e03384b974a44"
MEMBER = "pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx"
MODEL_SHA256 = "2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f"
RATE = 16000
FRAME = 512
WINDOW_S = 8


def fetch_model(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), WHEEL],
                   check=True)
    wheel = next(folder.glob("pipecat_ai-*.whl"))
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 differs from the pinned one")
    out = folder / "smart-turn-v3.2-cpu.onnx"
    with zipfile.ZipFile(wheel) as z:
        out.write_bytes(z.read(MEMBER))
    if hashlib.sha256(out.read_bytes()).hexdigest() != MODEL_SHA256:
        sys.exit(f"{out}: sha256 differs from the pinned one")
    return out


class SmartTurn:
    def __init__(self, path: Path):
        import onnxruntime as ort
        from faster_whisper.feature_extractor import FeatureExtractor

        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.features = FeatureExtractor(feature_size=80)

    def __call__(self, audio: np.ndarray) -> float:
        """P(the speaker has finished) given the audio so far."""
        n = WINDOW_S * RATE
        audio = audio[-n:]
        audio = np.pad(audio, (n - audio.size, 0)) if audio.size < n else audio
        # the model was trained on Whisper features of zero-mean, unit-variance audio
        audio = (audio - audio.mean()) / np.sqrt(audio.var() + 1e-7)
        mel = self.features(audio.astype(np.float32), padding=0)[:, :WINDOW_S * 100]
        return float(self.session.run(None, {"input_features": mel[None].astype(np.float32)})[0].reshape(-1)[0])


def pauses(audio: np.ndarray, min_pause_ms: int, threshold: float) -> list[tuple[int, bool]]:
    """(sample where each pause begins, whether speech follows it in this audio)."""
    from voice.vad.stream import vad_stream

    vad = vad_stream()
    speech = [vad.prob(audio[i:i + FRAME]) >= threshold for i in range(0, audio.size - FRAME + 1, FRAME)]
    need = max(1, round(min_pause_ms / 32))
    found, run, heard = [], 0, False
    for k, s in enumerate(speech):
        if s:
            if heard and run >= need:
                found.append(((k - run) * FRAME, True))
            heard, run = True, 0
        else:
            run += 1
    if heard:
        last = max(k for k, s in enumerate(speech) if s) + 1
        found.append((last * FRAME, False))
    return found


def score(model: SmartTurn, files: list[Path], min_pause_ms: int, vad_threshold: float) -> tuple[list, list]:
    from voice.audio.load import load_audio

    inside, ends = [], []
    for path in files:
        audio = load_audio(str(path))
        for start, more in pauses(audio, min_pause_ms, vad_threshold):
            end = start + min_pause_ms * RATE // 1000
            heard = audio[:end]
            # a file may end sooner: the model still hears the pause's full length, as silence
            p = model(np.pad(heard, (0, end - heard.size)))
            (inside if more else ends).append(p)
    return inside, ends


def separation(inside: list[float], ends: list[float]) -> float:
    """How often an end scores above a pause inside a turn (ROC AUC: 0.5 = no better than chance)."""
    if not inside or not ends:
        return float("nan")
    wins = sum((e > i) + 0.5 * (e == i) for e in ends for i in inside)
    return wins / (len(ends) * len(inside))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--audio", default="../shared/audio", help="folder of real recordings with manifest.tsv")
    parser.add_argument("--threshold", type=float, default=0.5, help="Smart Turn's 'finished' threshold")
    parser.add_argument("--min-pause-ms", type=int, default=200, help="silence that makes a pause")
    args = parser.parse_args()

    from voice.audio.manifest import sample_files
    from voice.bench.turn_end import PAUSED_SETS, paused_set
    from voice.pipeline.loop import LoopConfig

    sets = {"recordings": sample_files(Path(args.audio), kinds=("command", "speech", "mixed"), max_s=25.0)}
    for name in PAUSED_SETS:
        sets[name] = [Path(r["path"]) for r in paused_set(name)]
    with tempfile.TemporaryDirectory() as tmp:
        model = SmartTurn(fetch_model(Path(tmp)))
        for name, files in sets.items():
            inside, ends = score(model, files, args.min_pause_ms, LoopConfig().vad_threshold)
            t = args.threshold
            print(f"{name}: {len(files)} files; pauses inside a turn {len(inside)}, called finished "
                  f"{sum(p > t for p in inside)} (median score {np.median(inside) if inside else float('nan'):.2f}); "
                  f"ends {len(ends)}, called finished {sum(p > t for p in ends)} "
                  f"(median {np.median(ends) if ends else float('nan'):.2f}); AUC {separation(inside, ends):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
