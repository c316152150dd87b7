"""Where things live: the user's data folder, the caches, and the data shipped inside the package.

- `data_home()`: the user's own data (profile, assistant database): `$VOICE_HOME`, else the user data folder;
- `tts_cache_dir()`: synthesized reply openings (`data_home()/cache/tts`);
- `package_data(name)`: files installed with the package (`voice/data`: the bundled spoken samples, their
  manifest, the NLU case files, the model manifest), so a wheel install needs no source checkout;
- `recordings_dir()`: the developers' real recordings for tests and benchmarks (`$VOICE_TEST_AUDIO`, else
  `../shared/audio` beside the working folder or the checkout).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def data_home() -> Path:
    env = os.environ.get("VOICE_HOME")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("voice"))


def profile_path() -> Path:
    return data_home() / "profile.json"


def database_path() -> Path:
    return data_home() / "assistant.db"


def tts_cache_dir() -> Path:
    return data_home() / "cache" / "tts"


def package_data(name: str = "") -> Path:
    return PACKAGE_DATA / name if name else PACKAGE_DATA


def samples_dir() -> Path:
    """The bundled spoken commands (`samples/` in the checkout) with `manifest.tsv` and `commands.tsv`."""
    return PACKAGE_DATA / "samples"


def recordings_dir() -> Path:
    env = os.environ.get("VOICE_TEST_AUDIO")
    if env:
        return Path(env)
    here = Path.cwd() / ".." / "shared" / "audio"
    checkout = PACKAGE_DATA.parents[1] / ".." / "shared" / "audio"
    return (here if here.is_dir() else checkout).resolve()
