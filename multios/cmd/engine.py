# SPDX-License-Identifier: Apache-2.0
"""multios-engine: the service that adopts orphaned launches and cleans up.

``multios-engine --config-file /etc/multios/multios.conf``. It runs until
SIGTERM or SIGINT, then finishes the step in hand and hands back the
launches it carries.
"""

import signal
import sys
import threading

from oslo_log import log as logging

from multios import conf as multios_conf
from multios import core
from multios import engine
from multios import exception

LOG = logging.getLogger(__name__)


def main(argv=None, conf=multios_conf.CONF):
    logging.register_options(conf)
    try:
        multios_conf.load(argv, conf=conf)
    except exception.MultiOSError as error:
        sys.exit('multios-engine: %s' % error)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    try:
        engine.Engine(core.Core(conf, 'engine')).run(stopping)
    except exception.SchemaOutdated as error:
        sys.exit('multios-engine: %s' % error)
    return 0


if __name__ == '__main__':
    sys.exit(main())
