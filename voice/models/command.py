"""`voice models …` as a function: the manifest's models, their state in the store, install and verify."""

from __future__ import annotations

from voice.models import store
from voice.models.manifest import get_spec, load_manifest


def models_command(action: str, name: str | None = None, force: bool = False) -> int:
    """`voice models list | path NAME | install NAME | verify [NAME]`."""
    if action == "list":
        print(f"{'name':<24}{'task':<11}{'format':<13}{'size':>9}  {'status':<14}{'licence':<14}source")
        for spec in load_manifest().values():
            size = f"{spec.size / 1e6:.0f} MB" if spec.size else "?"
            mark = "*" if spec.default else ""
            print(f"{spec.name + mark:<24}{spec.task:<11}{spec.format:<13}{size:>9}  {store.status(spec):<14}"
                  f"{spec.licence.split(' ')[0]:<14}{spec.source_text}")
        print(f"(* default; store: {store.models_root()})")
        return 0
    if action == "path":
        print(store.ensure(get_spec(name).name))
        return 0
    if action == "install":
        print(store.install(name, force=force))
        return 0
    if action == "verify":
        names = [name] if name else [n for n, s in load_manifest().items()
                                               if store.status(s) in ("ready", "damaged")]
        bad = 0
        for name in names:
            for check in store.verify(name):
                bad += not check.ok
                print(f"{name}/{check.name}: {'ok' if check.ok else 'FAILED'} ({check.detail})")
        if not names:
            print("no models installed yet")
        return 1 if bad else 0
    raise ValueError(f"unknown models action: {action}")
