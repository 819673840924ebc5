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

"""Map the MultiOS resource paths to controller actions.

The same routes serve the standalone API (mounted at /v1) and the filter
inside nova-api (mounted by Nova at /v2.1); in the filter every path that
is not ours goes on to the wrapped application.
"""

import routes
import routes.middleware
import webob.dec
import webob.exc

from multios_api_ext.controllers import catalog
from multios_api_ext.controllers import clouds
from multios_api_ext.controllers import fping
from multios_api_ext.controllers import launches
from multios_api_ext.controllers import placement
from multios_api_ext.controllers import servers
from multios_api_ext.controllers import versions
from multios_api_ext import faults
from multios_api_ext import resource

FEDERATION = '/os-federation'


def _method_not_allowed(allowed):
    """The app of a path's other methods: a 405 naming ``allowed``."""
    @webob.dec.wsgify
    def method_not_allowed(req):
        return faults.method_not_allowed(req.method, allowed)
    return method_not_allowed


@webob.dec.wsgify
def _not_found(req):
    return faults.Fault(webob.exc.HTTPNotFound())


def build_mapper(backend, prefix='', with_version=False):
    """The routes.Mapper of every MultiOS resource under prefix."""
    def app(controller):
        return resource.Resource(controller(backend), backend)

    fping_app = app(fping.FpingController)
    clouds_app = app(clouds.CloudsController)
    servers_app = app(servers.ServersController)
    launches_app = app(launches.LaunchesController)
    routes_table = [
        ('/os-fping', fping_app, {'GET': 'index'}),
        ('/os-fping/{server_id}', fping_app, {'GET': 'show'}),
        (FEDERATION + '/clouds', clouds_app,
         {'GET': 'index', 'POST': 'create'}),
        (FEDERATION + '/clouds/{name}', clouds_app,
         {'GET': 'show', 'PUT': 'update', 'DELETE': 'delete'}),
        (FEDERATION + '/placement', app(placement.PlacementController),
         {'POST': 'create'}),
        (FEDERATION + '/servers', servers_app,
         {'GET': 'index', 'POST': 'create'}),
        (FEDERATION + '/servers/{server_id}', servers_app,
         {'GET': 'show', 'DELETE': 'delete'}),
        (FEDERATION + '/servers/{server_id}/action', servers_app,
         {'POST': 'action'}),
        (FEDERATION + '/flavors', app(catalog.FlavorsController),
         {'GET': 'index'}),
        (FEDERATION + '/images', app(catalog.ImagesController),
         {'GET': 'index'}),
        (FEDERATION + '/launches', launches_app, {'GET': 'index'}),
        (FEDERATION + '/launches/{launch_id}', launches_app,
         {'GET': 'show', 'DELETE': 'delete'}),
    ]
    if with_version:
        routes_table += [('', versions.version, {'GET': 'show'}),
                         ('/', versions.version, {'GET': 'show'})]
    mapper = routes.Mapper()
    for path, path_app, actions in routes_table:
        for method, action in actions.items():
            mapper.connect(prefix + path, controller=path_app, action=action,
                           conditions={'method': [method]})
        mapper.connect(prefix + path,
                       controller=_method_not_allowed(list(actions)))
    return mapper


class Router:
    """Dispatch by path; unknown paths go to ``fallback`` (a 404 fault)."""

    def __init__(self, mapper, fallback=_not_found):
        self.fallback = fallback
        self._router = routes.middleware.RoutesMiddleware(
            self._dispatch, mapper, use_method_override=False)

    def __call__(self, environ, start_response):
        return self._router(environ, start_response)

    @webob.dec.wsgify
    def _dispatch(self, req):
        match = req.environ['wsgiorg.routing_args'][1]
        if not match:
            return self.fallback
        return match['controller']
