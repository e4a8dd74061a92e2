"""Gunicorn's settings for `jigiya serve --production` (docs/deploy.md).

`jigiya serve --production` passes `--bind` and `--workers` on the command line (they win over
this file); everything else is here. Each value can be changed with an environment variable of
the same name in capitals prefixed GUNICORN_ (e.g. GUNICORN_TIMEOUT=60) without editing code.
"""

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(f"GUNICORN_{name}")
    return int(value) if value else default


def cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the
    machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """Gunicorn's rule for sync workers, 2 x cores + 1: Django's requests spend part of their
    time waiting on the database, so about two per core keep the cores busy, and the extra one
    covers a worker being restarted (max_requests)."""
    return 2 * cores() + 1


wsgi_app = "jigiya.wsgi:application"
bind = ["127.0.0.1:8000"]  # behind the reverse proxy on the same machine
workers = default_workers()
# Sync workers: one request at a time each, the model Django's ORM and its per-thread
# connections are written for; the reverse proxy buffers slow clients (phones on 2G/3G).
worker_class = "sync"
# Fail fast rather than hold a worker: no page or API call should take 30 s (long work goes to
# the task worker); the proxy's own timeout is set longer (docs/deploy.md).
timeout = _env_int("TIMEOUT", 30)
graceful_timeout = _env_int("GRACEFUL_TIMEOUT", 30)
# Restart each worker after about a thousand requests so slow leaks cannot grow; the jitter
# keeps all workers from restarting at once.
max_requests = _env_int("MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("MAX_REQUESTS_JITTER", 100)
backlog = _env_int("BACKLOG", 2048)
# Load Django once in the master and fork: workers start fast and an import error stops the
# start instead of a crash loop. Django opens no database connection at import time.
preload_app = True
# Only the local proxy may say a request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No runtime control socket: systemd starts, reloads (SIGHUP) and stops the server.
control_socket_disable = True

# Logs to stdout/stderr (the journal under systemd). The access line: client (and the address
# the proxy forwarded), time, request, status, bytes, duration in ms, worker pid.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # set empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = (
    '%(h)s fwd=%({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms pid=%(p)s "%(a)s"'
)
proc_name = "jigiya"
