"""A network that really fails (issue 16): a TCP relay in front of the live server that the
browser talks to. `cut()` closes it (every connection, then the port: "connection refused",
for the pages and the service worker alike, which the browser's offline emulation may not
reach); `restore()` opens it again on the same port. `lose_answer = True`: the network dies
as the answer to the next POST comes back (the server has it, the phone never hears);
`delay`: seconds each answer is held, a network slower than any page's patience."""

import contextlib
import re
import socket
import threading
import time
from typing import Any

REQUEST_LINE = re.compile(rb"[A-Z]+ /")


class Relay:
    def __init__(self, target: str) -> None:
        host, port = target.replace("http://", "").rstrip("/").split(":")
        self.target = (host, int(port))
        self.port = 0
        self.server: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.lose_answer = False
        self.delay = 0.0
        self.restore()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def restore(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        self.port = server.getsockname()[1]
        self.server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def cut(self) -> None:
        with self.lock:
            server, self.server = self.server, None
            sockets, self.sockets = self.sockets, []
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)  # wakes the thread in accept(): port freed
            server.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _address = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                if self.server is not server:
                    client.close()
                    upstream.close()
                    return
                self.sockets += [client, upstream]
            state = {"post": False, "asked": False}
            for source, sink, up in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(
                    target=self._pipe, args=(source, sink, up, state), daemon=True
                ).start()

    def _pipe(self, source: socket.socket, sink: Any, up: bool, state: dict[str, bool]) -> None:
        try:
            while data := source.recv(65536):
                if up:
                    if REQUEST_LINE.match(data):
                        state["post"] = data.startswith(b"POST ")
                    state["asked"] = True
                elif state["post"] and self.lose_answer:
                    self.lose_answer = False
                    self.cut()
                    return
                elif state["asked"] and self.delay:
                    state["asked"] = False
                    time.sleep(self.delay)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
