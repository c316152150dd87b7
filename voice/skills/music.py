"""Music from a local library folder (tags via tinytag, else "Artist - Title" file names), playback control."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from voice.nlu.types import Intent, Reply
from voice.skills.base import SkillContext
from voice.skills.home import player_control
from voice.text.script import to_simplified

AUDIO_SUFFIXES = {".mp3", ".flac", ".m4a", ".ogg", ".opus", ".wav", ".aac", ".wma"}


@dataclass
class Track:
    path: str
    title: str
    artist: str = ""
    album: str = ""
    genre: str = ""


def _norm(s: str) -> str:
    return re.sub(r"[\s\W_]+", "", to_simplified(s or "").lower())


class MusicLibrary:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder).expanduser()
        self.tracks = list(self._scan())

    def _scan(self):
        from tinytag import TinyTag

        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.rglob("*")):
            if path.suffix.lower() not in AUDIO_SUFFIXES or not path.is_file():
                continue
            title = artist = album = genre = ""
            try:
                tag = TinyTag.get(path)
                title, artist, album, genre = (tag.title or "", tag.artist or "", tag.album or "", tag.genre or "")
            except Exception:  # noqa: BLE001 - an unreadable tag still leaves the file name
                pass
            if not title:
                stem = path.stem
                if " - " in stem:
                    artist, title = (artist or stem.split(" - ", 1)[0]), stem.split(" - ", 1)[1]
                else:
                    title = stem
            yield Track(str(path), title.strip(), artist.strip(), album.strip(), genre.strip())

    def search(self, artist: str = "", title: str = "", album: str = "", genre: str = "") -> list[Track]:
        wanted = {k: _norm(v) for k, v in (("artist", artist), ("title", title), ("album", album),
                                            ("genre", genre)) if v}
        hits = []
        for t in self.tracks:
            ok = True
            for field, value in wanted.items():
                have = _norm(getattr(t, field))
                if not have or (value not in have and have not in value):
                    ok = False
            if ok:
                hits.append(t)
        return hits


def music_play(intent: Intent, ctx: SkillContext) -> Reply:
    s = intent.slots
    what = "".join(x for x in (s.get("artist", "") and s["artist"] + "的", s.get("album", "") and "专辑" + s["album"],
                               s.get("title", ""), s.get("genre", "") and s["genre"] + "音乐") if x)
    if not ctx.profile.music_dir:
        return Reply("还没有设置本地音乐库（个人配置里的 music_dir）。")
    lib = MusicLibrary(ctx.profile.music_dir)
    tracks = lib.search(s.get("artist", ""), s.get("title", ""), s.get("album", ""), s.get("genre", ""))
    if not tracks:
        return Reply(f"音乐库里没有找到{what or '歌曲'}。" if what else "音乐库里还没有歌曲。")
    first = tracks[0]
    said = f"{first.artist}的{first.title}" if first.artist else first.title
    return Reply(f"好的，为您播放{said}", action={"type": "music.play", "tracks": [t.path for t in tracks],
                                              "title": first.title, "artist": first.artist})


_MEDIA = {"pause": "好的，已暂停", "resume": "好的，继续播放", "next": "好的，下一首", "previous": "好的，上一首"}


def media_control(intent: Intent, ctx: SkillContext) -> Reply:
    action = intent.slots["action"]
    if "device" in intent.slots or "room" in intent.slots:  # aimed at a player of the house ("暂停电视"): the host's to carry out
        return player_control(intent, ctx)
    return Reply(_MEDIA[action], action={"type": "media.control", "action": action})


def volume_set(intent: Intent, ctx: SkillContext) -> Reply:
    s = intent.slots
    if "level" in s:
        text = "好的，已静音" if s["level"] == 0 else f"好的，音量已调到{s['level']}"
        return Reply(text, action={"type": "volume.set", "level": s["level"]})
    delta = s.get("delta", 0)
    return Reply("好的，声音大一点" if delta > 0 else "好的，声音小一点", action={"type": "volume.set", "delta": delta})
