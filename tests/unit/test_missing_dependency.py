"""A missing optional package is one line naming what installs it, exit 2, and nothing written."""

import subprocess
import sys

HIDE_AND_RUN = "import sys; sys.modules[{name!r}] = None; from voice.cli import main; sys.exit(main({argv!r}))"


def _run(name: str, argv: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HIDE_AND_RUN.format(name=name, argv=argv)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_export_coreml_without_coremltools(tmp_path):
    r = _run("coremltools", ["export", "coreml", "--out", str(tmp_path / "out")], tmp_path)
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["voice: error: voice export coreml needs coremltools, which is not installed: "
                                     "pip install 'voice[export]'"]
    assert not (tmp_path / "out").exists()


def test_vad_export_without_onnx(tmp_path):
    r = _run("onnx", ["export", "coreml", "--part", "vad", "--out", str(tmp_path / "out")], tmp_path)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "needs onnx" in r.stderr
    assert "voice[export]" in r.stderr and not (tmp_path / "out").exists()


def test_any_command_reports_a_known_optional_import_in_one_line(tmp_path):
    # `voice listen --vad webrtc` imports webrtcvad only when asked for it
    r = _run("webrtcvad", ["listen", "--vad", "webrtc", "--no-speak", "--input", "-"], tmp_path)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "pip install webrtcvad-wheels" in r.stderr


def test_unknown_import_errors_are_not_hidden():
    from voice.errors import missing_dependency

    assert missing_dependency(ImportError(name="numpy")) is None
    assert "voice[serve]" in str(missing_dependency(ImportError(name="wyoming.server"), "voice serve"))
