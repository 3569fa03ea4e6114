"""What the interop servers share: serve a WSGI application on 127.0.0.1, announce it with one
JSON line on stdout, stop when stdin closes or on SIGTERM/SIGINT.

The Rust side (tests/integration/interop_support.rs) starts a server, reads that line, and
closes the server's stdin to stop it: no server outlives its test, even if the test panics.
"""

import json
import os
import signal
import socketserver
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


# Django's logging for the interop servers: warnings to stderr (the test shows it when the server
# fails to start). Refused requests are the point of most cases, so 4xx warnings are noise.
DJANGO_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},
}


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


def listen(application):
    """A threaded WSGI server on a free port of 127.0.0.1 (never another interface)."""
    return make_server("127.0.0.1", 0, application,
                       server_class=ThreadingWSGIServer, handler_class=QuietHandler)


def url_of(server):
    return f"http://127.0.0.1:{server.server_port}"


def serve_until_stdin_closes(server, announcement, cleanup=None):
    """Print `announcement` as one JSON line, serve until stdin closes or a signal, then exit."""

    def stop(*_):
        # shutdown() waits for serve_forever() to return: never call it on its own thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    def watch_stdin():
        # The raw descriptor, not sys.stdin: a daemon thread blocked in a buffered read holds
        # its lock, and the interpreter's shutdown would then wait for it.
        try:
            while os.read(0, 4096):
                pass
        finally:
            stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=watch_stdin, daemon=True).start()

    sys.stdout.write(json.dumps(announcement) + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        if cleanup is not None:
            cleanup()
    # The stdin watcher may still be blocked in read(): leave without waiting for it.
    sys.stdout.flush()
    os._exit(0)
