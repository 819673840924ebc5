# SPDX-License-Identifier: Apache-2.0
"""[health] options: the per-cloud circuit breaker."""

from oslo_config import cfg

from multios.conf import groups

health_group = cfg.OptGroup(
    'health', title='Cloud health options',
    help='When MultiOS stops calling a failing cloud, and for how long. '
         'A service keeps each cloud\'s circuit in memory; the multios CLI '
         'keeps it (and the cloud\'s token) from one run to the next in '
         'state_path, one file per host, so that the failures of its runs '
         'add up and a run skips a cloud whose circuit an earlier one '
         'opened.')

health_opts = [
    cfg.IntOpt('failure_threshold',
               default=3,
               min=1,
               help='Consecutive failed calls that open a cloud\'s circuit.'),
    cfg.IntOpt('cooldown',
               default=30,
               min=0,
               help='Seconds an open circuit rejects calls before one probe '
                    'call is let through.'),
]


def register_opts(conf):
    groups.register(conf, health_group, health_opts)


def list_opts():
    return {health_group: health_opts}
