"""Compile the gettext catalogues without GNU gettext.

Django's own `compilemessages` shells out to `msgfmt`, which a fresh machine does not have, so
the `.mo` files are committed and this command rebuilds them with `polib`. The output depends
only on the `.po` (sorted keys, fixed byte order, no hash table), so a test can recompile in
memory and compare bytes to catch a `.po` edited without recompiling.
"""

import struct
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]  # no types-polib in the dev dependencies
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

MO_MAGIC = 0x950412DE


def locale_dir() -> Path:
    """The project's own locale folder (the first of LOCALE_PATHS)."""
    return Path(settings.LOCALE_PATHS[0])


def po_files() -> list[Path]:
    """Every `<lang>/LC_MESSAGES/django.po` in the project's locale folder, sorted."""
    return sorted(locale_dir().glob("*/LC_MESSAGES/django.po"))


def _key(entry: polib.POEntry) -> str:
    key = entry.msgid
    if entry.msgid_plural:
        key += "\0" + entry.msgid_plural
    if entry.msgctxt is not None:
        key = entry.msgctxt + "\x04" + key
    return key


def _value(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\0".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return str(entry.msgstr)


def mo_bytes(po: polib.POFile) -> bytes:
    """The binary `.mo` for a parsed catalogue: header plus every translated, non-fuzzy entry.

    Untranslated entries are left out, so gettext falls back (English to the msgid, Bambara to
    French); a plural entry counts only when all its forms are filled in. The entries are the
    ones GNU msgfmt would write, in its order, without its optional hash table.
    """
    # Like msgfmt, leave out POT-Creation-Date: re-extracting without new strings changes only
    # that line, and it should not make the committed .mo look stale.
    header = "".join(
        f"{name}: {value}\n" for name, value in po.ordered_metadata() if name != "POT-Creation-Date"
    )
    pairs: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for entry in po:
        if entry.obsolete or entry.fuzzy or not entry.msgid or not entry.translated():
            continue
        pairs[_key(entry).encode("utf-8")] = _value(entry).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    ids_start = 7 * 4 + 16 * count
    ids = b"".join(key + b"\0" for key in keys)
    strs_start = ids_start + len(ids)
    key_table: list[int] = []
    value_table: list[int] = []
    id_offset = str_offset = 0
    for key in keys:
        value = pairs[key]
        key_table += [len(key), ids_start + id_offset]
        value_table += [len(value), strs_start + str_offset]
        id_offset += len(key) + 1
        str_offset += len(value) + 1
    strs = b"".join(pairs[key] + b"\0" for key in keys)
    # Little-endian whatever the machine, so the committed bytes never depend on who compiled.
    header_bytes = struct.pack("<7I", MO_MAGIC, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, ids_start)
    tables = struct.pack(f"<{4 * count}I", *key_table, *value_table)
    return header_bytes + tables + ids + strs


def compile_po(path: Path) -> bytes:
    """Parse the `.po` at `path` and return its `.mo` bytes (writes nothing)."""
    return mo_bytes(polib.pofile(str(path), wrapwidth=0))


class Command(BaseCommand):
    help = (
        "Compile every jigiya/locale/*/LC_MESSAGES/django.po into django.mo with polib "
        "(no GNU gettext needed). Fuzzy entries are skipped; the output is deterministic."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit with an error if a .mo is missing or out of date.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = po_files()
        if not paths:
            raise CommandError(f"No django.po found under {locale_dir()}.")
        stale: list[Path] = []
        for po_path in paths:
            mo_path = po_path.with_suffix(".mo")
            try:
                data = compile_po(po_path)
            except (OSError, ValueError) as error:
                raise CommandError(f"{po_path}: {error}") from error
            current = mo_path.read_bytes() if mo_path.exists() else None
            language = po_path.parent.parent.name
            if current == data:
                self.stdout.write(f"{language}: up to date")
                continue
            if options["check"]:
                stale.append(mo_path)
                self.stdout.write(self.style.ERROR(f"{language}: {mo_path} is out of date"))
                continue
            mo_path.write_bytes(data)
            self.stdout.write(self.style.SUCCESS(f"{language}: wrote {mo_path}"))
        if stale:
            raise CommandError("Run `make messages` to recompile the catalogues.")
