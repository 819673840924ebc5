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

"""Documented policy defaults of the MultiOS API, in Nova's style.

The base rules repeat Nova's names so that an operator who already tunes
``context_is_admin`` or ``project_reader_api`` for Nova recognises them.
"""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'

FPING = 'os_compute_api:os-fping'
FPING_ALL_TENANTS = 'os_compute_api:os-fping:all_tenants'
CLOUDS_INDEX = 'os_compute_api:os-federation:clouds:index'
CLOUDS_SHOW = 'os_compute_api:os-federation:clouds:show'
CLOUDS_CREATE = 'os_compute_api:os-federation:clouds:create'
CLOUDS_UPDATE = 'os_compute_api:os-federation:clouds:update'
CLOUDS_DELETE = 'os_compute_api:os-federation:clouds:delete'
PLACEMENT = 'os_compute_api:os-federation:placement'
SERVERS_INDEX = 'os_compute_api:os-federation:servers:index'
SERVERS_ALL_TENANTS = 'os_compute_api:os-federation:servers:index:all_tenants'
SERVERS_SHOW = 'os_compute_api:os-federation:servers:show'
SERVERS_CREATE = 'os_compute_api:os-federation:servers:create'
SERVERS_DELETE = 'os_compute_api:os-federation:servers:delete'
SERVERS_START = 'os_compute_api:os-federation:servers:start'
SERVERS_STOP = 'os_compute_api:os-federation:servers:stop'
SERVERS_REBOOT = 'os_compute_api:os-federation:servers:reboot'
SERVERS_CONSOLE_OUTPUT = 'os_compute_api:os-federation:servers:console_output'
FLAVORS_INDEX = 'os_compute_api:os-federation:flavors:index'
IMAGES_INDEX = 'os_compute_api:os-federation:images:index'
LAUNCHES_INDEX = 'os_compute_api:os-federation:launches:index'
LAUNCHES_ALL_TENANTS = (
    'os_compute_api:os-federation:launches:index:all_tenants')
LAUNCHES_SHOW = 'os_compute_api:os-federation:launches:show'
LAUNCHES_CANCEL = 'os_compute_api:os-federation:launches:delete'

_FEDERATION = '/os-federation'

base_rules = [
    policy.RuleDefault(
        'context_is_admin', 'role:admin',
        'Decides what is required for the is_admin:True check to succeed.'),
    policy.RuleDefault(
        'project_member_api', 'role:member and project_id:%(project_id)s',
        'Default rule for project level non admin APIs.'),
    policy.RuleDefault(
        'project_reader_api', 'role:reader and project_id:%(project_id)s',
        'Default rule for project level read only APIs.'),
    policy.RuleDefault(
        'project_member_or_admin',
        'rule:project_member_api or rule:context_is_admin',
        'Default rule for project member or admin APIs.'),
    policy.RuleDefault(
        'project_reader_or_admin',
        'rule:project_reader_api or rule:context_is_admin',
        'Default rule for project reader or admin APIs.'),
]


def _rule(name, check_str, description, method, path):
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': method, 'path': path}],
        scope_types=['project'])


