"""Read a Home Assistant intents test folder (`tests/<language>/*.yaml` of the public intents project) as
NLU cases, to measure this grammar against a suite nobody here wrote: `voice bench nlu --ha-tests DIR`.

Nothing of the suite is bundled: the user points at a checkout. Each test's sentences become cases at the
intent level only (Home Assistant's slot names and values are its own); `family` is HA's intent name and
`intent` what it is called here (`HA_INTENTS`). The folder's `_fixtures.yaml` (areas and entities) becomes
the profile's device list, as `voice profile import-devices` would import it. Intents with no counterpart
here (broadcast, scenes, scripts) are counted as such, not as misses.
"""

from __future__ import annotations

from pathlib import Path

from voice.errors import VoiceError

HA_INTENTS = {
    "HassTurnOn": "device.control", "HassTurnOff": "device.control", "HassLightSet": "device.control",
    "HassOpenCover": "device.control", "HassCloseCover": "device.control", "HassSetPosition": "device.control",
    "HassClimateSetTemperature": "device.control", "HassVacuumStart": "device.control",
    "HassVacuumReturnToBase": "device.control", "HassFanSetSpeed": "device.control",
    "HassGetState": "device.query", "HassClimateGetTemperature": "device.query",
    "HassStartTimer": "timer.set", "HassCancelTimer": "timer.cancel", "HassCancelAllTimers": "timer.cancel",
    "HassIncreaseTimer": "timer.adjust", "HassDecreaseTimer": "timer.adjust", "HassPauseTimer": "timer.pause",
    "HassUnpauseTimer": "timer.resume", "HassTimerStatus": "timer.query",
    "HassMediaNext": "media.control", "HassMediaPrevious": "media.control", "HassMediaPause": "media.control",
    "HassMediaUnpause": "media.control", "HassSetVolume": "volume.set",
    "HassGetCurrentDate": "date.query", "HassGetCurrentTime": "time.query", "HassGetWeather": "weather.query",
    "HassNevermind": "dialog.cancel",
}
# what HA does with a scene or a script has no counterpart here
_NOT_HERE = {("scene", "HassTurnOn"), ("script", "HassTurnOn"), ("assist_satellite", "HassBroadcast")}


def load_ha_tests(folder: str | Path) -> tuple[list[dict], dict, list[str]]:
    """(cases, profile dict, names of the tests with no counterpart here)."""
    import yaml

    from voice.home.devices import from_home_assistant

    root = Path(folder)
    files = sorted(p for p in root.glob("*.yaml") if not p.name.startswith("_"))
    if not files:
        raise VoiceError(f"{root}: no Home Assistant test files (*.yaml) here")
    fixtures = root / "_fixtures.yaml"
    devices = []
    if fixtures.exists():
        try:
            devices = from_home_assistant(yaml.safe_load(fixtures.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
            raise VoiceError(f"{fixtures}: not a Home Assistant fixtures file: {exc}") from None
    profile = {"devices": [{"name": d.name, "kind": d.kind, "room": d.room, "aliases": d.aliases, "id": d.id}
                           for d in devices]}
    cases, skipped = [], []
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise VoiceError(f"{path}: not YAML: {exc}") from None
        domain = path.stem.split("_Hass", 1)[0]
        for test in data.get("tests") or []:
            name = (test.get("intent") or {}).get("name", "")
            for sentence in test.get("sentences") or []:
                if (domain, name) in _NOT_HERE or name not in HA_INTENTS:
                    skipped.append(f"{path.name}: {name}")
                    continue
                cases.append({"text": sentence, "intent": HA_INTENTS[name], "family": name, "slots": {},
                              "intent_only": True})
    return cases, profile, skipped
