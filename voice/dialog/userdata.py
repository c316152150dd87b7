"""The user's own data as one thing: the profile and the assistant's database, to locate, export or delete."""

from __future__ import annotations

import json
from pathlib import Path

from voice.errors import VoiceError
from voice.paths import database_path, profile_path
from voice.profile import load_profile
from voice.skills.store import Store


def profile_command(action: str, profile: str | None = None, db: str | None = None, yes: bool = False) -> int:
    """`voice profile path | export | delete --yes`: where the user's data is, all of it as JSON, or gone."""
    path = Path(profile).expanduser() if profile else profile_path()
    db = Path(db) if db else database_path()
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
