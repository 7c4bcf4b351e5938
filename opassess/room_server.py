"""The room's HTTP side: the standard library's ThreadingHTTPServer, within limits.

Every request is decided by the `Room` (opassess.room); this module only reads requests
strictly and answers them: JSON or a page asset, the documented headers on every response
(errors included), a 4xx with a plain sentence for anything malformed, never Python's own
pages, traces or paths. It also keeps a room's connections within limits: per address, in all
(the address holding the most giving way when all are in use) and a deadline for reading each
request, so a slow client holds a thread for seconds, not for as long as it likes.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opassess.paths import resources_dir
from opassess.room import (
    MAX_CONNECTIONS,
    MAX_CONNECTIONS_PER_ADDRESS,
    READ_DEADLINE_S,
    REQUEST_TIMEOUT_S,
    SECURITY_HEADERS,
    SMALL_BODY_BYTES,
    Room,
    RoomRefusal,
)
from opassess.validation import JsonProblem, parse_json

_ASSETS = {
    "": ("phone.html", "text/html; charset=utf-8"),
    "phone.js": ("phone.js", "text/javascript; charset=utf-8"),
    "phone.css": ("phone.css", "text/css; charset=utf-8"),
}


# -- HTTP --------------------------------------------------------------------------------------

_ALLOWED_METHODS = "GET, HEAD, POST"


class _Handler(BaseHTTPRequestHandler):
    """One connection: every request answered in JSON (or a page asset) with the documented
    headers, every malformed one with a 4xx and a plain sentence, never Python's own pages."""

    server: RoomServer
    server_version = "OpAssess"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a room's requests are nobody's business, and the log is not for phones

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.request_timeout_s)  # a silent client is let go

    def handle_one_request(self) -> None:
        # The whole of reading a request is timed from here, so a client that trickles a byte
        # at a time cannot hold this thread longer than READ_DEADLINE_S.
        self.server.reading(self.connection, self.client_address[0])
        try:
            super().handle_one_request()
        finally:
            self.server.done_reading(self.connection)

    def parse_request(self) -> bool:
        words = len(getattr(self, "raw_requestline", b"").split())
        if words <= 2:
            # HTTP/0.9 ("GET /path") or a blank line: no headers could be sent back, and the
            # standard library would wait for headers that never come, or answer nothing
            self.command, self.requestline, self.request_version = "", "", "HTTP/1.0"
            self.send_error(HTTPStatus.BAD_REQUEST)
            return False
        if not super().parse_request():
            return False
        if self.request_version not in ("HTTP/1.0", "HTTP/1.1"):
            self.request_version = "HTTP/1.0"
            self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED)
            return False
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's errors (a bad request line, a method it does not know, headers
        too long) answered like every other: JSON, a plain sentence, the documented headers."""
        if self.server.was_cut(self.connection):  # past its deadline: already answered
            self.close_connection = True
            return
        status = HTTPStatus(code)
        extra: tuple[tuple[str, str], ...] = ()
        if getattr(self, "request_version", "") not in ("HTTP/1.0", "HTTP/1.1"):
            self.request_version = "HTTP/1.0"  # else no status line or headers would be sent
        if status == HTTPStatus.NOT_IMPLEMENTED:  # a method the room does not take
            status = HTTPStatus.METHOD_NOT_ALLOWED
            extra = (("Allow", _ALLOWED_METHODS),)
        self.close_connection = True
        words = {
            HTTPStatus.METHOD_NOT_ALLOWED: "The room does not take requests of that kind.",
            HTTPStatus.REQUEST_URI_TOO_LONG: "That address is too long.",
            HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE: "The request's headers are too long.",
        }.get(status, "The request could not be read.")
        if self.command is None:
            self.command = ""
        self._send(*_json({"error": words}, status), extra=extra)

    def do_GET(self) -> None:
        self._answer(self._get)

    def do_HEAD(self) -> None:
        self._answer(self._get)

    def do_POST(self) -> None:
        self._answer(self._post)

    def _check_host(self) -> None:
        # A page from elsewhere that points its own name at this address (DNS rebinding) sends
        # its own name as Host: only the room's address is answered.
        if self.headers.get("Host", "").strip().lower() not in self.server.hosts:
            raise RoomRefusal(HTTPStatus.MISDIRECTED_REQUEST, "This is not the room's address.")

    def _room_path(self) -> str:
        """The path inside the room ('', 'phone.js', 'api/form'), or refuse a wrong token."""
        path = self.path.split("?", 1)[0]
        prefix = f"/r/{self.server.room.token}/"
        if not path.startswith(prefix):
            if path == f"/r/{self.server.room.token}":
                raise _Redirect(prefix)
            if path.startswith("/r/"):  # a room's address, mistyped or guessed: counted
                raise self.server.room.refuse_wrong_address(self.client_address[0])
            # what browsers ask for by themselves (an icon) is not a guess
            raise RoomRefusal(HTTPStatus.NOT_FOUND, "There is no room at this address.")
        return path[len(prefix) :]

    def _get(self) -> tuple[HTTPStatus, bytes, str]:
        self.server.done_reading(self.connection)
        inner = self._room_path()
        if inner in _ASSETS:
            name, kind = _ASSETS[inner]
            return HTTPStatus.OK, self.server.asset(name), kind
        if inner == "api/form":
            return _json(self.server.room.form(self.headers.get("X-Person")))
        raise RoomRefusal(HTTPStatus.NOT_FOUND, "There is nothing at this address.")

    def _post(self) -> tuple[HTTPStatus, bytes, str]:
        inner = self._room_path()
        room = self.server.room
        client = self.client_address[0]
        actions: dict[str, tuple[int, Callable[[Any], dict[str, Any]]]] = {
            "api/join": (SMALL_BODY_BYTES, lambda body: room.join(_object(body), client)),
            "api/claim": (SMALL_BODY_BYTES, lambda body: room.claim(_object(body), client)),
            "api/submit": (
                room.submission_limit(),
                lambda body: room.submit(self.headers.get("X-Person"), body),
            ),
        }
        found = actions.get(inner)
        if found is None:
            raise RoomRefusal(HTTPStatus.NOT_FOUND, "There is nothing at this address.")
        self._check_from_the_page()
        limit, action = found
        body = self._body(limit)
        self.server.done_reading(self.connection)
        return _json(action(body))

    def _check_from_the_page(self) -> None:
        """Only the room's own page may post: JSON (which a form on another site cannot send
        without asking first), from the room's origin when the browser says where it came from."""
        kind = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if kind != "application/json":
            self.close_connection = True
            raise RoomRefusal(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "The room takes only its own page's answers."
            )
        origin = self.headers.get("Origin")
        site = self.headers.get("Sec-Fetch-Site")
        if (origin is not None and origin.lower() not in self.server.origins) or (
            site is not None and site != "same-origin"
        ):
            self.close_connection = True
            raise RoomRefusal(HTTPStatus.FORBIDDEN, "The room takes only its own page's answers.")

    def _body(self, limit: int) -> Any:
        length_text = self.headers.get("Content-Length", "").strip()
        # ASCII digits only: str.isdigit() also takes '²', which int() refuses
        if not (length_text.isascii() and length_text.isdigit()) or len(length_text) > 12:
            self.close_connection = True
            raise RoomRefusal(HTTPStatus.LENGTH_REQUIRED, "The request did not say its length.")
        length = int(length_text)
        if length > limit:
            self.close_connection = True
            raise RoomRefusal(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "That is more than a form can hold."
            )
        try:
            raw = self.rfile.read(length)
        except (TimeoutError, OSError):
            self.close_connection = True
            raise RoomRefusal(
                HTTPStatus.REQUEST_TIMEOUT, "The request took too long to arrive: send it again."
            ) from None
        if len(raw) < length:
            self.close_connection = True
            raise RoomRefusal(HTTPStatus.BAD_REQUEST, "The request ended early: send it again.")
        return _parsed(raw)

    def _answer(self, handle: Callable[[], tuple[HTTPStatus, bytes, str]]) -> None:
        if self.server.was_cut(self.connection):  # past its deadline: nobody is listening
            self.close_connection = True
            return
        try:
            self._check_host()
            status, payload, kind = handle()
        except _Redirect as redirect:
            self._send(
                HTTPStatus.MOVED_PERMANENTLY,
                b"",
                "text/plain",
                extra=(("Location", redirect.target),),
            )
            return
        except RoomRefusal as refusal:
            document = {"error": refusal.message}
            if refusal.wrong_field:
                document["field"] = refusal.wrong_field
            status, payload, kind = _json(document, refusal.status)
        except Exception:  # never a trace or a path in a response: the phone gets a plain word
            status, payload, kind = _json(
                {"error": "Something went wrong on the laptop: tell the facilitator."},
                HTTPStatus.INTERNAL_SERVER_ERROR,
            )
            self.server.failures += 1
        self._send(status, payload, kind)

    def _send(
        self,
        status: HTTPStatus,
        payload: bytes,
        kind: str,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.send_response(status)
        for name, value in _response_headers(kind, len(payload), extra):
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def _response_headers(
    kind: str, length: int, extra: tuple[tuple[str, str], ...] = ()
) -> tuple[tuple[str, str], ...]:
    """Every response's headers: its type and length, then the documented security headers."""
    return (
        ("Content-Type", kind),
        ("Content-Length", str(length)),
        *extra,
        *SECURITY_HEADERS,
    )


class _Redirect(Exception):
    def __init__(self, target: str) -> None:
        self.target = target


def _parsed(raw: bytes) -> Any:
    """A request body as JSON (opassess.validation.parse_json, as for every file), or a
    refusal: bad UTF-8, bad JSON, nesting too deep, a number too long, a lone surrogate."""
    try:
        return parse_json(raw.decode("utf-8"))
    except (UnicodeError, JsonProblem):
        raise RoomRefusal(HTTPStatus.BAD_REQUEST, "The request could not be read.") from None


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise RoomRefusal(HTTPStatus.BAD_REQUEST, "The request could not be read.")
    return body


def _json(document: object, status: HTTPStatus = HTTPStatus.OK) -> tuple[HTTPStatus, bytes, str]:
    return (
        status,
        json.dumps(document, ensure_ascii=False).encode("utf-8"),
        "application/json; charset=utf-8",
    )


def _canned(status: HTTPStatus, message: str, *extra: str) -> bytes:
    """A whole response written straight to a socket, where no handler can answer: a
    connection past the limits, or a request cut at its deadline."""
    _, payload, kind = _json({"error": message})
    lines = [f"HTTP/1.0 {status.value} {status.phrase}", "Connection: close", *extra]
    lines += [f"{name}: {value}" for name, value in _response_headers(kind, len(payload))]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


_BUSY = _canned(
    HTTPStatus.SERVICE_UNAVAILABLE, "The room is busy: try again in a moment.", "Retry-After: 2"
)
_TOO_SLOW = _canned(
    HTTPStatus.REQUEST_TIMEOUT, "The request took too long to arrive: send it again."
)


class RoomServer(ThreadingHTTPServer):
    """The room's HTTP server, bound to one address the facilitator chose, on a free port.

    A thread a connection, as the standard library does, within limits: a few dozen at once
    from one address and a few hundred in all, each request read within READ_DEADLINE_S.
    """

    daemon_threads = True
    # The port can be opened again at once after a room closes (not after a minute's wait for
    # the old connections to time out); on Windows that option would let another program take
    # the port from under the room, so there the port is claimed exclusively instead.
    allow_reuse_address = os.name != "nt"
    # The standard library listens with a backlog of 5: a room of phones sending at the same
    # moment would overflow it, and the kernel would drop or reset most of them.
    request_queue_size = 64

    def __init__(self, room: Room, host: str, port: int = 0) -> None:
        self.room = room
        self.failures = 0
        self.turned_away = 0
        self.request_timeout_s: float = REQUEST_TIMEOUT_S
        self.read_deadline_s: float = READ_DEADLINE_S
        self.max_connections = MAX_CONNECTIONS
        self.max_connections_per_address = MAX_CONNECTIONS_PER_ADDRESS
        self._assets: dict[str, bytes] = {}
        self._guard = threading.Lock()
        self._open_from: dict[str, int] = {}  # client address -> connections open
        self._deadlines: dict[socket.socket, float] = {}
        self._cut: set[socket.socket] = set()  # connections ended at their deadline
        self._reading_from: dict[socket.socket, str] = {}  # still reading: whose they are
        self.evicted = 0
        super().__init__((host, port), _Handler)
        self._thread: threading.Thread | None = None
        shown = self._shown_host()
        self.hosts = frozenset(
            {f"{shown}:{self.port}".lower()} | ({shown.lower()} if self.port == 80 else set())
        )
        self.origins = frozenset(f"http://{host}" for host in self.hosts)

    def server_bind(self) -> None:
        if os.name == "nt":
            exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", None)
            if exclusive is not None:
                self.socket.setsockopt(socket.SOL_SOCKET, exclusive, 1)
        # HTTPServer's own would look the address's name up (getfqdn), which can hold the
        # window for seconds on a laptop with no network to ask; the room never uses it
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def asset(self, name: str) -> bytes:
        found = self._assets.get(name)
        if found is None:
            found = self._assets[name] = (resources_dir() / "room" / name).read_bytes()
        return found

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def _shown_host(self) -> str:
        host = str(self.server_address[0])
        return f"[{host}]" if ":" in host else host

    @property
    def url(self) -> str:
        return f"http://{self._shown_host()}:{self.port}/r/{self.room.token}/"

    # -- connections within limits -------------------------------------------------------------

    def process_request(self, request: Any, client_address: Any) -> None:
        client = str(client_address[0])
        with self._guard:
            total = sum(self._open_from.values())
            full = self._open_from.get(client, 0) >= self.max_connections_per_address
            if not full and total >= self.max_connections:
                full = not self._make_room_for(client)
            if not full:
                self._open_from[client] = self._open_from.get(client, 0) + 1
        if full:
            self.turned_away += 1
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(_BUSY)
                request.shutdown(socket.SHUT_WR)
            self.close_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self._closed(client)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._closed(str(client_address[0]))
            with self._guard:
                self._deadlines.pop(request, None)
                self._cut.discard(request)

    def _closed(self, client: str) -> None:
        with self._guard:
            left = self._open_from.get(client, 1) - 1
            if left > 0:
                self._open_from[client] = left
            else:
                self._open_from.pop(client, None)

    def shutdown_request(self, request: Any) -> None:
        """Close after the answer has gone, reading briefly what the client still sends, so
        closing with a request unread does not reset the connection before the answer is read."""
        with contextlib.suppress(OSError):
            request.shutdown(socket.SHUT_WR)
            request.settimeout(0.5)
            for _ in range(16):
                if not request.recv(65536):
                    break
        self.close_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.failures += 1  # a connection that broke: nothing to print, nobody to tell

    def was_cut(self, connection: socket.socket) -> bool:
        with self._guard:
            return connection in self._cut

    def open_connections(self) -> int:
        with self._guard:
            return sum(self._open_from.values())

    def _make_room_for(self, client: str) -> bool:
        """With every connection in use, the address holding the most gives up one that is
        still waiting for its request, so a few addresses cannot keep the rest of the room
        out. Called holding the guard; False when nothing can give way."""
        heaviest = max(self._open_from, key=self._open_from.__getitem__, default=None)
        if heaviest is None or heaviest == client or self._open_from[heaviest] < 2:
            return False
        waiting = [c for c, owner in self._reading_from.items() if owner == heaviest]
        if not waiting:
            return False
        self._cut.add(waiting[0])
        self._deadlines.pop(waiting[0], None)
        self._reading_from.pop(waiting[0], None)
        with contextlib.suppress(OSError):
            waiting[0].shutdown(socket.SHUT_RDWR)
        self.evicted += 1
        return True

    def reading(self, connection: socket.socket, client: str) -> None:
        with self._guard:
            self._deadlines[connection] = time.monotonic() + self.read_deadline_s
            self._reading_from[connection] = client

    def done_reading(self, connection: socket.socket) -> None:
        with self._guard:
            self._deadlines.pop(connection, None)
            self._reading_from.pop(connection, None)

    def service_actions(self) -> None:
        """Between accepts (twice a second): end every request still being read past its
        deadline, which wakes the thread blocked on it."""
        now = time.monotonic()
        with self._guard:
            late = [c for c, deadline in self._deadlines.items() if deadline < now]
            for connection in late:
                del self._deadlines[connection]
                self._reading_from.pop(connection, None)
                self._cut.add(connection)
        for connection in late:
            with contextlib.suppress(OSError):
                # the whole answer fits the socket's buffer: sent without waiting
                connection.send(_TOO_SLOW, getattr(socket, "MSG_DONTWAIT", 0))
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def start(self) -> None:
        """Serve on a background thread until `stop()`."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="opassess-room", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and close the socket: nothing listens once the room is closed."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server_close()
