"""Functions a reader can hold (STYLE.md 15): list every function longer than 80 lines under the
given folders, leaving out migrations, tests and the data generators (generate.py, demo.py and
followup's bulk loader), whose length is a list of data. Exits 1 when there is one. `make lint`."""

import ast
import sys
from pathlib import Path

LIMIT = 80
SKIPPED_FOLDERS = {"migrations", "tests"}
SKIPPED_FILES = {"generate.py", "demo.py", "bulk.py"}


def too_long(root: Path, limit: int = LIMIT) -> list[tuple[int, str, str]]:
    """(length, "path:line", name) of each function longer than `limit` lines."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if SKIPPED_FOLDERS & set(path.parts) or path.name in SKIPPED_FILES:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - start + 1
                if length > limit:
                    found.append((length, f"{path}:{node.lineno}", node.name))
    return sorted(found, reverse=True)


def main(folders: list[str]) -> int:
    rows = [row for folder in folders or ["jigiya"] for row in too_long(Path(folder))]
    for length, where, name in rows:
        print(f"{where}: {name} is {length} lines long (at most {LIMIT}: split it into steps)")
    return 1 if rows else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
