"""The user's on-device profile: a JSON file the user owns (export and delete with `voice profile`).

    {
      "home_city": "杭州",
      "contacts": [{"name": "王建国", "aliases": ["老王"], "phone": "13800138000"}],
      "favourite_artists": ["周杰伦"],
      "wake_time": "07:00",
      "devices": [{"name": "吊扇", "kind": "fan", "room": "卧室", "aliases": ["电扇"]}],
      "music_dir": "~/Music",
      "weather_url": "http://127.0.0.1:8080/weather?city={city}&date={date}",
      "llm": {"url": "http://127.0.0.1:11434/v1", "model": "qwen2.5:3b", "api_key_env": "OPENAI_API_KEY"}
    }

Nothing in it leaves the machine unless the user configures `weather_url` or `llm` themselves.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from voice.errors import VoiceError
from voice.fsutil import atomic_write
from voice.home.devices import Device
from voice.paths import profile_path


@dataclass
class Contact:
    name: str
    phone: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class LLMConfig:
    url: str  # OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1
    model: str = ""
    api_key_env: str = ""  # name of an environment variable holding the key (never the key itself)
    timeout_s: float = 20.0


@dataclass
class Profile:
    home_city: str = ""
    contacts: list[Contact] = field(default_factory=list)
    favourite_artists: list[str] = field(default_factory=list)
    wake_time: str = ""  # "HH:MM", used for "明天叫我起床"
    music_dir: str = ""
    weather_url: str = ""
    llm: LLMConfig | None = None
    devices: list[Device] = field(default_factory=list)  # voice.home.devices

    def find_contact(self, said: str) -> Contact | None:
        for c in self.contacts:
            if said == c.name or said in c.aliases:
                return c
        for c in self.contacts:
            if said and (said in c.name or any(said in a for a in c.aliases)):
                return c
        return None

    def hotwords(self) -> list[str]:
        """Names worth biasing the recognizer towards."""
        words = [c.name for c in self.contacts] + [a for c in self.contacts for a in c.aliases]
        devices = [d.name for d in self.devices][:12]  # a few: a big import must not crowd the people out
        return [*dict.fromkeys(words + self.favourite_artists + ([self.home_city] if self.home_city else [])
                               + devices)]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Profile:
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown profile fields: {', '.join(sorted(unknown))}")
        data = dict(data)
        data["contacts"] = [Contact(**c) for c in data.get("contacts", [])]
        data["devices"] = [Device(**d) for d in data.get("devices", [])]
        if data.get("llm"):
            data["llm"] = LLMConfig(**data["llm"])
        return cls(**data)


def load_profile(path: str | Path | None = None) -> Profile:
    """The profile at `path` (default $VOICE_HOME/profile.json); an empty profile if that file is absent."""
    p = Path(path).expanduser() if path else profile_path()
    if not p.exists():
        if path:
            raise VoiceError(f"{p}: profile not found")
        return Profile()
    try:
        return Profile.from_dict(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise VoiceError(f"{p}: not a valid profile: {exc}") from None


def save_profile(profile: Profile, path: str | Path | None = None) -> Path:
    p = Path(path).expanduser() if path else profile_path()
    atomic_write(p, json.dumps(profile.to_dict(), ensure_ascii=False, indent=2).encode("utf-8"))
    return p


def api_key(config: LLMConfig) -> str | None:
    return os.environ.get(config.api_key_env) if config.api_key_env else None
