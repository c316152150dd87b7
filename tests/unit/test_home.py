"""The user's devices: loading and Home Assistant import, and the home skill's answers from the state it keeps
(real SQLite in a temporary folder)."""

import json
from datetime import datetime

import pytest

from voice.cli import main
from voice.dialog.assistant import Assistant
from voice.home.devices import Device, from_home_assistant, load_devices
from voice.profile import Profile, load_profile

NOW = datetime(2026, 11, 27, 10, 0)

# written here in the shape of Home Assistant's /api/states answer
STATES = [
    {"entity_id": "light.study_lamp", "state": "on", "attributes": {"friendly_name": "书桌台灯"}},
    {"entity_id": "cover.garage_door", "state": "closed",
     "attributes": {"friendly_name": "车库门", "device_class": "garage"}},
    {"entity_id": "cover.living_blind", "state": "open",
     "attributes": {"friendly_name": "客厅卷帘", "device_class": "blind"}},
    {"entity_id": "sensor.bedroom_temp", "state": "21.5",
     "attributes": {"friendly_name": "卧室温度", "device_class": "temperature", "unit_of_measurement": "°C"}},
    {"entity_id": "sensor.power", "state": "120", "attributes": {"friendly_name": "功率", "unit_of_measurement": "W"}},
    {"entity_id": "scene.movie", "state": "scening", "attributes": {"friendly_name": "观影模式"}},
    {"entity_id": "vacuum.robot", "state": "docked", "attributes": {"friendly_name": "小白"}},
]


def test_home_assistant_states_become_devices():
    devices = from_home_assistant(STATES)
    kinds = {d.name: (d.kind, d.id) for d in devices}
    assert kinds == {"书桌台灯": ("light", "light.study_lamp"), "车库门": ("cover", "cover.garage_door"),
                     "客厅卷帘": ("curtain", "cover.living_blind"), "卧室温度": ("sensor", "sensor.bedroom_temp"),
                     "小白": ("robot_vacuum", "vacuum.robot")}  # no power meter, no scene


def test_a_yaml_list_with_areas_and_a_plain_json_list_load(tmp_path):
    (tmp_path / "ha.yaml").write_text(
        "areas:\n  - {id: study, name: 书房}\nentities:\n  - {name: 书桌台灯, id: light.study_lamp, area: study}\n",
        encoding="utf-8")
    assert load_devices(tmp_path / "ha.yaml") == [Device("书桌台灯", "light", "书房", [], "light.study_lamp")]
    (tmp_path / "mine.json").write_text(json.dumps({"devices": [{"name": "吊扇", "kind": "fan", "room": "客厅",
                                                                  "aliases": ["电扇"]}]}), encoding="utf-8")
    assert load_devices(tmp_path / "mine.json")[0].names == ["吊扇", "电扇"]


def test_import_devices_writes_the_profile_or_nothing(tmp_path, capsys):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"home_city": "杭州"}), encoding="utf-8")
    states = tmp_path / "states.json"
    states.write_text(json.dumps(STATES), encoding="utf-8")
    assert main(["profile", "import-devices", str(states), "--profile", str(profile)]) == 0
    loaded = load_profile(profile)
    assert loaded.home_city == "杭州" and len(loaded.devices) == 5
    before = profile.read_bytes()
    for bad, content in (("bad.json", '[{"name": "烤面包机", "kind": "toaster"}]'), ("bad.yaml", "a: [\n"),
                         ("empty.json", "[]")):
        (tmp_path / bad).write_text(content, encoding="utf-8")
        assert main(["profile", "import-devices", str(tmp_path / bad), "--profile", str(profile)]) != 0
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and bad in err[0]
    assert profile.read_bytes() == before


@pytest.fixture
def home(tmp_path):
    profile = Profile(devices=[Device("书桌台灯", "light", "书房"), Device("客厅主灯", "light", "客厅"),
                               Device("客厅灯带", "light", "客厅"), Device("大门", "lock", "玄关"),
                               Device("卧室温度", "sensor", "卧室")])
    with Assistant(profile, tmp_path / "a.db") as a:
        yield a


def test_state_questions_are_answered_from_what_was_set_or_reported(home):
    assert home.ask("书桌台灯开着吗", NOW).reply.text == "我还不知道书桌台灯现在的状态。"
    turn = home.ask("打开书桌台灯", NOW)
    assert turn.reply.action["targets"] == [{"name": "书桌台灯", "id": ""}]
    assert home.ask("书桌台灯开着吗", NOW).reply.text == "书桌台灯开着。"
    home.ask("把大门锁上", NOW)
    assert home.ask("大门锁好了吗", NOW).reply.text == "大门锁着。"
    assert home.ask("卧室现在多少度", NOW).reply.text == "我还不知道卧室现在的温度。"
    home.report_state("卧室温度", {"temperature": 21.5}, NOW)
    assert home.ask("卧室现在多少度", NOW).reply.text == "卧室现在21.5度。"


def test_a_room_acts_on_all_its_devices_of_that_kind(home):
    turn = home.ask("关掉客厅所有的灯", NOW)
    assert [t["name"] for t in turn.reply.action["targets"]] == ["客厅主灯", "客厅灯带"]
    assert home.ask("客厅的灯开着吗", NOW).reply.text == "客厅主灯关着，客厅灯带关着。"


def test_a_kind_with_several_devices_asks_which_and_unknown_ones_are_said_so(home):
    turn = home.ask("开灯", NOW)
    assert turn.reply.expects == "room" and "书桌台灯" in turn.reply.text
    turn = home.ask("客厅的", NOW)
    assert [t["name"] for t in turn.reply.action["targets"]] == ["客厅主灯", "客厅灯带"]
    assert home.ask("打开卧室的灯", NOW).reply.text == "没有找到卧室的灯。"
    turn = home.ask("打开车库的除湿机", NOW)
    assert turn.intent.intent == "device.control" and turn.reply.text.startswith("没有找到车库的除湿机")
    assert turn.reply.action is None
