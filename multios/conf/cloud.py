# SPDX-License-Identifier: Apache-2.0
"""[cloud:NAME] options: one group per federated cloud.

The groups are dynamic, so the options are registered per group name by
``register_opts(conf, name)``; the sample config shows them as [cloud:name].
"""

from oslo_config import cfg

GROUP_PREFIX = 'cloud:'

cloud_opts = [
    cfg.URIOpt('auth_url',
               schemes=['http', 'https'],
               help='Keystone v3 URL of the cloud. Required.'),
    cfg.StrOpt('username',
               help='Operator account used by MultiOS in this cloud. '
                    'Required.'),
    cfg.StrOpt('password',
               secret=True,
               help='Password of the operator account. Required. Write '
                    'each "$" as "$$" (oslo.config reads $name as the value '
                    'of option name), and in double quotes a password with '
                    'spaces at either end.'),
    cfg.StrOpt('project_name',
               help='Project the operator account is scoped to. Required.'),
    cfg.StrOpt('user_domain_name',
               default='Default',
               help='Domain of the operator account.'),
    cfg.StrOpt('project_domain_name',
               default='Default',
               help='Domain of the project.'),
    cfg.StrOpt('region_name',
               help='Region to pick from the service catalog.'),
    cfg.StrOpt('interface',
               default='public',
               choices=[('public', 'endpoints for everyone'),
                        ('internal', 'endpoints on the cloud\'s internal '
                                     'network'),
                        ('admin', 'administrative endpoints')],
               help='Endpoint interface to use from the service catalog.'),
    cfg.BoolOpt('verify',
                default=True,
                help='Verify the TLS certificates of the cloud.'),
    cfg.StrOpt('cacert',
               help='CA bundle used to verify the cloud; implies verify.'),
    cfg.FloatOpt('weight',
                 default=1.0,
                 min=0.0,
                 help='Operator preference for this cloud in placement; '
                      'higher is preferred.'),
    cfg.BoolOpt('enabled',
                default=True,
                help='A disabled cloud is shown but neither queried nor '
                     'used for launches.'),
    cfg.BoolOpt('draining',
                default=False,
                help='A draining cloud is still listed and its servers can '
                     'still be deleted and checked, but placement sends it '
                     'no new launches.'),
    cfg.FloatOpt('api_timeout',
                 default=10.0,
                 min=0.1,
                 help='Seconds a request to this cloud may take, connecting '
                      'included; a federated call waits no longer than this '
                      '(plus 1 s) for the cloud\'s answer.'),
    cfg.DictOpt('network_aliases',
                default={},
                help='Network names as this cloud calls them, for launches '
                     'that ask for a network by name: "public:ext-net,'
                     'lan:private" boots a launch asking for "public" on '
                     'this cloud\'s "ext-net". A name without alias is '
                     'looked for as it is.'),
    cfg.IntOpt('max_concurrency',
               default=8,
               min=1,
               help='Most requests MultiOS runs against this cloud at once.'),
]

REQUIRED = ('auth_url', 'username', 'password', 'project_name')


def group_name(name):
    return GROUP_PREFIX + name


def register_opts(conf, name):
    conf.register_opts(cloud_opts, group=group_name(name))


def list_opts():
    sample_group = cfg.OptGroup(
        group_name('name'), title='One federated cloud',
        help='One such group per cloud, named after it: [cloud:alpha], '
             '[cloud:beta]... A group in the main configuration files must '
             'be listed in [DEFAULT] clouds; one in a --config-dir file is '
             'a cloud by itself.')
    return {sample_group: cloud_opts}
