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

"""os-federation/placement: rank the clouds for a launch, create nothing."""

from multios import placement

from multios_api_ext import policies
from multios_api_ext import schemas
from multios_api_ext import validation


def _names(items):
    return tuple(item['name'] for item in items)


def launch_request(body):
    """The core's LaunchRequest for a validated {"server": {...}} body."""
    server = body['server']
    networks = server.get('networks', 'auto')
    return placement.LaunchRequest(
        name=server['name'], flavor=str(server['flavorRef']),
        image=str(server['imageRef']), count=server.get('count', 1),
        cloud=server.get('cloud'), key_name=server.get('key_name'),
        public_key=server.get('public_key'),
        user_data=server.get('user_data'),
        security_groups=_names(server.get('security_groups', ())),
        networks=() if networks == 'auto' else _names(networks),
        availability_zone=server.get('availability_zone'))


class PlacementController:

    def __init__(self, backend):
        self.backend = backend

    @validation.schema(schemas.server)
    def create(self, req, caller, body):
        self.backend.enforcer.authorize(caller, policies.PLACEMENT)
        ranking = self.backend.placement.rank(launch_request(body))
        return {'placement': ranking.to_dict()}
