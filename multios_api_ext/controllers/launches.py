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

"""os-federation/launches: follow and cancel durable launches."""

from multios_api_ext import params
from multios_api_ext import policies
from multios_api_ext import resource


class LaunchesController:

    def __init__(self, backend):
        self.backend = backend

    def index(self, req, caller):
        all_tenants = params.scope(req, caller, self.backend.enforcer,
                                   policies.LAUNCHES_INDEX,
                                   policies.LAUNCHES_ALL_TENANTS)
        return {'launches': self.backend.launches.list(
            caller.context, all_tenants=all_tenants)}

    def show(self, req, caller, launch_id):
        launch = self.backend.launches.get(caller.context, launch_id)
        self.backend.enforcer.authorize(
            caller, policies.LAUNCHES_SHOW,
            {'project_id': launch['project_id']})
        return {'launch': launch}

    @resource.response(202)
    def delete(self, req, caller, launch_id):
        """Cancel: no further attempts; what the launch made is deleted."""
        launch = self.backend.launches.get(caller.context, launch_id)
        self.backend.enforcer.authorize(
            caller, policies.LAUNCHES_CANCEL,
            {'project_id': launch['project_id']})
        return {'launch': self.backend.launches.cancel(caller.context,
                                                       launch_id)}
