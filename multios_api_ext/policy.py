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

"""Policy enforcement with oslo.policy and the defaults of policies.py."""

from oslo_policy import policy
import webob.exc

from multios_api_ext import policies


class Enforcer:
    """Answer whether a caller may perform an API action."""

    def __init__(self, conf):
        self._enforcer = policy.Enforcer(conf)
        self._enforcer.register_defaults(policies.list_rules())

    def is_admin(self, credentials):
        """Whether credentials pass the context_is_admin rule."""
        return self._enforcer.authorize('context_is_admin', {}, credentials)

    def authorize(self, caller, action, target=None):
        """Raise HTTPForbidden unless caller may perform action on target.

        The target defaults to the caller's own project, as Nova does for
        actions that are not about one resource.
        """
        if target is None:
            target = {'project_id': caller.context.project_id}
        if not self._enforcer.authorize(action, target, caller.credentials):
            raise webob.exc.HTTPForbidden(
                explanation="Policy doesn't allow %s to be performed." %
                action)
