"""`voice export coreml`: export, verify, and keep a package only if every runnable level passes."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from voice.errors import VoiceError, require
from voice.paths import samples_dir

SAMPLES = samples_dir()


def export_coreml(model: str | None, out: str | None, int8: bool, layout: str, precision: str,
                  audio: list[str] | None = None, part: str = "all") -> int:
    """`part`: "encoder" (the Whisper encoder), "vad" (Silero VAD) or "all"."""
    require("coremltools", "scipy", *(["onnx"] if part in ("vad", "all") else []), what="voice export coreml")
    out_path = Path(out) if out else Path("exports")
    out_path.mkdir(parents=True, exist_ok=True)
    files = audio or [str(SAMPLES / "cmd_01.wav"), str(SAMPLES / "cmd_26.wav")]
    if part in ("encoder", "all"):
        _export_encoder(model, out_path, int8, layout, precision, files)
    if part in ("vad", "all"):
        _export_vad(out_path, precision, files)
    return 0


def _export_encoder(model, out_path: Path, int8: bool, layout: str, precision: str, files: list[str]) -> None:
    from voice.export.coreml import export
    from voice.export.verify import verify
    from voice.models.store import resolve_asr_model

    model_dir = resolve_asr_model(model)
    package = out_path / f"{model_dir.name}-encoder-{layout}-{'int8' if int8 else precision}.mlpackage"
    started = time.perf_counter()
    export(model_dir, package, layout=layout, precision=precision, int8=int8)
    seconds = time.perf_counter() - started
    _keep_if_verified(package, verify(package, model_dir, files, "int8" if int8 else precision), seconds)


def _export_vad(out_path: Path, precision: str, files: list[str]) -> None:
    from voice.export.silero import export, source_path
    from voice.export.verify_vad import verify_vad

    package = out_path / f"silero-vad-v6-{precision}.mlpackage"
    started = time.perf_counter()
    export(package, precision=precision)
    seconds = time.perf_counter() - started
    _keep_if_verified(package, verify_vad(package, source_path(), files, precision), seconds)


def _keep_if_verified(package: Path, report: dict, seconds: float) -> None:
    report["export_seconds"] = round(seconds, 1)
    report["package_mb"] = round(sum(f.stat().st_size for f in package.rglob("*") if f.is_file()) / 1e6, 2)
    Path(str(package) + ".verify.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(package.name)
    for name, level in report["levels"].items():
        extra = next((str(level[k]) for k in ("min_psnr_db", "token_identical", "max_prob_diff", "identical_share",
                                              "reason") if level.get(k) is not None), "")
        print(f"  {name:9s} {level['status']:8s} {extra}")
    failed = [k for k, v in report["levels"].items() if v["status"] == "fail"]
    if failed:
        shutil.rmtree(package, ignore_errors=True)
        raise VoiceError(f"{package}: verification failed at {', '.join(failed)}; package removed "
                         f"(report: {package}.verify.json)")
    print(f"  {package} ({report['package_mb']} MB, exported in {report['export_seconds']} s)")
