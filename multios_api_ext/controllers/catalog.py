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

"""os-federation/flavors and os-federation/images: what a launch may name.

Nova's ``{"flavors": [...]}`` and ``{"images": [...]}``, one item per name
with the clouds that have it: a launch names a flavor or an image by name
on every cloud, so the name is what a front end offers. Clouds that did not
answer are in ``errors``, as os-federation/servers.
"""

from multios_api_ext import policies


def _body(key, result):
    return {key: result.items,
            'errors': [error.to_dict() for error in result.errors]}


class FlavorsController:

    def __init__(self, backend):
        self.backend = backend

    def index(self, req, caller):
        self.backend.enforcer.authorize(caller, policies.FLAVORS_INDEX)
        return _body('flavors', self.backend.federation.flavors_by_name())


class ImagesController:

    def __init__(self, backend):
        self.backend = backend

    def index(self, req, caller):
        self.backend.enforcer.authorize(caller, policies.IMAGES_INDEX)
        return _body('images', self.backend.federation.images_by_name())
