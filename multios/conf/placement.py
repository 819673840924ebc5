# SPDX-License-Identifier: Apache-2.0
"""[placement] options: how the placement engine and the launcher decide."""

from oslo_config import cfg

from multios.conf import groups

placement_group = cfg.OptGroup(
    'placement', title='Placement options',
    help='How MultiOS picks a cloud for a launch and fails over.')

placement_opts = [
    cfg.StrOpt('strategy',
               default='spread',
               choices=[('spread', 'prefer the cloud with most free quota'),
                        ('pack', 'fill the fullest cloud that still fits '
                                 'first'),
                        ('round_robin', 'take the fitting clouds in turn')],
               help='Placement strategy.'),
    cfg.IntOpt('max_attempts',
               default=3,
               min=1,
               help='Most clouds a launch tries before it fails.'),
    cfg.IntOpt('launch_timeout',
               default=300,
               min=1,
               help='Seconds a server may take to become ACTIVE before the '
                    'launcher gives up on that cloud.'),
    cfg.IntOpt('quota_cache_ttl',
               default=30,
               min=0,
               help='Seconds a cloud\'s limits and usage are reused before '
                    'they are read again.'),
]


def register_opts(conf):
    groups.register(conf, placement_group, placement_opts)


def list_opts():
    return {placement_group: placement_opts}
