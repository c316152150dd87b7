"""The user's own data as one thing: the profile and the assistant's database, to locate, export or delete."""

from __future__ import annotations

import json
from pathlib import Path

from voice.errors import VoiceError
from voice.paths import database_path, profile_path
from voice.profile import load_profile
from voice.skills.store import Store


def profile_command(action: str, profile: str | None = None, db: str | None = None, yes: bool = False,
                    file: str | None = None) -> int:
    """`voice profile path | export | delete --yes | import-devices FILE`: where the user's data is, all of it as
    JSON, gone, or the devices of a list or a Home Assistant export put into it (replacing the list)."""
    path = Path(profile).expanduser() if profile else profile_path()
    db = Path(db) if db else database_path()
    if action == "import-devices":
        return _import_devices(path, file)
    if action == "path":
        print(path)
        return 0
    if action == "export":
        out = {"profile": load_profile(profile).to_dict(), "profile_path": str(path)}
        if db.exists():
            with Store(db) as store:
                out["data"] = store.all_data()
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if action == "delete":
        targets = [p for p in (path, db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]
        if not yes:
            raise VoiceError("profile delete removes " + (", ".join(map(str, targets)) or "nothing")
                             + "; add --yes to confirm")
        for p in targets:
            p.unlink()
        print(f"deleted {len(targets)} file(s)")
        return 0
    raise ValueError(f"unknown profile action: {action}")


def _import_devices(path: Path, file: str | None) -> int:
    from voice.home.devices import load_devices
    from voice.profile import Profile, save_profile

    if not file:
        raise VoiceError("profile import-devices needs a FILE (a device list, or a Home Assistant export)")
    try:
        devices = load_devices(file)
    except OSError as exc:
        raise VoiceError(f"{file}: cannot read the device list: {exc.strerror}") from None
    except Exception as exc:  # YAML, JSON or field errors: one line naming the file, the profile untouched
        raise VoiceError(f"{file}: not a device list: {(str(exc).splitlines() or [type(exc).__name__])[0]}") \
            from None
    if not devices:
        raise VoiceError(f"{file}: no devices found (lights, switches, fans, covers, locks, climate, vacuums, "
                         "media players, valves, temperature or humidity sensors)")
    current = load_profile(path) if path.exists() else Profile()
    current.devices = devices
    save_profile(current, path)
    rooms = sorted({d.room for d in devices if d.room})
    print(f"{path}: {len(devices)} devices" + (f" in {len(rooms)} rooms ({'、'.join(rooms)})" if rooms else ""))
    return 0
