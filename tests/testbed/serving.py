"""A threaded WSGI listener that a supervisor can close and reopen by signal.

A testbed service must be able to look "down" to its clients (connection
refused) while keeping everything it holds in memory, so that ``start()``
brings the cloud back as it was. SIGUSR1 closes the listening socket, SIGUSR2
opens it again on the same address; SIGTERM and SIGINT end the process at
once.

Signal handlers only queue a command: closing a server takes a while, and a
second signal arriving meanwhile would otherwise run nested inside the first
handler and deadlock on the listener's state. The main loop obeys the queued
commands one after another, in the order they were sent.
"""

import argparse
import errno
import json
import logging
import os
import queue
import signal
import socketserver
import sys
import threading
import time
from wsgiref import simple_server

LOG = logging.getLogger(__name__)


def read_spec(description, argv=None):
    """The JSON spec the testbed supervisor wrote for this service."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--spec', required=True,
                        help='JSON file written by the testbed supervisor')
    args = parser.parse_args(argv)
    with open(args.spec) as spec_file:
        return json.load(spec_file)


class _QuietHandler(simple_server.WSGIRequestHandler):
    """Log requests through logging instead of writing to stderr."""

    def log_message(self, format, *args):
        LOG.debug('%s - %s', self.address_string(), format % args)


class _ThreadingWSGIServer(socketserver.ThreadingMixIn,
                           simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class Listener:
    """Serve ``app`` on ``host:port``; close and reopen on demand."""

    def __init__(self, app, host, port):
        self.app = app
        self.host = host
        self.port = port
        self._server = None
        self._thread = None
        self._lock = threading.Lock()

    def open(self, bind_timeout=10):
        with self._lock:
            if self._server is not None:
                return
            server = self._bind(bind_timeout)
            self._thread = threading.Thread(
                target=server.serve_forever, name='listener-%d' % self.port,
                daemon=True)
            self._thread.start()
            self._server = server

    def _bind(self, timeout):
        """Bind again, waiting out a client socket that briefly holds the port.

        The port was picked from the ephemeral range, so while it is closed
        an outgoing connection may be given it as its local port.
        """
        deadline = time.monotonic() + timeout
        while True:
            try:
                return simple_server.make_server(
                    self.host, self.port, self.app,
                    server_class=_ThreadingWSGIServer,
                    handler_class=_QuietHandler)
            except OSError as error:
                if (error.errno != errno.EADDRINUSE or
                        time.monotonic() > deadline):
                    raise
                LOG.warning('Port %d busy, retrying', self.port)
                time.sleep(0.1)

    def close(self):
        with self._lock:
            if self._server is None:
                return
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    def serve_until_terminated(self, ready_message):
        """Open, print ``ready_message``, then obey signals until told to end."""
        commands = queue.SimpleQueue()  # put() is safe in a signal handler
        for signum, command in ((signal.SIGUSR1, self.close),
                                (signal.SIGUSR2, self.open),
                                (signal.SIGTERM, None),
                                (signal.SIGINT, None)):
            signal.signal(signum, lambda *_, c=command: commands.put(c))
        self.open()
        print(ready_message, flush=True)
        while True:
            try:
                command = commands.get(timeout=1)
            except queue.Empty:
                continue
            if command is None:
                break
            command()
        self.close()
        sys.stdout.flush()
        # Nova's services leave non-daemon threads behind; an in-memory
        # testbed service has nothing to save, so it ends here and now.
        os._exit(0)
