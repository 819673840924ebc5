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

"""Version discovery, in the format of Nova's versions API.

Served without authentication at the root, as Nova does, so a client can
find the API before it has a token.
"""

import webob
import webob.dec
import webob.exc

from multios_api_ext import faults

VERSION = {
    'id': 'v1',
    'status': 'CURRENT',
    'version': '',
    'min_version': '',
    'updated': '2026-11-23T00:00:00Z',
}
MEDIA_TYPES = [{
    'base': 'application/json',
    'type': 'application/vnd.openstack.multios+json;version=1',
}]


def _version(req):
    href = req.host_url + req.script_name.rsplit('/v1', 1)[0] + '/v1/'
    return dict(VERSION, links=[{'rel': 'self', 'href': href}])


@webob.dec.wsgify
def versions(req):
    """GET /: every version of the API."""
    if req.environ.get('PATH_INFO', '') not in ('', '/'):
        return faults.Fault(webob.exc.HTTPNotFound())
    if req.method != 'GET':
        return faults.method_not_allowed(req.method, ['GET'])
    return webob.Response(json_body={'versions': [_version(req)]},
                          charset='UTF-8')


@webob.dec.wsgify
def version(req):
    """GET /v1: this version and its media types."""
    return webob.Response(
        json_body={'version': dict(_version(req), **{'media-types':
                                                     MEDIA_TYPES})},
        charset='UTF-8')
