"""Rewrite `jigiya/followup/data/who2006_lms.csv` from WHO's own growth standards: the tables of
WHO's `anthro` R package (github.com/WorldHealthOrganization/anthro, `data-raw/growthstandards/`,
copied verbatim to `jigiya/followup/tests/data/who_anthro/`). Every row WHO has gets WHO's L, M
and S exactly as WHO wrote them; the file keeps its format (indicator, sex, x, L, M, S) and its
order; rows WHO's files lack (ages 1827-1856 days) are kept as they are. Prints each row changed.

    .venv/bin/python tools/who_lms.py [folder of weianthro.txt, lenanthro.txt, wfhanthro.txt,
                                       wflanthro.txt]
"""

import csv
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "jigiya" / "followup" / "data" / "who2006_lms.csv"
FIXTURE = ROOT / "jigiya" / "followup" / "tests" / "data" / "who_anthro"
FILES = {"wfa": "weianthro", "lhfa": "lenanthro", "wfh": "wfhanthro", "wfl": "wflanthro"}


def who_rows(folder: Path) -> dict[tuple[str, str, Decimal], tuple[str, str, str]]:
    """(indicator, "M"/"F", x) → (L, M, S) as written in WHO's tab-separated files (sex 1 is a
    boy, 2 a girl; x the age in days or the length/height in cm)."""
    rows = {}
    for indicator, name in FILES.items():
        with (folder / f"{name}.txt").open(newline="") as handle:
            reader = csv.reader(handle, delimiter="\t")
            next(reader)
            for sex, x, el, m, s, *_ in reader:
                rows[(indicator, "M" if sex == "1" else "F", Decimal(x))] = (el, m, s)
    return rows


def main(folder: Path) -> int:
    who = who_rows(folder)
    with TABLE.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    changed = 0
    for row in rows:
        published = who.get((row["indicator"], row["sex"], Decimal(row["x"])))
        ours = (row["L"], row["M"], row["S"])
        if published and tuple(map(Decimal, published)) != tuple(map(Decimal, ours)):
            print(row["indicator"], row["sex"], row["x"], ours, "→", published)
            row["L"], row["M"], row["S"] = published
            changed += 1
    with TABLE.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields or [], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{changed} rows changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE))
