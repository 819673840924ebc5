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

"""os-fping: which servers answer, in the bodies of Nova's old os-fping.

Rate limited per project, as Nova's limiter did, since every call makes the
API host ping many addresses; the hits are counted in the database, so the
limit holds across API workers and hosts.
"""

import webob.exc

from multios import fping

from multios_api_ext import params
from multios_api_ext import policies


class FpingController:

    def __init__(self, backend):
        self.backend = backend

    def _authorize(self, caller, all_tenants):
        self.backend.enforcer.authorize(caller, policies.FPING)
        if all_tenants:
            self.backend.enforcer.authorize(caller,
                                            policies.FPING_ALL_TENANTS)
        retry_after = self.backend.fping_rate_limit(
            caller.context.project_id)
        if retry_after is not None:
            error = webob.exc.HTTPTooManyRequests(
                explanation='This request was rate-limited.')
            error.headers['Retry-After'] = str(retry_after)
            raise error

    def index(self, req, caller):
        all_tenants = params.all_tenants(req)
        self._authorize(caller, all_tenants)
        # Comma-separated server ids; include wins over exclude, as in Nova.
        servers = fping.check(
            self.backend.federation, caller.context, all_tenants=all_tenants,
            include=req.GET.get('include'), exclude=req.GET.get('exclude'))
        return {'servers': servers}

    def show(self, req, caller, server_id):
        self._authorize(caller, all_tenants=False)
        servers = fping.check(self.backend.federation, caller.context,
                              server_id=server_id)
        return {'server': servers[0]}
