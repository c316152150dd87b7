"""The assistant's state in SQLite: alarms, timers (paused ones keep their seconds left), reminders, the
dialog context and the last known state of each of the user's devices.

WAL journal with synchronous=FULL: a committed change survives a crash or `kill -9`, an interrupted one is
rolled back on the next open. Every change is one transaction.

Several conversations can share one database (the servers' sessions): a `Store` opened with an `owner` sees,
changes and fires only that owner's items and dialog context. The local user is owner "".
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from voice.errors import VoiceError

KINDS = ("alarms", "timers", "reminders")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS alarms (id INTEGER PRIMARY KEY, time TEXT NOT NULL, repeat TEXT, label TEXT,
    active INTEGER NOT NULL DEFAULT 1, created TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS timers (id INTEGER PRIMARY KEY, time TEXT NOT NULL, duration_s INTEGER NOT NULL,
    label TEXT, active INTEGER NOT NULL DEFAULT 1, created TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '',
    paused_s INTEGER);
CREATE TABLE IF NOT EXISTS reminders (id INTEGER PRIMARY KEY, time TEXT NOT NULL, text TEXT, repeat TEXT,
    active INTEGER NOT NULL DEFAULT 1, created TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS dialog (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices (owner TEXT NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL,
    updated TEXT NOT NULL, PRIMARY KEY (owner, name));
"""
# after the owner column exists (databases from before it get the column first)
_INDEXES = """
DROP INDEX IF EXISTS alarms_due;
DROP INDEX IF EXISTS timers_due;
DROP INDEX IF EXISTS reminders_due;
CREATE INDEX IF NOT EXISTS alarms_owner_due ON alarms (owner, active, time);
CREATE INDEX IF NOT EXISTS timers_owner_due ON timers (owner, active, time);
CREATE INDEX IF NOT EXISTS reminders_owner_due ON reminders (owner, active, time);
"""


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