api_rules = [
    _rule(FPING, PROJECT_READER_OR_ADMIN,
          'Check whether the servers of the project answer fping.',
          'GET', '/os-fping'),
    _rule(FPING_ALL_TENANTS, ADMIN,
          'Check the servers of every project with fping (all_tenants).',
          'GET', '/os-fping?all_tenants=1'),
    _rule(CLOUDS_INDEX, PROJECT_READER_OR_ADMIN,
          'List the federated clouds with state, latency and quota usage.',
          'GET', _FEDERATION + '/clouds'),
    _rule(CLOUDS_SHOW, PROJECT_READER_OR_ADMIN,
          'Show one federated cloud.',
          'GET', _FEDERATION + '/clouds/{name}'),
    _rule(CLOUDS_CREATE, ADMIN,
          'Register a cloud: its account is checked first, its password '
          'stored encrypted.',
          'POST', _FEDERATION + '/clouds'),
    _rule(CLOUDS_UPDATE, ADMIN,
          'Enable, disable, drain or weigh a registered cloud.',
          'PUT', _FEDERATION + '/clouds/{name}'),
    _rule(CLOUDS_DELETE, ADMIN,
          'Remove a registered cloud.',
          'DELETE', _FEDERATION + '/clouds/{name}'),
    _rule(PLACEMENT, PROJECT_READER_OR_ADMIN,
          'Rank the clouds for a launch request without creating anything.',
          'POST', _FEDERATION + '/placement'),
    _rule(SERVERS_INDEX, PROJECT_READER_OR_ADMIN,
          'List the servers of the project across every cloud.',
          'GET', _FEDERATION + '/servers'),
    _rule(SERVERS_ALL_TENANTS, ADMIN,
          'List the servers of every project (all_tenants).',
          'GET', _FEDERATION + '/servers?all_tenants=1'),
    _rule(SERVERS_SHOW, PROJECT_READER_OR_ADMIN,
          'Show one federated server.',
          'GET', _FEDERATION + '/servers/{server_id}'),
    _rule(SERVERS_CREATE, PROJECT_MEMBER_OR_ADMIN,
          'Launch servers on the cloud the placement chooses, with '
          'fail-over.',
          'POST', _FEDERATION + '/servers'),
    _rule(SERVERS_DELETE, PROJECT_MEMBER_OR_ADMIN,
          'Delete a federated server.',
          'DELETE', _FEDERATION + '/servers/{server_id}'),
    _rule(SERVERS_START, PROJECT_MEMBER_OR_ADMIN,
          'Start a stopped federated server, on its own cloud (Nova\'s '
          'os-start).',
          'POST', _FEDERATION + '/servers/{server_id}/action (os-start)'),
    _rule(SERVERS_STOP, PROJECT_MEMBER_OR_ADMIN,
          'Stop a federated server, on its own cloud (Nova\'s os-stop).',
          'POST', _FEDERATION + '/servers/{server_id}/action (os-stop)'),
    _rule(SERVERS_REBOOT, PROJECT_MEMBER_OR_ADMIN,
          'Reboot a federated server, soft or hard, on its own cloud.',
          'POST', _FEDERATION + '/servers/{server_id}/action (reboot)'),
    # Nova's os-console-output default: a console can show secrets (keys,
    # passwords printed at boot), so a reader does not get it.
    _rule(SERVERS_CONSOLE_OUTPUT, PROJECT_MEMBER_OR_ADMIN,
          'Show the console output of a federated server.',
          'POST', _FEDERATION + '/servers/{server_id}/action '
          '(os-getConsoleOutput)'),
    _rule(FLAVORS_INDEX, PROJECT_READER_OR_ADMIN,
          'List the flavors of every cloud by name.',
          'GET', _FEDERATION + '/flavors'),
    _rule(IMAGES_INDEX, PROJECT_READER_OR_ADMIN,
          'List the images of every cloud by name.',
          'GET', _FEDERATION + '/images'),
    _rule(LAUNCHES_INDEX, PROJECT_READER_OR_ADMIN,
          'List the launches of the project.',
          'GET', _FEDERATION + '/launches'),
    _rule(LAUNCHES_ALL_TENANTS, ADMIN,
          'List the launches of every project (all_tenants).',
          'GET', _FEDERATION + '/launches?all_tenants=1'),
    _rule(LAUNCHES_SHOW, PROJECT_READER_OR_ADMIN,
          'Show a launch: its status and every attempt of its instances.',
          'GET', _FEDERATION + '/launches/{launch_id}'),
    _rule(LAUNCHES_CANCEL, PROJECT_MEMBER_OR_ADMIN,
          'Cancel a launch: no further attempts, and the servers it made '
          'are deleted.',
          'DELETE', _FEDERATION + '/launches/{launch_id}'),
]


def list_rules():
    """Every default, for the enforcer and oslopolicy-sample-generator."""
    return base_rules + api_rules
