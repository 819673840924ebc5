# SPDX-License-Identifier: Apache-2.0
"""A threaded WSGI listener that a supervisor can close and reopen.

A testbed service must be able to look "down" to its clients (connection
refused) while keeping everything it holds in memory, so that ``start()``
brings the cloud back as it was. The supervisor writes the state it wants,
``open`` or ``closed``, into the service's control file and sends SIGUSR1;
SIGTERM and SIGINT end the process at once.

A signal only means "read the control file again". Standard signals are not
queued and two pending ones are handled lowest number first, so a signal per
command (close, then open) could be merged or run out of order; with the
file, the last state written wins. Signal handlers only queue the request:
the main loop does the work, one request after another.
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
OPEN = 'open'
CLOSED = 'closed'


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
    block_on_close = False  # closing must not wait for requests in flight
    allow_reuse_address = True
    request_queue_size = 128


class Listener:
    """Serve ``app`` on ``host:port``; close and reopen on demand.

    Only the main loop opens and closes, one request at a time.
    """

    def __init__(self, app, host, port):
        self.app = app
        self.host = host
        self.port = port
        self._server = None
        self._thread = None

    def open(self, bind_timeout=10):
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
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None

    def follow(self, control_path):
        """Open or close as the control file says."""
        with open(control_path) as control:
            wanted = control.read().strip()
        if wanted == CLOSED:
            self.close()
        else:
            self.open()

    def serve_until_terminated(self, ready_message, control_path):
        """Open, print ``ready_message``, then follow the control file on
        SIGUSR1 until told to end.
        """
        requests = queue.SimpleQueue()  # put() is safe in a signal handler
        for signum, request in ((signal.SIGUSR1, control_path),
                                (signal.SIGTERM, None),
                                (signal.SIGINT, None)):
            signal.signal(signum, lambda *_, r=request: requests.put(r))
        self.open()
        print(ready_message, flush=True)
        while True:
            try:
                request = requests.get(timeout=1)
            except queue.Empty:
                continue
            if request is None:
                break
            self.follow(request)
        self.close()
        sys.stdout.flush()
        # Nova's services leave non-daemon threads behind; an in-memory
        # testbed service has nothing to save, so it ends here and now.
        os._exit(0)


def serve(app, spec, ready_message):
    """Serve ``app`` as the supervisor's ``spec`` says, until terminated."""
    listener = Listener(app, spec['host'], spec['port'])
    listener.serve_until_terminated(ready_message, spec['control_file'])
