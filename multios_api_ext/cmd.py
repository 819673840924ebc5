# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""multios-api: serve the MultiOS REST API of a paste configuration.

A threaded wsgiref server, enough for one host and for the demo; production
deployments run wsgi.py under mod_wsgi or uwsgi instead.
"""

import socketserver
import sys
from wsgiref import simple_server

from oslo_config import cfg
from oslo_log import log as logging

from multios import conf as core_conf
from multios.db import api as db_api
from multios import exception

from multios_api_ext import app
from multios_api_ext import conf as api_conf

LOG = logging.getLogger(__name__)

CLI_OPTS = [
    cfg.HostAddressOpt('host', default='127.0.0.1',
                       help='Address to listen on.'),
    cfg.PortOpt('port', default=8790, help='Port to listen on.'),
    cfg.StrOpt('paste-config',
               help='Paste deploy file to serve instead of '
                    '[api] api_paste_config.'),
]


class ThreadingWSGIServer(socketserver.ThreadingMixIn,
                          simple_server.WSGIServer):
    daemon_threads = True


def escape(text):
    """``text`` safe for one log line: what is not printable escaped.

    The request line comes from clients that have not authenticated yet:
    NUL, ESC or a newline in it must not reach the log as such. Its bytes,
    which http.server reads as latin-1, are shown as the UTF-8 they
    usually are.
    """
    try:
        text = text.encode('latin-1').decode('utf-8')
    except UnicodeError:
        pass  # no UTF-8: each byte as its latin-1 character
    return ''.join(
        char if char.isprintable() and char != '\\'
        else char.encode('unicode_escape').decode('ascii')
        for char in text)


class QuietHandler(simple_server.WSGIRequestHandler):
    """Log each request through oslo.log rather than on stderr."""

    def log_message(self, format, *args):
        LOG.info('%s %s', self.address_string(), escape(format % args))


def _check_database(conf):
    """An old schema stops the start; an unreachable database does not:
    requests answer 503 until it is back.
    """
    try:
        db_api.Database(conf).ensure_schema()
    except exception.DatabaseUnavailable as error:
        LOG.warning('%s: requests needing it fail until it is back', error)


def main(argv=None):
    conf = core_conf.CONF
    api_conf.register_opts(conf)
    conf.register_cli_opts(CLI_OPTS)
    try:
        core_conf.load(argv, conf)
        application = app.load_app(conf, conf.paste_config)
        _check_database(conf)
    except (exception.ConfigError, exception.SchemaOutdated) as error:
        sys.exit('multios-api: %s' % error)
    try:
        server = simple_server.make_server(
            conf.host, conf.port, application,
            server_class=ThreadingWSGIServer, handler_class=QuietHandler)
    except OSError as error:
        sys.exit('multios-api: cannot listen on %s port %s: %s'
                 % (conf.host, conf.port, error.strerror or error))
    LOG.info('multios-api serving on http://%(host)s:%(port)s/',
             {'host': conf.host, 'port': server.server_port})
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == '__main__':
    main()
