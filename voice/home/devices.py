"""The user's devices: a name people say, its kind, its room, other names, and the host's id for it.

A device list is part of the profile (`"devices": [...]`) or a file of its own (JSON or YAML: a list, or
`{"devices": [...]}`); `voice profile import-devices FILE` also reads a Home Assistant export (`/api/states`
JSON, or a YAML with `areas:` and `entities:`), see `from_home_assistant`.

Kinds are the `device` slot's values: the grammar's generic kinds (light, air_conditioner, curtain, tv, fan,
heater, humidifier, purifier, robot_vacuum, water_heater) and switch, cover (window, door, garage, gate),
lock, valve, media_player and sensor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("light", "switch", "fan", "curtain", "cover", "lock", "air_conditioner", "heater", "water_heater",
         "humidifier", "purifier", "robot_vacuum", "tv", "media_player", "valve", "sensor")


@dataclass
class Device:
    name: str  # as people say it: "吊扇", "车库门", "热水阀门"
    kind: str
    room: str = ""
    aliases: list[str] = field(default_factory=list)
    id: str = ""  # the host's id (a Home Assistant entity_id), passed back in actions

    def __post_init__(self):
        if not self.name or self.kind not in KINDS:
            raise ValueError(f"device {self.name or '(no name)'}: kind must be one of {', '.join(KINDS)}, "
                             f"not {self.kind!r}")

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


def from_dicts(items: list[dict]) -> list[Device]:
    return [Device(**d) for d in items]


def load_devices(path: str | Path) -> list[Device]:
    """A device list file (JSON or YAML), or a Home Assistant export (recognized by `entity_id`s)."""
    p = Path(path).expanduser()
    text = p.read_text(encoding="utf-8")
    if p.suffix.lower() in (".yaml", ".yml"):
        import yaml

        data = yaml.safe_load(text)
    else:
        data = json.loads(text)
    items = data.get("devices", data.get("entities")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("expected a list of devices (or `devices:` / `entities:`)")
    # a Home Assistant export names no kind; a device list does (its ids may look like entity ids)
    if any(isinstance(d, dict) and "kind" not in d and ("entity_id" in d or "." in str(d.get("id", "")))
           for d in items):
        return from_home_assistant(data)
    return from_dicts(items)


# Home Assistant domain (and device_class) → kind
_HA_KIND = {"light": "light", "switch": "switch", "input_boolean": "switch", "fan": "fan", "lock": "lock",
            "climate": "air_conditioner", "water_heater": "water_heater", "humidifier": "humidifier",
            "vacuum": "robot_vacuum", "media_player": "media_player", "valve": "valve", "sensor": "sensor",
            "cover": "cover"}
_HA_CURTAINS = ("curtain", "blind", "shade", "shutter", "awning")


def from_home_assistant(data) -> list[Device]:
    """Devices from a Home Assistant export: the `/api/states` list (`entity_id`, `attributes.friendly_name`,
    `attributes.device_class`, optional `area`), or a YAML/JSON with `areas: [{id, name}]` and
    `entities: [{name, id, area, attributes}]`. Domains without a kind here (scenes, scripts, people…) and
    sensors that measure neither temperature nor humidity are left out."""
    areas = {}
    if isinstance(data, dict):
        areas = {a.get("id"): a.get("name") for a in data.get("areas") or [] if isinstance(a, dict)}
        data = data.get("entities", data.get("devices"))
    out: list[Device] = []
    for e in data or []:
        entity_id = e.get("entity_id") or e.get("id") or ""
        domain = entity_id.split(".", 1)[0]
        attributes = e.get("attributes") or {}
        name = e.get("name") or attributes.get("friendly_name") or ""
        kind = _HA_KIND.get(domain)
        device_class = attributes.get("device_class", "")
        if kind is None or not name:
            continue
        unit = attributes.get("unit_of_measurement", "")
        if domain == "sensor" and not (device_class in ("temperature", "humidity")
                                       or not device_class and unit in ("°C", "°F")):
            continue
        if domain == "cover" and device_class in _HA_CURTAINS:
            kind = "curtain"
        if domain == "media_player" and device_class == "tv":
            kind = "tv"
        area = e.get("area") or e.get("area_id") or ""
        aliases = [a for a in e.get("aliases") or [] if isinstance(a, str)]
        out.append(Device(name=name, kind=kind, room=areas.get(area, area) or "", aliases=aliases, id=entity_id))
    return out
