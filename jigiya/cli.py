"""The `jigiya` command: Django's management commands, with a few friendly names.

jigiya demo                       load the demo world (idempotent)
jigiya generate --scale district  synthetic data for benchmarks
jigiya worker                     run background tasks
jigiya serve [addr:port]          development server on 127.0.0.1:8000
jigiya <any manage.py command>    e.g. jigiya migrate, jigiya createsuperuser
"""

import os
import sys

ALIASES = {
    "serve": ["runserver"],
    "verify-places": ["verify_places"],
    "dhis2-push": ["dhis2_push"],
    "verify-ledgers": ["verify_ledgers"],
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jigiya.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] in {"-h", "--help", "help"} and len(args) == 1):
        print(__doc__)
        return
    command, rest = args[0], args[1:]
    if command == "serve" and not rest:
        rest = ["127.0.0.1:8000"]
    execute_from_command_line(["jigiya", *ALIASES.get(command, [command]), *rest])


if __name__ == "__main__":
    main()
