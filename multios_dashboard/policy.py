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

"""The API's policy rules, as the dashboard's actions name them.

Horizon decides with the rules of ``conf/default_policies/multios.yaml``
(the API's defaults, generated from them) and the operator's
``multios_policy.yaml`` beside Horizon's other policy files: an action is
shown only when the API would allow it.
"""

import os

from openstack_dashboard import policy

#: The scope of the rules in Horizon's POLICY_FILES.
SERVICE = 'multios'
DEFAULT_POLICY_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                   'conf', 'default_policies', 'multios.yaml')
#: The operator's overrides, in Horizon's POLICY_FILES_PATH (optional).
POLICY_FILE = 'multios_policy.yaml'
POLICY_DIR = 'multios_policy.d'

_SERVERS = 'os_compute_api:os-federation:servers:'
SERVERS_CREATE = _SERVERS + 'create'
SERVERS_DELETE = _SERVERS + 'delete'
SERVERS_START = _SERVERS + 'start'
SERVERS_STOP = _SERVERS + 'stop'
SERVERS_REBOOT = _SERVERS + 'reboot'
SERVERS_CONSOLE_OUTPUT = _SERVERS + 'console_output'
FPING = 'os_compute_api:os-fping'
FPING_ALL_TENANTS = 'os_compute_api:os-fping:all_tenants'
CLOUDS_CREATE = 'os_compute_api:os-federation:clouds:create'
CLOUDS_UPDATE = 'os_compute_api:os-federation:clouds:update'
CLOUDS_DELETE = 'os_compute_api:os-federation:clouds:delete'


def rules(*names):
    """``policy_rules`` of a Horizon action: every one of ``names``."""
    return tuple((SERVICE, name) for name in names)


def allowed(request, *names, target=None):
    return policy.check(rules(*names), request, target)


class ServerTargetMixin(policy.PolicyTargetMixin):
    """A server's action is judged against its owner, as the API judges
    it (``multios:project_id`` and ``multios:user_id``).
    """

    policy_target_attrs = (('project_id', 'project_id'),
                           ('user_id', 'user_id'))
