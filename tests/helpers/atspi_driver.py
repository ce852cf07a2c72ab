"""A screen reader's view of the console: AT-SPI through Debian's pyatspi, as a child process.

Run with Debian's ``/usr/bin/python3`` (``python3-pyatspi``; the project's venv is another
Python and cannot import the GObject bindings). It reads one JSON command per line on stdin
and answers one JSON line on stdout, so the test (:class:`tests.helpers.atspi.ScreenReader`)
drives the console by what AT-SPI shows (roles, names, states) and by keys, as Orca does:

- ``{"op": "app", "name": ...}``: wait for the application on the desktop;
- ``{"op": "find", "name": ..., "role": ..., "showing": true}``: wait for an object, say its
  name, role, states, text and description;
- ``{"op": "focused"}``: the object that has the keyboard focus (from focus events);
- ``{"op": "key", "keys": "ctrl+shift+h"}`` / ``{"op": "type", "text": ...}``: X key events
  (XTest, through the AT-SPI registry);
- ``{"op": "announcements"}``: every ``object:announcement`` heard so far (with politeness);
- ``{"op": "rows", "name": ...}``: the children's names of a list or table (what the arrow
  keys move through).

Nothing here clicks, selects or calls an object's action: the test must get there by keys.
"""

from __future__ import annotations

import json
import select
import sys
import time
from typing import Any

import gi

gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402
from gi.repository import Atspi, GLib  # noqa: E402

_focused: list[Any] = []
_heard: list[dict[str, Any]] = []
_app_name = ""


