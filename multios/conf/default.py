# SPDX-License-Identifier: Apache-2.0
"""[DEFAULT] options: which clouds MultiOS federates."""

from oslo_config import cfg

default_opts = [
    cfg.ListOpt('clouds',
                default=[],
                help='Names of the federated clouds. Each name needs a '
                     '[cloud:NAME] group or an entry in clouds_yaml. Clouds '
                     'defined by files in --config-dir are added without '
                     'being listed here.'),
    cfg.StrOpt('home_cloud',
               help='The cloud whose Keystone is the home identity: the one '
                    'the API\'s [keystone_authtoken] validates tokens '
                    'against, whose project and user ids own the servers '
                    'MultiOS launches. The multios CLI acts as the project '
                    'and user of this cloud\'s operator account. Default: '
                    'the first cloud.'),
    cfg.StrOpt('clouds_yaml',
               help='Path of an openstacksdk clouds.yaml. It supplies the '
                    'settings of listed clouds that have no [cloud:NAME] '
                    'group.'),
]


def register_opts(conf):
    conf.register_opts(default_opts)


def list_opts():
    return {'DEFAULT': default_opts}
