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
``GET`` lists in pages, Nova's ``limit`` and ``marker`` over every cloud
(the order and its guarantees are ``multios.listing``'s), and Nova's
``sort_dir=asc`` the other way. ``GET .../{id}?cloud=NAME`` asks that
cloud only. Actions are Nova's, sent to the server's own cloud.
"""

from urllib import parse

import webob.exc

from multios import listing

from multios_api_ext.controllers import placement
from multios_api_ext import params
from multios_api_ext import policies
from multios_api_ext import resource
from multios_api_ext import schemas
from multios_api_ext import validation


def next_link(req, marker):
    """Nova's next link: this request's URL, its marker the page's last."""
    query = [(key, value) for key, value in req.GET.items()
             if key != 'marker'] + [('marker', marker)]
    return '%s?%s' % (req.path_url, parse.urlencode(query))


def _accepted():
    """Nova's answer to start, stop and reboot: 202, no body."""
    return resource.ResponseObject(None, code=202)


def _start(federation, server, args):
    federation.start_server(server)
    return _accepted()


def _stop(federation, server, args):
    federation.stop_server(server)
    return _accepted()


def _reboot(federation, server, args):
    federation.reboot_server(server, args['type'].upper())
    return _accepted()


def _console_output(federation, server, args):
    length = args.get('length')
    length = None if length is None or int(length) == -1 else int(length)
    return {'output': federation.console_output(server, length)}


#: Body key -> (policy rule, body schema, what to do).
ACTIONS = {
    'os-start': (policies.SERVERS_START, schemas.start, _start),
    'os-stop': (policies.SERVERS_STOP, schemas.stop, _stop),
    'reboot': (policies.SERVERS_REBOOT, schemas.reboot, _reboot),
    'os-getConsoleOutput': (policies.SERVERS_CONSOLE_OUTPUT,
                            schemas.console_output, _console_output),
}


def launch_location(req, launch_id):
    """The URL of a launch, under the same mount point as the request."""
    return '%s/launches/%s' % (req.path_url.rsplit('/servers', 1)[0],
                               launch_id)


class ServersController:

    def __init__(self, backend):
        self.backend = backend

    @validation.query_schema(schemas.servers_query)
    def index(self, req, caller):
        all_tenants = params.scope(req, caller, self.backend.enforcer,
                                   policies.SERVERS_INDEX,
                                   policies.SERVERS_ALL_TENANTS)
        max_limit = self.backend.conf.api.max_limit
        limit = int(req.GET.get('limit', max_limit))
        query = listing.Query(name=req.GET.get('name'),
                              status=tuple(req.GET.getall('status')),
                              limit=min(limit, max_limit),
                              marker=req.GET.get('marker'),
                              sort_dir=req.GET.get('sort_dir', 'desc'))
        page = self.backend.launches.list_servers(
            caller.context, all_tenants=all_tenants,
            cloud=req.GET.get('cloud'), query=query)
        body = {
            'servers': [server.to_dict() for server in page.items],
            'errors': [error.to_dict() for error in page.errors],
        }
        if page.next_marker:
            body['servers_links'] = [{'rel': 'next', 'href': next_link(
                req, page.next_marker)}]
        return body

    @validation.query_schema(schemas.server_query)
    def show(self, req, caller, server_id):
        server = self.backend.launches.get_server(
            caller.context, server_id, cloud=req.GET.get('cloud'))
        self.backend.enforcer.authorize(
            caller, policies.SERVERS_SHOW, {'project_id': server.project_id})
        return {'server': server.to_dict()}

    def action(self, req, caller, server_id, body):
        """Nova's server actions, each the one key of its body."""
        name = next(iter(body), None) if isinstance(body, dict) else None
        if name not in ACTIONS:
            raise webob.exc.HTTPBadRequest(
                explanation='There is no such action: %s' % name
                if name else 'Malformed request body.')
        rule, body_schema, act = ACTIONS[name]
        validation.validate(body_schema, body)
        server = self.backend.federation.get_server(caller.context, server_id)
        self.backend.enforcer.authorize(caller, rule,
                                        {'project_id': server.project_id})
        return act(self.backend.federation, server, body[name])

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
