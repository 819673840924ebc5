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

"""os-federation/clouds: state, latency and quota usage of each cloud.

Admins register clouds here (the account is checked before anything is
stored, its password kept encrypted and never returned), and enable,
disable, drain or remove them; a cloud of a configuration file is changed
in that file (409 naming it).
"""

from multios import exception
from multios import registry

from multios_api_ext import policies
from multios_api_ext import resource
from multios_api_ext import schemas
from multios_api_ext import validation


class CloudsController:

    def __init__(self, backend):
        self.backend = backend

    def _status(self, name):
        for status in self.backend.federation.cloud_status():
            if status.name == name:
                return {'cloud': status.to_dict()}
        # Removed since: the configuration was reloaded in between.
        raise exception.CloudNotFound(name=name)

    def index(self, req, caller):
        self.backend.enforcer.authorize(caller, policies.CLOUDS_INDEX)
        return {'clouds': [status.to_dict() for status in
                           self.backend.federation.cloud_status()]}

    def show(self, req, caller, name):
        self.backend.enforcer.authorize(caller, policies.CLOUDS_SHOW)
        self.backend.federation.cloud(name)  # CloudNotFound -> 404
        return self._status(name)

    @resource.response(201)
    @validation.schema(schemas.cloud_create)
    def create(self, req, caller, body):
        self.backend.enforcer.authorize(caller, policies.CLOUDS_CREATE)
        values = dict(body['cloud'])
        name = values.pop('name')
        configured = {cloud.name: cloud.settings
                      for cloud in self.backend.federation.clouds()}
        self.backend.core.registry.register(name, values, configured)
        return self._status(name)

    def _registered(self, name):
        """The registered cloud ``name``; Conflict for a configured one."""
        cloud = self.backend.federation.cloud(name)
        if cloud.settings.source != registry.SOURCE:
            raise exception.Conflict(
                reason='cloud %s is defined in %s: change it there'
                % (name, cloud.settings.source))

    @validation.schema(schemas.cloud_update)
    def update(self, req, caller, name, body):
        self.backend.enforcer.authorize(caller, policies.CLOUDS_UPDATE)
        self._registered(name)
        self.backend.core.registry.update(name, body['cloud'])
        return self._status(name)

    @resource.response(204)
    def delete(self, req, caller, name):
        self.backend.enforcer.authorize(caller, policies.CLOUDS_DELETE)
        self._registered(name)
        self.backend.core.registry.remove(name)
