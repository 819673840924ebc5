# SPDX-License-Identifier: Apache-2.0
"""[engine] options: durable launches, adoption and leak cleanup."""

from oslo_config import cfg

from multios.conf import groups

engine_group = cfg.OptGroup(
    'engine', title='Launch engine options',
    help='How MultiOS processes carry launches to their end, adopt those '
         'of a process that died, and clean up leaked servers. They hold '
         'for every process sharing the [database] connection: multios-api, '
         'multios-engine and the multios CLI.')

engine_opts = [
    cfg.IntOpt('workers',
               default=16,
               min=1,
               help='Most instances one process launches at the same time.'),
    cfg.FloatOpt('heartbeat_interval',
                 default=10.0,
                 min=0.01,
                 help='Seconds between two heartbeats of a process on the '
                      'launches it carries.'),
    cfg.FloatOpt('adopt_after',
                 default=60.0,
                 min=0.1,
                 help='Seconds without a heartbeat after which another '
                      'process adopts a launch. Keep it several '
                      'heartbeat_interval long.'),
    cfg.BoolOpt('adopt_in_api',
                default=True,
                help='Whether multios-api processes adopt orphaned launches '
                     'too, not only multios-engine.'),
    cfg.FloatOpt('poll_interval',
                 default=1.0,
                 min=0.0,
                 help='Seconds between two looks at a server being built or '
                      'deleted.'),
    cfg.FloatOpt('cleanup_interval',
                 default=300.0,
                 min=1.0,
                 help='Seconds between two leak cleanup passes of '
                      'multios-engine.'),
    cfg.FloatOpt('cleanup_min_age',
                 default=600.0,
                 min=0.0,
                 help='Least seconds between the pass that first sees a '
                      'leaked server and the pass that deletes it.'),
    cfg.FloatOpt('leak_ttl',
                 default=86400.0,
                 min=60.0,
                 help='Seconds after a launch ended during which cleanup '
                      'still looks for servers it may have left; older '
                      'records are no longer candidates.'),
]


def register_opts(conf):
    groups.register(conf, engine_group, engine_opts)


def list_opts():
    return {engine_group: engine_opts}
