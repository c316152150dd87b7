"""`voice export coreml`: export, verify, and keep the package only if every runnable level passes."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from voice.errors import VoiceError


def export_coreml(model: str | None, out: str | None, int8: bool, layout: str, precision: str,
                  audio: list[str] | None = None) -> int:
    from voice.export.coreml import export
    from voice.export.verify import verify
    from voice.models.store import resolve_asr_model

    model_dir = resolve_asr_model(model)
    out_path = Path(out) if out else Path("exports")
    package = out_path / f"{model_dir.name}-encoder-{layout}-{'int8' if int8 else precision}.mlpackage"
    out_path.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    export(model_dir, package, layout=layout, precision=precision, int8=int8)
    seconds = time.perf_counter() - started
    samples = Path(__file__).resolve().parents[2] / "samples"
    files = audio or [str(samples / "cmd_01.wav"), str(samples / "cmd_26.wav")]
    report = verify(package, model_dir, files, "int8" if int8 else precision)
    report["export_seconds"] = round(seconds, 1)
    report["package_mb"] = round(sum(f.stat().st_size for f in package.rglob("*") if f.is_file()) / 1e6, 1)
    Path(str(package) + ".verify.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    failed = [k for k, v in report["levels"].items() if v["status"] == "fail"]
    for name, level in report["levels"].items():
        extra = level.get("min_psnr_db") or level.get("token_identical") or level.get("reason") or ""
        print(f"{name:9s} {level['status']:8s} {extra}")
    if failed:
        shutil.rmtree(package, ignore_errors=True)
        raise VoiceError(f"{package}: verification failed at {', '.join(failed)}; package removed "
                         f"(report: {package}.verify.json)")
    print(f"{package} ({report['package_mb']} MB, exported in {report['export_seconds']} s)")
    return 0
