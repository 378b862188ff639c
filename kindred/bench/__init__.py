"""Benchmarks: `kindred bench NAME`.

Each suite is a module here with ``run(options: dict) -> dict`` returning
``{"title", "tables": [{"title", "columns", "rows"}], "figures": {...}}``;
``figures`` is the flat JSON object printed last with ``--json``.
"""
from __future__ import annotations

import importlib
import os
from typing import Any

SUITES = {
    "latency": "kindred.bench.latency",
    "conversation": "kindred.bench.conversation",
    "replies": "kindred.bench.replies",
    "emotion": "kindred.bench.emotion",
    "safety": "kindred.bench.safety",
    "memory": "kindred.bench.memory",
    "learning": "kindred.bench.learning",
    "web": "kindred.bench.web",
    "voice": "kindred.bench.voice",
    "empathy": "kindred.bench.empathy",
    "privacy": "kindred.bench.privacy",
    "load": "kindred.bench.load",
}


def machine_info() -> dict[str, Any]:
    import platform

    return {"cores": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version()}


def run_suite(name: str, options: dict[str, Any]) -> dict[str, Any]:
    module = importlib.import_module(SUITES[name])
    result = module.run(options)
    result.setdefault("figures", {}).update({f"machine_{k}": v for k, v in machine_info().items()})
    return result


def format_table(table: dict[str, Any]) -> str:
    columns = [str(c) for c in table["columns"]]
    rows = [[_cell(v) for v in row] for row in table["rows"]]
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths))
    out = [table.get("title", ""), line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.rjust(w) if _numeric(v) else v.ljust(w) for v, w in zip(r, widths)) for r in rows]
    return "\n".join(out)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def _numeric(text: str) -> bool:
    try:
        float(text.rstrip("%"))
        return True
    except ValueError:
        return False
