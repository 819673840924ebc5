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

"""The ``[api]`` options of the MultiOS REST API."""

from oslo_config import cfg

from multios.conf import groups

api_group = cfg.OptGroup(
    'api', title='MultiOS REST API',
    help='Options of the multios-api service and of the MultiOS paste '
         'filter inside nova-api.')

API_OPTS = [
    cfg.StrOpt('api_paste_config', default='api-paste.ini',
               help='Paste deploy configuration of the API, looked up next '
                    'to the configuration files when relative.'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='The most servers one page of os-federation/servers '
                    'holds, whatever limit the client asks (Nova\'s [api] '
                    'max_limit); a page with more after it links to the '
                    'next one.'),
    cfg.IntOpt('fping_rate_limit', default=12, min=0,
               help='Requests to os-fping allowed per project within '
                    'fping_rate_period (0 disables the limit). The hits '
                    'are counted in the database: the limit holds across '
                    'every API process sharing it.'),
    cfg.IntOpt('fping_rate_period', default=3600, min=1,
               help='Length in seconds of the sliding window of '
                    'fping_rate_limit.'),
]


def register_opts(conf):
    """Register the ``[api]`` options; safe to call more than once."""
    groups.register(conf, api_group, API_OPTS)


def list_opts():
    """The options for oslo-config-generator (namespace multios.api)."""
    return [(api_group, API_OPTS)]