def _pump(seconds: float) -> None:
    """Let GLib deliver events for ``seconds``."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.01)


def _on_focus(event: Any) -> None:
    if event.detail1 == 1 and _mine(event.source):
        _focused.append(event.source)
        del _focused[:-5]


def _on_announcement(event: Any) -> None:
    # the private bus carries only the console: every announcement is the console's
    # (asking the source for its application fails while a page is being torn down)
    politeness = event.detail1
    text = event.any_data if isinstance(event.any_data, str) else str(event.any_data)
    _heard.append({"text": text, "politeness": int(politeness or 0)})


def _mine(acc: Any) -> bool:
    try:
        app = acc.get_application()
        return bool(app is not None and app.name == _app_name)
    except Exception:
        return False


def _application(name: str) -> Any:
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name == name:
            return app
    return None


def _states(acc: Any) -> list[str]:
    states = acc.getState().getStates()
    return sorted(pyatspi.stateToString(s) for s in states)


def _describe(acc: Any) -> dict[str, Any]:
    text = ""
    try:
        iface = acc.queryText()
        text = iface.getText(0, iface.characterCount)
    except NotImplementedError:
        pass
    parent = acc.parent
    return {
        "parent_name": parent.name if parent is not None else "",
        "parent_role": parent.getRoleName() if parent is not None else "",
        "name": acc.name,
        "role": acc.getRoleName(),
        "description": acc.description,
        "states": _states(acc),
        "text": text,
        "children": acc.childCount,
    }


def _matches(acc: Any, cmd: dict[str, Any]) -> bool:
    if acc is None:
        return False
    name = cmd.get("name")
    if name is not None and acc.name != name:
        return False
    prefix = cmd.get("name_prefix")
    if prefix is not None and not (acc.name or "").startswith(prefix):
        return False
    role = cmd.get("role")
    if role is not None and acc.getRoleName() != role:
        return False
    states = set(_states(acc))
    if cmd.get("showing", True) and "showing" not in states:
        return False
    if cmd.get("state") and cmd["state"] not in states:
        return False
    return not (cmd.get("enabled") and "enabled" not in states)


def _walk(acc: Any, depth: int = 0) -> Any:
    if acc is None or depth > 40:
        return
    yield acc
    try:
        count = acc.childCount
    except Exception:
        return
    if count > 200:  # a long list: its rows are asked for with "rows"
        count = 200
    for i in range(count):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:  # noqa: S112 - a row vanished while we looked
            continue
        yield from _walk(child, depth + 1)


def _find(cmd: dict[str, Any]) -> Any:
    deadline = time.monotonic() + float(cmd.get("timeout", 60))
    while True:
        app = _application(_app_name)
        if app is not None:
            for acc in _walk(app):
                try:
                    if _matches(acc, cmd):
                        return acc
                except Exception:  # noqa: S112 - an object vanished while we looked
                    continue
        if time.monotonic() > deadline:
            return None
        _pump(0.3)


#: X modifier masks (Shift, Control, Mod1 = Alt).
_MASKS = {"shift": 1, "ctrl": 4, "alt": 8}


def _keys(keys: str) -> None:
    """``ctrl+shift+h``, ``Tab``, ``Return``: lock the modifiers, press the key, unlock."""
    parts = keys.split("+")
    mask = 0
    for part in parts[:-1]:
        mask |= _MASKS[part.lower()]
    if mask:
        Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.LOCKMODIFIERS)
    Atspi.generate_keyboard_event(_keysym(parts[-1]), None, Atspi.KeySynthType.SYM)
    if mask:
        Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.UNLOCKMODIFIERS)
    _pump(0.15)


#: X keysyms of the keys the tests press (letters and digits are their own code).
_KEYSYMS = {
    "ctrl": 0xFFE3,
    "shift": 0xFFE1,
    "alt": 0xFFE9,
    "tab": 0xFF09,
    "enter": 0xFF0D,
    "return": 0xFF0D,
    "esc": 0xFF1B,
    "escape": 0xFF1B,
    "space": 0x20,
    "backspace": 0xFF08,
    "home": 0xFF50,
    "end": 0xFF57,
    "left": 0xFF51,
    "up": 0xFF52,
    "right": 0xFF53,
    "down": 0xFF54,
    "pageup": 0xFF55,
    "pagedown": 0xFF56,
    "f1": 0xFFBE,
    "f10": 0xFFC7,
}


def _keysym(name: str) -> int:
    key = name.lower()
    if key in _KEYSYMS:
        return _KEYSYMS[key]
    if len(key) == 1:
        return ord(key)
    raise ValueError(f"unknown key {name!r}")


def _type(text: str) -> None:
    pyatspi.Registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)
    _pump(0.2)


def _handle(cmd: dict[str, Any]) -> dict[str, Any]:
    global _app_name
    op = cmd["op"]
    if op == "app":
        _app_name = cmd["name"]
        deadline = time.monotonic() + float(cmd.get("timeout", 60))
        while _application(_app_name) is None:
            if time.monotonic() > deadline:
                names = [a.name for a in pyatspi.Registry.getDesktop(0) if a is not None]
                return {"ok": False, "error": f"no application {_app_name!r} in {names}"}
            _pump(0.3)
        return {"ok": True}
    if op == "find":
        acc = _find(cmd)
        if acc is None:
            return {"ok": False, "error": f"not found: {cmd}"}
        return {"ok": True, **_describe(acc)}
    if op == "focused":
        _pump(float(cmd.get("settle", 0.2)))
        for acc in reversed(_focused):  # the newest focus event whose object still exists
            try:
                return {"ok": True, **_describe(acc)}
            except Exception:  # noqa: S112 - gone since its focus event
                continue
        acc = _find({"state": "focused", "showing": True, "timeout": 2})
        if acc is None:
            return {"ok": False, "error": "nothing has the focus"}
        return {"ok": True, **_describe(acc)}
    if op == "key":
        _keys(cmd["keys"])
        return {"ok": True}
    if op == "type":
        _type(cmd["text"])
        return {"ok": True}
    if op == "announcements":
        _pump(0.1)
        return {"ok": True, "heard": list(_heard)}
    if op == "rows":
        acc = _find(cmd)
        if acc is None:
            return {"ok": False, "error": f"not found: {cmd}"}
        rows = []
        for i in range(acc.childCount):
            child = acc.getChildAtIndex(i)
            if child is not None and child.getRoleName() not in ("column header", "table"):
                rows.append(child.name)
        return {"ok": True, "rows": rows}
    if op == "pump":
        _pump(float(cmd.get("seconds", 0.5)))
        return {"ok": True}
    return {"ok": False, "error": f"unknown op {op}"}


def main() -> None:
    pyatspi.Registry.registerEventListener(_on_focus, "object:state-changed:focused")
    pyatspi.Registry.registerEventListener(_on_announcement, "object:announcement")
    print(json.dumps({"ok": True, "ready": True}), flush=True)
    buffer = ""
    while True:
        readable, _, _ = select.select([sys.stdin], [], [], 0.05)
        if not readable:
            _pump(0.02)
            continue
        chunk = sys.stdin.readline()
        if not chunk:
            return
        buffer += chunk
        if not buffer.endswith("\n"):
            continue
        line, buffer = buffer.strip(), ""
        if not line:
            continue
        try:
            answer = _handle(json.loads(line))
        except Exception as exc:
            answer = {"ok": False, "error": repr(exc)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
