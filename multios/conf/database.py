# SPDX-License-Identifier: Apache-2.0
"""[DEFAULT] state_path and the oslo.db [database] group.

The database is where every MultiOS process keeps its shared state
(launches, reservations, leak sightings, rate limits). Its options are
oslo.db's own; only the default connection is MultiOS's: an sqlite file
in ``state_path``, so that one host needs no set-up at all.
"""

import copy
import os

from oslo_config import cfg
from oslo_db import options as oslo_db_options

#: Where the RPM's multios user keeps its state.
SYSTEM_STATE_PATH = '/var/lib/multios'
DEFAULT_CONNECTION = 'sqlite:///$state_path/multios.sqlite'
#: oslo.db defaults MultiOS changes. No connection retries at start: a
#: process must answer "database unavailable" at once, and MultiOS retries
#: its own transactions where that is safe.
DATABASE_DEFAULTS = {'connection': DEFAULT_CONNECTION, 'max_retries': 0}


def default_state_path():
    """/var/lib/multios where this user may write there, else ~/.local/state.

    An operator's own shell (not root, no multios group) still gets a
    working default for the CLI.
    """
    if os.access(SYSTEM_STATE_PATH, os.W_OK) or (
            not os.path.exists(SYSTEM_STATE_PATH) and os.geteuid() == 0):
        return SYSTEM_STATE_PATH
    return os.path.join(
        os.environ.get('XDG_STATE_HOME') or os.path.expanduser(
            '~/.local/state'), 'multios')


state_path_opts = [
    cfg.StrOpt('state_path',
               default=default_state_path(),
               sample_default=SYSTEM_STATE_PATH,
               help='Directory of the files MultiOS keeps: the default '
                    'sqlite database, and the clouds-HOST.json where the '
                    'multios CLI keeps each cloud\'s circuit breaker and '
                    'token between runs (mode 0600). The default is '
                    '/var/lib/multios, or ~/.local/state/multios for a '
                    'user who cannot write there.'),
]


def register_opts(conf):
    conf.register_opts(state_path_opts)
    oslo_db_options.set_defaults(conf)
    for name, value in DATABASE_DEFAULTS.items():
        conf.set_default(name, value, group='database')


def _sample_database_opts():
    """oslo.db's options as MultiOS sets them, for the sample config."""
    opts = []
    for opt in oslo_db_options.database_opts:
        if opt.dest in DATABASE_DEFAULTS:
            opt = copy.deepcopy(opt)
            opt.default = DATABASE_DEFAULTS[opt.dest]
        opts.append(opt)
    return opts


def list_opts():
    return {'DEFAULT': state_path_opts, 'database': _sample_database_opts()}
