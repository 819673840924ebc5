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

"""os-federation/servers: the caller's servers across every cloud.

``POST`` records a launch and answers 202 at once, with a ``Location`` of
its os-federation/launches resource: the launch goes on in the background.
"""

from multios_api_ext.controllers import placement
from multios_api_ext import params
from multios_api_ext import policies
from multios_api_ext import resource
from multios_api_ext import schemas
from multios_api_ext import validation


def launch_location(req, launch_id):
    """The URL of a launch, under the same mount point as the request."""
    return '%s/launches/%s' % (req.path_url.rsplit('/servers', 1)[0],
                               launch_id)


class ServersController:

    def __init__(self, backend):
        self.backend = backend

    def index(self, req, caller):
        enforcer = self.backend.enforcer
        enforcer.authorize(caller, policies.SERVERS_INDEX)
        all_tenants = params.all_tenants(req)
        if all_tenants:
            enforcer.authorize(caller, policies.SERVERS_ALL_TENANTS)
        result = self.backend.launches.list_servers(
            caller.context, all_tenants=all_tenants,
            cloud=req.GET.get('cloud'))
        return {
            'servers': [server.to_dict() for server in result.items],
            'errors': [{'cloud': error.cloud, 'reason': error.reason}
                       for error in result.errors],
        }

    def show(self, req, caller, server_id):
        server = self.backend.federation.get_server(caller.context, server_id)
        self.backend.enforcer.authorize(
            caller, policies.SERVERS_SHOW, {'project_id': server.project_id})
        return {'server': server.to_dict()}

    @resource.response(202)
    @validation.schema(schemas.server)
    def create(self, req, caller, body):
        self.backend.enforcer.authorize(caller, policies.SERVERS_CREATE)
        launch = self.backend.launches.accept(
            caller.context, placement.launch_request(body))
        return resource.ResponseObject(
            {'launch': launch},
            headers={'Location': launch_location(req, launch['id'])})

    @resource.response(204)
    def delete(self, req, caller, server_id):
        federation = self.backend.federation
        server = federation.get_server(caller.context, server_id)
        self.backend.enforcer.authorize(
            caller, policies.SERVERS_DELETE, {'project_id': server.project_id})
        federation.delete_server(caller.context, server_id)