class Store:
    """One connection; use from one thread (the scheduler and the dialog share it in turn)."""

    def __init__(self, path: str | Path, owner: str = ""):
        self.path = Path(path)
        self.owner = owner
        self.context_key = "turn" if not owner else f"turn:{owner}"
        self.tentative = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise VoiceError(f"{self.path}: cannot open the assistant database: {exc}") from None

    def _migrate(self) -> None:
        with self._tx():
            for table in KINDS:
                columns = {row["name"] for row in self.db.execute(f"PRAGMA table_info({table})")}
                if "owner" not in columns:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
                if table == "timers" and "paused_s" not in columns:  # seconds left while paused, else NULL
                    self.db.execute("ALTER TABLE timers ADD COLUMN paused_s INTEGER")
        self.db.executescript(_INDEXES)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- items --------------------------------------------------------------------------------------

    def add(self, kind: str, time: datetime, **fields) -> int:
        table = _table(kind)
        cols = ["time", "created", "owner", *fields]
        values = [_iso(time), _iso(datetime.now()), self.owner, *fields.values()]
        with self._tx():
            cur = self.db.execute(f"INSERT INTO {table} ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                                  values)
        return int(cur.lastrowid)

    def items(self, kind: str, active: bool = True) -> list[dict]:
        table = _table(kind)
        rows = self.db.execute(f"SELECT * FROM {table} WHERE owner = ? AND active = ? ORDER BY time, id",
                               (self.owner, int(active)))
        return [dict(r) for r in rows]

    def deactivate(self, kind: str, ids: list[int]) -> int:
        table = _table(kind)
        with self._tx():
            cur = self.db.executemany(f"UPDATE {table} SET active = 0 WHERE id = ? AND owner = ? AND active = 1",
                                      [(i, self.owner) for i in ids])
        return cur.rowcount

    def due(self, kind: str, now: datetime) -> list[dict]:
        table = _table(kind)
        running = " AND paused_s IS NULL" if kind == "timers" else ""  # a paused timer never rings
        rows = self.db.execute(f"SELECT * FROM {table} WHERE owner = ? AND active = 1 AND time <= ?{running} "
                               "ORDER BY time, id", (self.owner, _iso(now)))
        return [dict(r) for r in rows]

    def pause_timer(self, item_id: int, left_s: int | None) -> None:
        """Pause with `left_s` seconds left, or resume (`None`; the caller moves its time)."""
        with self._tx():
            self.db.execute("UPDATE timers SET paused_s = ? WHERE id = ? AND owner = ?",
                            (left_s, item_id, self.owner))

    def adjust_timer(self, item_id: int, time: datetime, duration_s: int, paused_s: int | None) -> None:
        with self._tx():
            self.db.execute("UPDATE timers SET time = ?, duration_s = ?, paused_s = ? WHERE id = ? AND owner = ?",
                            (_iso(time), duration_s, paused_s, item_id, self.owner))

    # --- device states (what the assistant last set or was told) ---------------------------------------
    # one house: every session (owner) sees the same states, kept under owner ""

    def device_state(self, name: str) -> dict | None:
        row = self.db.execute("SELECT state FROM devices WHERE owner = '' AND name = ?", (name,)).fetchone()
        return json.loads(row["state"]) if row else None

    def set_device_state(self, name: str, state: dict, now: datetime) -> None:
        """Merge `state` into what is known about device `name`."""
        with self._tx():
            row = self.db.execute("SELECT state FROM devices WHERE owner = '' AND name = ?", (name,)).fetchone()
            merged = {**(json.loads(row["state"]) if row else {}), **state}
            self.db.execute("INSERT OR REPLACE INTO devices (owner, name, state, updated) VALUES ('', ?, ?, ?)",
                            (name, json.dumps(merged, ensure_ascii=False), _iso(now)))

    def move(self, kind: str, item_id: int, time: datetime) -> None:
        with self._tx():
            self.db.execute(f"UPDATE {_table(kind)} SET time = ? WHERE id = ? AND owner = ?",
                            (_iso(time), item_id, self.owner))

    def all_data(self) -> dict:
        """Every owner's items (the user's export)."""
        out = {kind: [dict(r) for r in self.db.execute(f"SELECT * FROM {kind} ORDER BY id")] for kind in KINDS}
        out["devices"] = [{**dict(r), "state": json.loads(r["state"])}
                          for r in self.db.execute("SELECT * FROM devices ORDER BY owner, name")]
        return out

    # --- dialog context -------------------------------------------------------------------------------

    def get_context(self) -> tuple[dict, datetime] | None:
        row = self.db.execute("SELECT value, updated FROM dialog WHERE key = ?", (self.context_key,)).fetchone()
        if not row:
            return None
        return json.loads(row["value"]), datetime.fromisoformat(row["updated"])

    def set_context(self, value: dict | None, now: datetime) -> None:
        with self._tx():
            if value is None:
                self.db.execute("DELETE FROM dialog WHERE key = ?", (self.context_key,))
            else:
                self.db.execute("INSERT OR REPLACE INTO dialog (key, value, updated) VALUES (?, ?, ?)",
                                (self.context_key, json.dumps(value, ensure_ascii=False), _iso(now)))

    def bump(self, key: str, now: datetime) -> int:
        """How many times `key` (e.g. a small-talk topic) came up before this time, counting this one in."""
        row_key = f"{self.context_key}:count:{key}"
        with self._tx():
            row = self.db.execute("SELECT value FROM dialog WHERE key = ?", (row_key,)).fetchone()
            count = int(json.loads(row["value"])) if row else 0
            self.db.execute("INSERT OR REPLACE INTO dialog (key, value, updated) VALUES (?, ?, ?)",
                            (row_key, json.dumps(count + 1), _iso(now)))
        return count

    # --- tentative changes (a reply prepared before the user has finished speaking) ------------------

    def begin_tentative(self) -> None:
        """Hold every change from now on in one open transaction, until `confirm()` or `discard()`."""
        if not self.tentative:
            self.db.execute("BEGIN IMMEDIATE")
            self.tentative = True

    def confirm(self) -> None:
        if self.tentative:
            try:
                self.db.execute("COMMIT")
            finally:
                self._close_tentative()

    def discard(self) -> None:
        """Undo everything since `begin_tentative()`: nothing was stored."""
        if self.tentative:
            self._close_tentative()

    def _close_tentative(self) -> None:
        self.tentative = False
        if self.db.in_transaction:  # a failed COMMIT, or a discard: nothing may stay open
            self.db.execute("ROLLBACK")

    def _tx(self):
        return _Savepoint(self.db) if self.tentative else _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


class _Savepoint:
    """A change inside a tentative transaction: undone on error, kept (not yet committed) otherwise."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("SAVEPOINT change")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if exc_type:
            self.db.execute("ROLLBACK TO change")
        self.db.execute("RELEASE change")
        return False


def _table(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown item kind: {kind}")
    return kind
