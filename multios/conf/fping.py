# SPDX-License-Identifier: Apache-2.0
"""[fping] options: how the fping health check runs."""

import os

from oslo_config import cfg

from multios.conf import groups

FPING_CANDIDATES = ('/usr/sbin/fping', '/usr/bin/fping')


def default_fping_path():
    """The first existing fping of /usr/sbin (upstream) and /usr/bin (Debian).

    Falls back to /usr/sbin/fping so a missing fping is reported as such.
    """
    for path in FPING_CANDIDATES:
        if os.path.exists(path):
            return path
    return FPING_CANDIDATES[0]


fping_group = cfg.OptGroup(
    'fping', title='fping options',
    help='The fping check that tells which instances answer.')

fping_opts = [
    cfg.StrOpt('fping_path',
               default=default_fping_path(),
               sample_default='/usr/sbin/fping',
               help='Path of the fping binary. The default is '
                    '/usr/sbin/fping, or /usr/bin/fping (Debian) when only '
                    'that one exists.'),
    cfg.IntOpt('interval',
               default=1,
               min=1,
               help='Milliseconds between two pings sent (fping -i).'),
    cfg.IntOpt('retries',
               default=1,
               min=0,
               help='Retries per address (fping -r).'),
    cfg.IntOpt('timeout',
               default=300,
               min=1,
               help='Milliseconds to wait for an answer (fping -t).'),
    cfg.IntOpt('chunk_size',
               default=256,
               min=1,
               help='Most addresses given to one fping run.'),
]


def register_opts(conf):
    groups.register(conf, fping_group, fping_opts)


def list_opts():
    return {fping_group: fping_opts}
