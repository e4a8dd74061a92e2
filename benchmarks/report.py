"""Results as titled tables: printed for people, written as JSON for tools and history."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    format: Callable[[Any], str] = str
    right: bool = True  # numbers right-aligned, text left


@dataclass
class Section:
    """One benchmark's results: rows of raw values (kept as they are in the JSON)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def over_budget(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row.get("verdict") == "OVER"]


def kb(size: int) -> str:
    """Bytes as kilobytes (1 KB = 1 000 bytes, as the budget is written)."""
    return f"{size / 1000:.1f}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def render(section: Section) -> str:
    cells = [[column.header for column in section.columns]]
    for row in section.rows:
        cells.append(
            [
                column.format(row[column.key]) if row.get(column.key) is not None else ""
                for column in section.columns
            ]
        )
    widths = [max(len(line[index]) for line in cells) for index in range(len(section.columns))]

    def line(values: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if column.right else value.ljust(width)
            for value, width, column in zip(values, widths, section.columns, strict=True)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    out = [section.title, "=" * len(section.title), line(cells[0]), rule]
    out += [line(values) for values in cells[1:]]
    out += [f"  {note}" for note in section.notes]
    return "\n".join(out)


def write_json(path: Path, meta: dict[str, Any], sections: list[Section]) -> None:
    document = {
        **meta,
        "benchmarks": {
            section.key: {"title": section.title, "rows": section.rows, "notes": section.notes}
            for section in sections
        },
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
