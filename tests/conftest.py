import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_audio_dir() -> Path | None:
    env = os.environ.get("VOICE_TEST_AUDIO")
    folder = Path(env) if env else REPO.parent / "shared" / "audio"
    return folder if (folder / "manifest.tsv").is_file() else None


@pytest.fixture(scope="session")
def shared_audio() -> Path:
    folder = shared_audio_dir()
    if folder is None:
        pytest.skip("real recordings not found: set VOICE_TEST_AUDIO or put them at ../shared/audio")
    return folder


@pytest.fixture(scope="session")
def engine():
    from voice.asr.whisper import WhisperASR

    return WhisperASR()


@pytest.fixture(scope="session")
def command_wav(shared_audio) -> Path:
    """A short real command: 换一首歌 (2 s, 16 kHz mono)."""
    return shared_audio / "firered_asr" / "IT0011W0001.wav"


@pytest.fixture(scope="session")
def pulse_env():
    """Environment for a child process whose audio goes to a private PulseAudio daemon (virtual devices)."""
    from tests.pulse import PulseDaemon, available

    if not available():
        pytest.skip("pulseaudio is not installed (tools/setup.sh --dev installs it)")
    daemon = PulseDaemon()
    try:
        yield daemon.start()
    finally:
        daemon.stop()
