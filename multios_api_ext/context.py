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

"""Who is calling: the caller's home identity from the auth middleware.

Standalone, keystonemiddleware's auth_token leaves X-Project-Id, X-Roles...
headers that oslo.context reads; inside nova-api, Nova's own middleware has
already put a context in ``nova.context``. Either way the API derives the
core's ``multios.context.RequestContext`` and the policy credentials.
"""

import dataclasses

from oslo_context import context as oslo_context
from oslo_middleware import base
import webob.exc

from multios import context as core_context

ENVIRON_KEY = 'multios.context'
NOVA_ENVIRON_KEY = 'nova.context'


class ContextMiddleware(base.ConfigurableMiddleware):
    """Put an oslo.context built from the keystone headers in the environ."""

    def process_request(self, req):
        req.environ[ENVIRON_KEY] = oslo_context.RequestContext.from_environ(
            req.environ)


@dataclasses.dataclass(frozen=True)
class Caller:
    """The caller as policy sees it and as the core sees it."""

    credentials: dict
    context: core_context.RequestContext


def caller_from_environ(environ, enforcer):
    """Build the Caller of a request; HTTPUnauthorized if unauthenticated."""
    auth_context = environ.get(ENVIRON_KEY) or environ.get(NOVA_ENVIRON_KEY)
    if auth_context is None or not auth_context.project_id:
        raise webob.exc.HTTPUnauthorized(
            explanation='Authentication required.')
    credentials = auth_context.to_policy_values()
    return Caller(
        credentials=credentials,
        context=core_context.RequestContext(
            project_id=auth_context.project_id,
            user_id=auth_context.user_id,
            is_admin=enforcer.is_admin(credentials),
            request_id=auth_context.request_id,
            auth_token=auth_context.auth_token))
