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

"""os-federation/clouds: state, latency and quota usage of each cloud."""

from multios import exception

from multios_api_ext import policies


class CloudsController:

    def __init__(self, backend):
        self.backend = backend

    def index(self, req, caller):
        self.backend.enforcer.authorize(caller, policies.CLOUDS_INDEX)
        return {'clouds': [status.to_dict() for status in
                           self.backend.federation.cloud_status()]}

    def show(self, req, caller, name):
        self.backend.enforcer.authorize(caller, policies.CLOUDS_SHOW)
        self.backend.federation.cloud(name)  # CloudNotFound -> 404
        for status in self.backend.federation.cloud_status():
            if status.name == name:
                return {'cloud': status.to_dict()}
        # Removed since: the configuration was reloaded in between.
        raise exception.CloudNotFound(name=name)
