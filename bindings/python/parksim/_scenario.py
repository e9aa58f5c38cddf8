"""Scenarios: load from a file or from a dict, read and change parameters, list the schema."""

import copy
import json
import math
import os
from pathlib import Path

from ._core import Scenario
from ._html import html_escape, html_table

__all__ = ["load_scenario", "scenario_schema"]


def load_scenario(path_or_dict, base_dir=None):
    """A :class:`Scenario` from a scenario file (str / PathLike) or from a dict shaped like the TOML file.

    A dict may use ``"extends": "scenarios/baseline.toml"`` to change only some keys of a file; its relative paths
    (``extends``, ``geodata.path``, ...) are resolved against ``base_dir`` (DEFAULT: the current directory).
    The scenario can be read and changed by key - ``sc["demand.enterprise_growth_rate"]``,
    ``sc.set("demand.enterprise_growth_rate", 0.05)`` or ``sc[...] = 0.05`` - every change validated against the
    schema (ConfigError naming the key). Scenarios pickle and copy; their file paths are absolute from the start (a
    relative path is taken from the current folder when the scenario is loaded), so a scenario loaded by a relative
    path reads the same files on Dask workers and after os.chdir().
    Raises ConfigError / IoError exactly as ``parksim validate`` reports them.
    """
    if isinstance(path_or_dict, Scenario):
        return copy.copy(path_or_dict)
    if isinstance(path_or_dict, dict):
        base = (Path(base_dir) if base_dir is not None else Path.cwd()).resolve()
        return Scenario.load(_write_dict(_resolve_paths(path_or_dict, base)))
    if isinstance(path_or_dict, (str, os.PathLike)):
        return Scenario.load(os.fspath(path_or_dict))
    raise TypeError(f"load_scenario() takes a path or a dict, not {type(path_or_dict).__name__}")


_dict_folder = None


def _path_keys():
    """Keys holding file paths (the schema's `path` keys, and `extends`), as tuples of their parts."""
    from ._core import _parksim

    keys = [("extends",)]
    keys += [tuple(k["key"].split(".")) for k in _parksim.scenario_schema() if k["path"]]
    return keys


def _resolve_paths(d, base):
    """Relative file paths of a dict scenario, made absolute against `base` (a file would resolve them against
    its own folder)."""
    out = copy.deepcopy(d)

    def resolve(holder, parts):
        # "*" matches every key of a table (maps by year, drivers by name).
        if not isinstance(holder, dict):
            return
        names = list(holder) if parts[0] == "*" else [parts[0]]
        for name in names:
            if len(parts) > 1:
                resolve(holder.get(name), parts[1:])
            elif isinstance(holder.get(name), (str, os.PathLike)) and os.fspath(holder[name]):
                holder[name] = str(base / os.fspath(holder[name]))

    for key in _path_keys():
        resolve(out, key)
    return out


def _write_dict(d):
    """A dict scenario becomes a real TOML file (in a folder kept for this process), so that messages can point at
    its lines and the manifest of a run can hash it like any scenario file."""
    import atexit
    import hashlib
    import shutil
    import tempfile

    global _dict_folder
    if _dict_folder is None:
        _dict_folder = tempfile.mkdtemp(prefix="parksim-scenarios-")
        atexit.register(shutil.rmtree, _dict_folder, True)
    text = _dict_to_toml(d)
    name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(d.get("name", "scenario")))[:60]
    path = Path(_dict_folder) / f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:12]}.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _scenario_html(sc):
    """A Scenario in a notebook: its name, question, files, and every value set by its files (with where)."""
    rows = [("name", sc.name), ("file", os.fspath(sc.path))]
    for key in ("question", "description", "years.start", "years.end", "seed", "runs"):
        if key in sc:
            rows.append((key, sc[key]))
    chain = [os.fspath(f) for f in sc.files]
    if len(chain) > 1:
        rows.append(("extends chain", " <- ".join(chain)))
    set_here = []
    for key in sc.keys():
        where = sc.where(key)
        if not where or key in ("name", "question", "description", "extends"):
            continue
        try:
            value = sc[key]
        except Exception:  # noqa: BLE001 - a table or an array entry: show its TOML line only
            value = "(see " + where + ")"
        set_here.append((key, value, where))
    return (f"<div><strong>parksim scenario {html_escape(sc.name)}</strong>" + html_table(["", ""], rows)
            + (f"<p>{len(set_here)} value(s) set by the files (every other key has its DEFAULT: "
               f"parksim.scenario_schema()):</p>" + html_table(["key", "value", "set at"], set_here)
               if set_here else "") + "</div>")


Scenario._repr_html_ = _scenario_html


def scenario_schema():
    """Every scenario key with kind, unit, DEFAULT, bounds, choices and description, as a pandas DataFrame."""
    import pandas as pd

    from ._core import _parksim

    return pd.DataFrame(_parksim.scenario_schema())


def _toml_value(key, value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, (str, os.PathLike)):
        return json.dumps(os.fspath(value), ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(f'{key}.{k}', v)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(key, v) for v in value) + "]"
    if hasattr(value, "item"):  # numpy scalar
        return _toml_value(key, value.item())
    raise TypeError(f"'{key}': cannot write a Python {type(value).__name__} into a scenario")


def _dict_to_toml(d):
    # One top-level `key = value` per line, tables as inline tables: the engine's parser then reports errors with
    # the key.
    return "\n".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(str(k), v)}" for k, v in d.items()) + "\n"
