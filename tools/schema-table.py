#!/usr/bin/python3
"""Prints the "Every key" table of docs/scenario-format.md from the engine's scenario schema (engine/scenario/keys.cpp).

Run from the repository: PYTHONPATH=build/dev/python:bindings/python /usr/bin/python3 tools/schema-table.py
The unit test PipelineDocs.scenario_format_documents_every_schema_key_and_no_other keeps the page and the schema
equal; this script writes the rows so that they also say the same thing.
"""
import math

import parksim


def number(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and math.isinf(v):
        return None
    if float(v) == int(v) and abs(v) < 1e17:
        return str(int(v))
    return repr(float(v))


def default_text(row):
    d = row["default"]
    if d is None or (isinstance(d, float) and math.isnan(d)):
        return "—"
    if row["kind"] == "string":
        return f'"{d}"'
    if row["kind"] == "boolean":
        return "true" if d else "false"
    if isinstance(d, list):
        return "[]"
    return number(d)


def range_text(row):
    if row["choices"]:
        return row["choices"]
    lo, hi = number(row["min"]), number(row["max"])
    if lo is None and hi is None:
        return ""
    if lo is not None and hi is not None:
        return f"{lo} … {hi}"
    return f">= {lo}" if lo is not None else f"<= {hi}"


print("| key | type | unit | DEFAULT | range | meaning |")
print("| --- | --- | --- | --- | --- | --- |")
for _, row in parksim.scenario_schema().iterrows():
    print(f"| `{row['key']}` | {row['kind']} | {row['unit']} | {default_text(row)} | {range_text(row)} | "
          f"{row['description'].replace('|', '/')} |")
